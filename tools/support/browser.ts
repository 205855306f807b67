/**
 * The browser the console tests drive: Debian's Chromium (`apt-get install chromium
 * fonts-noto-cjk`; `.ci/run` installs it), through `playwright-core`. One per `npm test`, launched in
 * the global setup and connected to by each file; every person gets a context of their own.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type BrowserServer, chromium, type Page } from 'playwright-core';
import { eventually } from './eventually.js';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchSharedBrowser(): Promise<BrowserServer> {
  if (!existsSync(chromiumPath))
    throw new Error(`${chromiumPath} is missing: apt-get install -y chromium fonts-noto-cjk (or set CHROMIUM_PATH)`);
  // --no-sandbox: CI runs as root in a container, where Chromium's sandbox cannot start.
  return chromium.launchServer({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

export function connectBrowser(endpoint: string): Promise<Browser> {
  return chromium.connect(endpoint);
}

/** Screenshots of each main screen, kept as test artifacts (gitignored). */
export const artifactsDir = join(import.meta.dirname, '..', '..', 'tests', 'console', 'artifacts');

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(artifactsDir, { recursive: true });
  await page.screenshot({ path: join(artifactsDir, `${name}.png`), fullPage: true });
}

/** A person's own browser context, signed in through the local OIDC provider's page (the UI only). */
export async function signedIn(
  browser: Browser,
  apiUrl: string,
  sub: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${apiUrl}/`);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('button', { name: new RegExp(`· ${sub} ·`) }).click();
  await page.getByRole('button', { name: '退出' }).waitFor({ timeout: 60_000 });
  if (errors.length) throw new Error(`the console failed while signing in: ${errors.join('; ')}`);
  return { context, page };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core on the page as it stands: the serious and critical violations (none expected). */
export async function seriousViolations(page: Page): Promise<{ id: string; impact: string; nodes: string[] }[]> {
  // Evaluated through the DevTools protocol, not as a <script>: the console's CSP allows no inline script.
  await page.evaluate(`${axeSource};0`);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> };
      }
    ).axe;
    const result = await axe.run();
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Picks an option of an Ant Design select named `label`. */
export async function choose(page: Page, label: string | RegExp, option: string): Promise<void> {
  await page.getByLabel(label, { exact: typeof label === 'string' }).click();
  await page.locator('.ant-select-item-option', { hasText: option }).first().click();
}

export { eventually };
