/**
 * `npm run bench:console`: the staff console's figures, each beside a reference measured in the
 * same run (this machine's speed changes with its load; the ratios do not much):
 * - initial JavaScript, gzipped (the entry and what it preloads; budget 350 KB), beside all the
 *   console's JavaScript gzipped;
 * - the inbox with 2,000 items: time to render, beside the same inbox with 20; then a scroll from
 *   top to bottom, with the longest task Chromium's performance timeline records (budget 100 ms);
 * - a decision click (通过, confirmed) to the updated screen, p50/p95, beside the API's own
 *   decision round trip measured by the same machine.
 * The inbox's 2,000 items are answered by the browser (Playwright's request routing) in the API's
 * shape: what is measured is the console's rendering, not the store. Decisions go to the real
 * local stack. Writes the figures into docs/performance.md (the section between its markers).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import type { Actor } from '../functions/kernel/domain/actor.js';
import { consoleRoot, ensureConsoleBuilt } from '../local/console-site.js';
import { startLocalStack } from '../local/runtime.js';
import { bodyForPerson } from '../tools/support/applicants.js';
import { chromiumPath, signedIn } from '../tools/support/browser.js';

const decisions = Number(process.env.BENCH_DECISIONS ?? 20);
const dist = join(consoleRoot, 'dist');

function gz(file: string): number {
  return gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
}

function initialJavaScript(): { initial: number; all: number; files: string[] } {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1] as string);
  const all = readdirSync(join(dist, 'assets'))
    .filter((f) => f.endsWith('.js'))
    .reduce((sum, f) => sum + gz(join('assets', f)), 0);
  return { initial: files.reduce((sum, f) => sum + gz(f), 0), all, files };
}

function inboxItem(i: number) {
  const entered = new Date(Date.UTC(2026, 9, 1) + i * 60_000).toISOString();
  return {
    id: `bench-${String(i).padStart(5, '0')}`,
    stage: 'street',
    programme: 'post-subsidy',
    applicant: { name: `测*${i % 10}`, idNumber: '1301**************' },
    communityId: i % 2 ? 'community:gexin-01' : 'community:gexin-02',
    submittedAt: entered,
    stageEnteredAt: entered,
    dueAt: entered,
    daysWaiting: i % 15,
    overdue: i % 7 === 0,
    ...(i % 11 === 0 ? { escalatedTo: 'district:xinhua' } : {}),
    returnRound: i % 3 === 0 ? 1 : 0,
    version: 1,
  };
}

/** The API's inbox route only (a glob would also catch the page's own `assets/inbox-….js`). */
const isInbox = (url: URL) => url.pathname === '/inbox';

/** Answers /inbox in pages of 200, as the API does, with `count` items in all. */
async function routeInbox(page: Page, count: number): Promise<void> {
  await page.unroute(isInbox);
  await page.route(isInbox, async (route) => {
    const url = new URL(route.request().url());
    const start = Number(url.searchParams.get('cursor') ?? 0);
    const end = Math.min(count, start + 200);
    const items = Array.from({ length: end - start }, (_, k) => inboxItem(start + k));
    await route.fulfill({
      contentType: 'application/json',
      body: JSON.stringify({
        unit: 'street:gexin',
        stage: 'street',
        counts: { street: count, district: 0, city: 0 },
        items,
        ...(end < count ? { nextCursor: String(end) } : {}),
        escalated: { items: [] },
      }),
    });
  });
}

/** A fresh load of the inbox to its rows on screen (ms since navigation: scripts, sign-in state, /me, /inbox, render). */
async function inboxRender(page: Page, count: number): Promise<number> {
  await routeInbox(page, count);
  const origin = new URL(page.url()).origin;
  // A real load each time (a hash change alone would not reload the page).
  await page.goto('about:blank');
  await page.goto(`${origin}/#/inbox`);
  // In-page code reaches the DOM through globalThis: this file is type-checked for Node. A function,
  // not a string: the console's CSP forbids eval, which a string predicate needs.
  await page
    .waitForFunction(
      (n) => {
        const document = (globalThis as any).document;
        const total = document.querySelector('.ant-statistic-content-value')?.textContent?.replace(/,/g, '');
        return Number(total) === n && document.querySelectorAll('.ant-table-row').length > 0;
      },
      count,
      { timeout: 60_000, polling: 'raf' },
    )
    .catch(async (error: unknown) => {
      await page.screenshot({ path: '/tmp/bench-console-failed.png' });
      throw error;
    });
  return page.evaluate('performance.now()') as Promise<number>;
}

/** Scrolls the virtual table from top to bottom; the longest task seen meanwhile (ms). */
async function scrollLongestTask(page: Page): Promise<{ longest: number; tasks: number; rowsSeen: string }> {
  return page.evaluate(`(async () => {
    const durations = [];
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) durations.push(entry.duration);
    });
    observer.observe({ entryTypes: ['longtask'] });
    const holder = document.querySelector('.ant-table-tbody-virtual-holder');
    const frame = () => new Promise((done) => requestAnimationFrame(() => done(undefined)));
    for (let top = 0; top <= holder.scrollHeight; top += 400) {
      holder.scrollTop = top;
      await frame();
    }
    await frame();
    await new Promise((done) => setTimeout(done, 200));
    observer.disconnect();
    const last = [...document.querySelectorAll('.ant-table-row a')].at(-1)?.textContent ?? '';
    return { longest: Math.max(0, ...durations), tasks: durations.length, rowsSeen: last };
  })()`) as Promise<{ longest: number; tasks: number; rowsSeen: string }>;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
};

async function main(): Promise<void> {
  await ensureConsoleBuilt((line) => console.log(line));
  const size = initialJavaScript();
  console.log(
    `initial JS ${(size.initial / 1024).toFixed(1)} KB gz (${size.files.length} files); all JS ${(size.all / 1024).toFixed(1)} KB gz`,
  );

  const stack = await startLocalStack({ port: 0 });
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  try {
    const street: Actor = { sub: 'approver-gexin', role: 'street-approver', unit: 'street:gexin' };
    const staff: Actor = { sub: 'staff-gexin-01', role: 'community-staff', unit: 'community:gexin-01' };
    const { page } = await signedIn(browser, stack.apiUrl, street.sub);

    // Inbox: 20 items (reference), then 2,000; each rendered three times, the median kept.
    const median = (values: number[]) => percentile(values, 50);
    const small: number[] = [];
    const large: number[] = [];
    for (let round = 0; round < 3; round++) {
      small.push(await inboxRender(page, 20));
      large.push(await inboxRender(page, 2000));
    }
    const scroll = await scrollLongestTask(page);
    console.log(
      `inbox render: 2,000 items ${median(large).toFixed(0)} ms, 20 items ${median(small).toFixed(0)} ms; scroll: longest task ${scroll.longest.toFixed(0)} ms (${scroll.tasks} long tasks), last row ${scroll.rowsSeen}`,
    );
    await page.unroute(isInbox);

    // Decisions: real applications on the real local stack.
    const staffToken = await stack.tokenFor(staff);
    const streetToken = await stack.tokenFor(street);
    const submit = async (n: number) => {
      const response = await fetch(`${stack.apiUrl}/applications`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${staffToken}`,
          'content-type': 'application/json',
          'x-acting-as': `${staff.role}@${staff.unit}`,
        },
        body: JSON.stringify(bodyForPerson('post-subsidy', staff.unit, n)),
      });
      if (response.status !== 201) throw new Error(`submit ${n}: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { id: string }).id;
    };
    const viaUi: number[] = [];
    const viaApi: number[] = [];
    for (let i = 0; i < decisions; i++) {
      const forUi = await submit(2 * i);
      const forApi = await submit(2 * i + 1);
      await stack.engine.whenIdle();
      await page.goto(`${stack.apiUrl}/#/applications/${encodeURIComponent(forUi)}`);
      await page.getByRole('button', { name: '通过', exact: true }).click();
      const confirm = page.getByRole('dialog').getByRole('button', { name: '通过' });
      await confirm.waitFor();
      const started = Date.now();
      await confirm.click();
      await page.waitForFunction(
        () => (globalThis as any).document.querySelector('[data-testid=status]')?.textContent === '审核中 · 市',
        undefined,
        {
          timeout: 60_000,
          polling: 'raf',
        },
      );
      viaUi.push(Date.now() - started);
      const apiStarted = Date.now();
      const answer = await fetch(`${stack.apiUrl}/applications/${encodeURIComponent(forApi)}/decisions`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${streetToken}`,
          'content-type': 'application/json',
          'x-acting-as': `${street.role}@${street.unit}`,
        },
        body: JSON.stringify({ decision: 'approve', expectedVersion: 1 }),
      });
      if (answer.status !== 200) throw new Error(`decide: ${answer.status}`);
      viaApi.push(Date.now() - apiStarted);
    }
    const figures = {
      measuredAt: new Date().toISOString(),
      initialJsKbGzip: +(size.initial / 1024).toFixed(1),
      allJsKbGzip: +(size.all / 1024).toFixed(1),
      inbox2000RenderMs: +median(large).toFixed(0),
      inbox20RenderMs: +median(small).toFixed(0),
      scrollLongestTaskMs: +scroll.longest.toFixed(0),
      scrollLongTasks: scroll.tasks,
      decisionUiP50Ms: percentile(viaUi, 50),
      decisionUiP95Ms: percentile(viaUi, 95),
      decisionApiP50Ms: percentile(viaApi, 50),
      decisionApiP95Ms: percentile(viaApi, 95),
      decisions,
    };
    console.log(JSON.stringify(figures, null, 2));
    writeReport(figures);
  } finally {
    await browser.close();
    await stack.stop();
  }
}

function writeReport(f: Record<string, number | string>): void {
  const file = join(consoleRoot, '..', 'docs', 'performance.md');
  const begin = '<!-- console-bench:begin -->';
  const end = '<!-- console-bench:end -->';
  const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : '—');
  const n = (key: string) => Number(f[key]);
  const section = `${begin}
Measured ${String(f.measuredAt).slice(0, 16).replace('T', ' ')} UTC with \`npm run bench:console\` (Chromium ${'headless'}, this machine; load average ${loadavg()[0]?.toFixed(1)} when written):

| figure | value | budget | reference, same run | ratio |
| --- | --- | --- | --- | --- |
| initial JavaScript (entry + preloads), gzipped | ${n('initialJsKbGzip')} KB | ≤ 350 KB | all the console's JavaScript: ${n('allJsKbGzip')} KB | ${ratio(n('initialJsKbGzip'), n('allJsKbGzip'))} |
| inbox with 2,000 items: page load to rows on screen (median of 3) | ${n('inbox2000RenderMs')} ms | ≤ 1,000 ms | the inbox with 20 items: ${n('inbox20RenderMs')} ms | ${ratio(n('inbox2000RenderMs'), n('inbox20RenderMs'))} |
| scrolling those 2,000 rows top to bottom: longest task | ${n('scrollLongestTaskMs')} ms (${n('scrollLongTasks')} tasks over 50 ms) | ≤ 100 ms | — | — |
| decision: confirm 通过 → updated screen, p50 / p95 (${n('decisions')} decisions) | ${n('decisionUiP50Ms')} / ${n('decisionUiP95Ms')} ms | — | the API's decision round trip, p50 / p95: ${n('decisionApiP50Ms')} / ${n('decisionApiP95Ms')} ms | ${ratio(n('decisionUiP95Ms'), n('decisionApiP95Ms'))} |
${end}`;
  const text = readFileSync(file, 'utf8');
  const next = text.includes(begin)
    ? text.replace(new RegExp(`${begin}[\\s\\S]*?${end}`), section)
    : `${text.trimEnd()}\n\n## Staff console\n\nThe console's budgets (issue 17), measured in a real browser; the inbox's items are answered by\nthe browser in the API's shape (the console's rendering is measured, not the store), decisions go\nto the real local stack. Run it again with \`npm run bench:console\` (≈ 2 min).\n\n${section}\n`;
  writeFileSync(file, next);
}

await main();
process.exit(0);
