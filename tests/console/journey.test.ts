/**
 * The staff console in a real browser (Chromium through playwright-core) against the whole product
 * on one machine: an application's whole journey through the UI only — community staff submit
 * (after an eligibility preview), the street approves, the city returns it, the staff find it in
 * their community's list by name and resubmit, the city approves — and the city monitor's
 * dashboard shows the figures `GET /metrics/throughput` gives; then the shell: the English switch,
 * the offline banner, and a refused token opening the sign-in dialog. Every main screen is checked
 * with axe-core and kept as a screenshot.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Actor } from '../../functions/kernel/domain/actor.js';
import { shanghaiDate } from '../../functions/kernel/domain/dates.js';
import { type LocalStack, startLocalStack } from '../../local/runtime.js';
import {
  choose,
  connectBrowser,
  eventually,
  screenshot,
  seriousViolations,
  signedIn,
} from '../../tools/support/browser.js';
import { apiAs } from '../support/api-client.js';
import { testTableName } from '../support/dynamo.js';

let stack: LocalStack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([
    startLocalStack({
      dynamoEndpoint: inject('dynamoEndpoint'),
      template: inject('template'),
      tableName: testTableName('console-journey'),
      residentIdKey: 'r'.repeat(40),
      webhookSecretKey: 'k'.repeat(40),
      webhookIntervalMs: 100,
    }),
    connectBrowser(inject('browserEndpoint')),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function accessible(page: Page, screen: string): Promise<void> {
  // Judged at rest: no request under way (a loading button is dimmed on purpose).
  await eventually(
    `${screen} at rest`,
    async () => (await page.locator('.ant-btn-loading, .ant-spin-spinning').count()) === 0,
  );
  await screenshot(page, screen);
  expect(await seriousViolations(page), screen).toEqual([]);
}

async function fill(page: Page, label: string, value: string): Promise<void> {
  await page.getByLabel(label, { exact: true }).fill(value);
}

async function statusShown(page: Page): Promise<string> {
  return (await page.getByTestId('status').textContent()) ?? '';
}

async function openFromInbox(page: Page, name: string): Promise<void> {
  await page.getByRole('menuitem', { name: '待办' }).click();
  await page.getByRole('link', { name }).click();
  await page.getByRole('heading', { name: /申请详情/ }).waitFor();
}

describe('the staff console', () => {
  it('takes an application from intake to approval through the UI, and the dashboard counts it', async () => {
    // ── community staff: the form, the preview, 提交申请 ──
    const staff = await signedIn(browser, stack.apiUrl, 'staff-gexin-02');
    let page = staff.page;
    await page.getByRole('heading', { name: '新建申请' }).waitFor();
    await fill(page, '姓名', '李建国');
    // The check digit is judged as it is typed: a wrong last character is refused at once.
    await fill(page, '身份证号', '130105197003010116');
    await page.getByText('校验码不正确').waitFor();
    await fill(page, '身份证号', '130105197003010115');
    await page.getByText('校验码正确').waitFor();
    await fill(page, '手机号', '13800000002');
    await choose(page, '证明类型', '就业困难人员认定');
    await fill(page, '证明编号', 'KN-130105-2026-000045');
    await fill(page, '用人单位名称', '革新街社区服务中心');
    await fill(page, '统一社会信用代码', '91130100MA0ABCDE10');
    await fill(page, '岗位名称', '社区保洁');
    await fill(page, '上岗日期', '2026-02-01');
    await fill(page, '月补贴标准（元）', '500');
    await fill(page, '补贴起始月', '2026-02');
    await fill(page, '补贴月数', '6');
    await page.getByLabel('材料类型 1').fill('labour-contract');
    await page.getByLabel('材料编号 1').fill('doc-0003');
    await page.getByRole('button', { name: '资格预审' }).click();
    await page.getByRole('heading', { name: '资格预审结果（未记录）' }).waitFor();
    await page.getByText('符合条件', { exact: true }).waitFor();
    await page.getByText(/共 3,000.00 元/).waitFor();
    await accessible(page, 'staff-new-application');
    await page.getByRole('button', { name: '提交申请' }).click();
    await page.getByRole('heading', { name: /申请详情/ }).waitFor();
    const id = decodeURIComponent(page.url().split('/applications/')[1] ?? '');
    expect(id).not.toBe('');
    expect(await statusShown(page)).toBe('审核中 · 街道');
    await accessible(page, 'staff-application');

    // ── the street approves ──
    const street = await signedIn(browser, stack.apiUrl, 'approver-gexin');
    page = street.page;
    await page.getByRole('heading', { name: '待办' }).waitFor();
    await page.getByRole('link', { name: '李*国' }).waitFor();
    await accessible(page, 'approver-inbox');
    await page.getByRole('link', { name: '李*国' }).click();
    await page.getByRole('heading', { name: /申请详情/ }).waitFor();
    await page.getByText('记录完整，校验通过').waitFor();
    await accessible(page, 'approver-application');
    await page.getByRole('button', { name: '通过', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: '通过' }).click();
    await eventually('the street approval shown', async () => (await statusShown(page)) === '审核中 · 市');
    await expect(page.getByRole('button', { name: '通过', exact: true }).count()).resolves.toBe(0);

    // ── the city returns it with a comment ──
    const city = await signedIn(browser, stack.apiUrl, 'approver-city');
    page = city.page;
    await openFromInbox(page, '李*国');
    await page.getByRole('button', { name: '退回修改', exact: true }).click();
    const returnDialog = page.getByRole('dialog');
    await returnDialog.getByLabel('意见').fill('请补充劳动合同');
    await returnDialog.getByRole('button', { name: '退回修改' }).click();
    await eventually('the return shown', async () => (await statusShown(page)) === '已退回 · 社区');

    // ── community staff see it returned, with the comment, and resubmit ──
    page = staff.page;
    await page.getByRole('menuitem', { name: '本社区申请' }).click();
    await page.getByRole('heading', { name: '本社区申请' }).waitFor();
    await page.getByText('已退回').first().waitFor();
    await accessible(page, 'staff-community-applications');
    // The list is the server's (GET /applications): searched by name there, not in the page.
    const search = page.getByPlaceholder('按申请人姓名搜索');
    await search.fill('赵');
    await search.press('Enter');
    await eventually(
      'a name no one has finds nothing',
      async () => (await page.getByRole('link').filter({ hasText: '李建国' }).count()) === 0,
    );
    await search.fill('建国');
    await search.press('Enter');
    await page.getByRole('link', { name: '李建国' }).waitFor();
    await page.getByRole('link', { name: '李建国' }).click();
    await page.getByRole('button', { name: '重新提交', exact: true }).click();
    const resubmitDialog = page.getByRole('dialog');
    await resubmitDialog.getByText('请补充劳动合同').waitFor();
    await resubmitDialog.getByLabel('材料类型').fill('labour-contract');
    await resubmitDialog.getByLabel('材料编号').fill('doc-0010');
    await resubmitDialog.getByRole('button', { name: '重新提交' }).click();
    await eventually('the resubmission shown', async () => (await statusShown(page)) === '审核中 · 市');

    // ── the city approves ──
    page = city.page;
    await openFromInbox(page, '李*国');
    await page.getByRole('button', { name: '通过', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: '通过' }).click();
    await eventually('the approval shown', async () => (await statusShown(page)) === '已通过');
    const view = await apiAs(stack, { sub: 'approver-city', role: 'city-approver', unit: 'city:shijiazhuang' }).get(
      `/applications/${encodeURIComponent(id)}`,
    );
    expect(view.body.status).toBe('approved');
    expect(view.body.history.map((e: { action: string }) => e.action)).toEqual([
      'submitted',
      'approved',
      'returned',
      'resubmitted',
      'approved',
    ]);

    // ── the city monitor's dashboard shows what the API counts ──
    await stack.streamCaughtUp();
    const monitor = await signedIn(browser, stack.apiUrl, 'monitor-city');
    page = monitor.page;
    await page.getByRole('heading', { name: '统计看板' }).waitFor();
    const today = shanghaiDate(new Date());
    const monitorActor: Actor = { sub: 'monitor-city', role: 'city-monitor', unit: 'city:shijiazhuang' };
    const from = new Date(Date.parse(`${today}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
    const api = await apiAs(stack, monitorActor).get(`/metrics/throughput?from=${from}&to=${today}&granularity=day`);
    expect(api.status).toBe(200);
    expect(api.body.totals.submitted).toBe(1);
    expect(api.body.totals.approved).toBe(1);
    for (const name of ['submitted', 'approved', 'rejected', 'returned', 'withdrawn', 'overdue'])
      await eventually(`the dashboard's ${name}`, async () => {
        const shown = await page.getByTestId(`total-${name}`).locator('.ant-statistic-content-value').textContent();
        return Number(shown) === api.body.totals[name];
      });
    await accessible(page, 'monitor-dashboard');

    // ── the shell: English and back, the network dropping, a session that expires mid-work ──
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByRole('button', { name: '中文', exact: true }).click();
    await page.getByRole('heading', { name: '统计看板' }).waitFor();
    await monitor.context.setOffline(true);
    await page.getByText('网络已断开').waitFor();
    await monitor.context.setOffline(false);
    await eventually('the offline banner gone', async () => (await page.getByText('网络已断开').count()) === 0);
    // The API refuses the token (it expired, or was revoked): the next request opens the sign-in dialog.
    await page.route('**/metrics/throughput*', (route) =>
      route.fulfill({
        status: 401,
        contentType: 'application/problem+json',
        body: JSON.stringify({ status: 401, title: 'Unauthorized', detail: 'the token has expired' }),
      }),
    );
    await page.getByText('周', { exact: true }).click();
    await page
      .getByRole('dialog', { name: /登录已过期/ })
      .getByRole('button', { name: '登录' })
      .waitFor();
    for (const context of [staff.context, street.context, city.context, monitor.context]) await context.close();
  });
});
