/**
 * The full-employment pages in a real browser, on the demo ledger `npm start` seeds: community
 * staff register a person (the check digit judged as typed) and record a status change, seen in the
 * entry's verified history; the city monitor's scorecard shows the figures `GET /scorecard` gives
 * and drills down; the city approver computes the annual evaluation and approves it (confirmed),
 * and the published list appears. axe-core judges each page.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Actor } from '../../functions/kernel/domain/actor.js';
import { residentIdCheckChar } from '../../functions/kernel/domain/resident-id.js';
import { type LocalStack, startLocalStack } from '../../local/runtime.js';
import { connectBrowser, eventually, screenshot, seriousViolations, signedIn } from '../../tools/support/browser.js';
import { apiAs } from '../support/api-client.js';
import { testTableName } from '../support/dynamo.js';

let stack: LocalStack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([
    startLocalStack({
      dynamoEndpoint: inject('dynamoEndpoint'),
      template: inject('template'),
      tableName: testTableName('console-ledger'),
      residentIdKey: 'r'.repeat(40),
      webhookSecretKey: 'k'.repeat(40),
      webhookIntervalMs: 100,
      seedDemoLedger: true,
    }),
    connectBrowser(inject('browserEndpoint')),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const monitor: Actor = { sub: 'monitor-city', role: 'city-monitor', unit: 'city:shijiazhuang' };
const cityApprover: Actor = { sub: 'approver-city', role: 'city-approver', unit: 'city:shijiazhuang' };

const shanghaiToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const withCheck = (first17: string) => `${first17}${residentIdCheckChar(first17)}`;

/** Picks an option of the Ant Design select whose input is named `name`. */
async function pick(page: Page, name: string, option: string): Promise<void> {
  // The select's own box takes the click (the chosen value covers its input).
  await page
    .locator('.ant-select')
    .filter({ has: page.getByRole('combobox', { name, exact: true }) })
    .click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click();
}

async function accessible(page: Page, screen: string): Promise<void> {
  await eventually(
    `${screen} at rest`,
    // A passing toast fades out at low contrast on purpose: judged after it is gone.
    async () => (await page.locator('.ant-btn-loading, .ant-spin-spinning, .ant-message-notice').count()) === 0,
  );
  await screenshot(page, screen);
  expect(await seriousViolations(page), screen).toEqual([]);
}

describe('the full-employment pages', () => {
  it('community staff register a person and record a status change', async () => {
    const { page, context } = await signedIn(browser, stack.apiUrl, 'staff-gexin-01');
    await page.getByRole('menuitem', { name: '失业人员台账' }).click();
    await page.getByRole('heading', { name: '失业人员台账' }).waitFor();
    await page.locator('.ant-table-row').first().waitFor();
    await accessible(page, 'staff-ledger');

    // The zero-employment filter asks the API for open families only: every row then shows the flag.
    await pick(page, '零就业家庭', '未解决');
    await eventually('only open families listed', async () => {
      const rows = await page.locator('.ant-table-row').count();
      const flagged = await page.locator('.ant-table-row', { hasText: '零就业家庭' }).count();
      return rows === flagged;
    });
    await page.reload();
    await page.getByRole('heading', { name: '失业人员台账' }).waitFor();

    await page.getByRole('button', { name: '登记人员' }).click();
    const good = withCheck('13010219880506003');
    const bad = `${good.slice(0, 17)}${good.endsWith('0') ? '1' : '0'}`;
    await page.getByLabel('身份证号', { exact: true }).fill(bad);
    await page.getByText('校验码不正确').waitFor();
    await page.getByLabel('身份证号', { exact: true }).fill(good);
    await page.getByText('校验码正确').waitFor();
    // The schema judges the form before it is sent: no name → the field says so.
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await page
      .locator('.ant-form-item-has-error')
      .filter({ has: page.locator('#ledger-name') })
      .waitFor();
    await page.getByLabel('姓名', { exact: true }).fill('测试台账');
    await page.getByLabel('手机号', { exact: true }).fill('13900001234');
    await page.getByLabel('家庭标识（如住址）').fill('幸福路9号');
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await page.getByRole('heading', { name: '测试台账' }).waitFor();
    await page.getByTestId('history-intact').waitFor();
    expect(await page.getByTestId('ledger-status').textContent()).toBe('失业');
    await page.getByText('成为零就业家庭').waitFor();

    // ── record a change: in work, flexibly, with its registration as evidence ──
    await page.getByLabel('变更日期').fill(shanghaiToday());
    await pick(page, '就业形式', '灵活就业（已登记）');
    await pick(page, '依据', '灵活就业登记');
    await page.getByLabel('依据编号').fill('LH-2026-99');
    await page.getByRole('button', { name: '记录状态变更' }).click();
    await eventually(
      'the change shown',
      async () => (await page.getByTestId('ledger-status').textContent()) === '已就业 · 灵活就业（已登记）',
    );
    await page.getByText('零就业家庭已解决').waitFor();
    await page.getByText(/LH-2026-99/).waitFor();
    await accessible(page, 'staff-ledger-entry');

    // The API holds what the page showed.
    const id = decodeURIComponent(page.url().split('/ledger/')[1] ?? '');
    const stored = await apiAs(stack, {
      sub: 'staff-gexin-01',
      role: 'community-staff',
      unit: 'community:gexin-01',
    }).get(`/ledger/entries/${encodeURIComponent(id)}`);
    expect(stored.body).toMatchObject({ status: 'employed', employment: 'flexible', historyIntact: true });
    expect(stored.body.history).toHaveLength(2);

    // The same person again: refused (409), said on the field, with the way to the entry there is.
    await page.goto(`${stack.apiUrl}/#/ledger`);
    await page.getByRole('button', { name: '登记人员' }).click();
    await page.getByLabel('身份证号', { exact: true }).fill(good);
    await page.getByLabel('姓名', { exact: true }).fill('测试台账');
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await page.getByText('此人已在本市台账中登记').waitFor();
    await page.getByTestId('existing-entry').click();
    await page.getByRole('heading', { name: '测试台账' }).waitFor();
    expect(decodeURIComponent(page.url().split('/ledger/')[1] ?? '')).toBe(id);
    await context.close();
  });

  it("shows the monitor the scorecard's figures, and drills down", async () => {
    const year = shanghaiToday().slice(0, 4);
    const api = (await apiAs(stack, monitor).get(`/scorecard?period=${year}&unit=${monitor.unit}`)).body;
    const { page, context } = await signedIn(browser, stack.apiUrl, monitor.sub);
    await page.getByRole('menuitem', { name: '就业评分' }).click();
    await page.getByRole('heading', { name: '就业评分' }).waitFor();
    const figure = async (name: string) =>
      ((await page.getByTestId(`score-${name}`).locator('.ant-statistic-content').textContent()) ?? '').replace(
        /,/g,
        '',
      );
    await page.getByTestId('score-registeredUnemployed').waitFor();
    expect(api.registeredUnemployed).toBeGreaterThan(0);
    expect(await figure('registeredUnemployed')).toBe(String(api.registeredUnemployed));
    expect(await figure('employed')).toBe(String(api.employed));
    expect(await figure('reemployedInPeriod')).toBe(String(api.reemployedInPeriod));
    expect(await figure('zeroOpen')).toBe(String(api.zeroEmployment.open));
    expect(await figure('rate')).toBe(`${Math.round(api.rate * 1000) / 10}%`);
    await page.locator('canvas').first().waitFor();
    await accessible(page, 'monitor-scorecard');

    // Drill down to the first district: its own card, as the API gives it.
    const child = api.children[0];
    const below = (await apiAs(stack, monitor).get(`/scorecard?period=${year}&unit=${child.unit}`)).body;
    await page.getByRole('button', { name: child.unitName, exact: true }).last().click();
    await eventually(
      'the district shown',
      async () =>
        (await page.getByRole('heading', { level: 3 }).first().textContent())?.includes(child.unitName) ?? false,
    );
    await eventually(
      'its figures',
      async () => (await figure('registeredUnemployed')) === String(below.registeredUnemployed),
    );
    await context.close();
  });

  it('the city computes the evaluation and approves it, and the list is published', async () => {
    const year = shanghaiToday().slice(0, 4);
    const { page, context } = await signedIn(browser, stack.apiUrl, cityApprover.sub);
    await page.getByRole('menuitem', { name: '年度评估' }).click();
    await page.getByRole('heading', { name: '充分就业社区年度评估' }).waitFor();
    await page.getByText(`${year} 年度尚未计算评估。`).waitFor();
    await page.getByRole('button', { name: '计算评估' }).click();
    await page.getByText('已计算，待批准').waitFor();
    await page.getByRole('cell', { name: '革新街第01社区' }).waitFor();
    await accessible(page, 'city-evaluation');

    const computed = (await apiAs(stack, cityApprover).get(`/evaluations/${year}`)).body;
    const full = computed.standings.filter((s: { fullEmployment: boolean }) => s.fullEmployment);
    expect(full.length).toBeGreaterThan(0);
    expect(await page.locator('.ant-table-row', { hasText: '充分就业社区' }).count()).toBe(full.length);

    await page.getByRole('button', { name: '批准', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(`将公布 ${full.length} 个充分就业社区`, { exact: false }).waitFor();
    await dialog.getByRole('button', { name: '批准' }).click();
    await page.getByText('已批准', { exact: true }).waitFor();
    await eventually(
      'the published list',
      async () => (await page.getByTestId('published').locator('li').count()) === full.length,
    );
    // The dialog closes (its own 批准 goes with it) and the page offers no approval any more.
    await eventually(
      'no approval offered',
      async () => (await page.getByRole('button', { name: '批准', exact: true }).count()) === 0,
    );
    await expect(page.getByRole('button', { name: '计算评估' }).isDisabled()).resolves.toBe(true);
    const published = await apiAs(stack, cityApprover).get(`/full-employment-communities/${year}`);
    expect(published.status).toBe(200);
    expect(published.body.communities).toHaveLength(full.length);
    await accessible(page, 'city-evaluation-approved');
    await context.close();
  });
});
