/**
 * The console's decision screens in a real browser: an approver decides with the keyboard alone
 * (approve; reject with a reason code of the city's list), a decision someone else took first
 * is explained and the page reloads, 批量通过 confirms what it approves; and the administrators'
 * and webhook screens pass axe-core. Applications are taken in over the API: the intake form has
 * its own journey test.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { maskName } from '../../functions/applications/domain/privacy.js';
import type { Actor } from '../../functions/kernel/domain/actor.js';
import { type LocalStack, startLocalStack } from '../../local/runtime.js';
import { bodyForPerson } from '../../tools/support/applicants.js';
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
      tableName: testTableName('console-decisions'),
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

const staff: Actor = { sub: 'staff-gexin-01', role: 'community-staff', unit: 'community:gexin-01' };
const street: Actor = { sub: 'approver-gexin', role: 'street-approver', unit: 'street:gexin' };

/** Takes an application in; `shown` is the name as the inbox shows it (masked). */
async function takeIn(n: number): Promise<{ id: string; name: string; shown: string }> {
  const body = bodyForPerson('post-subsidy', staff.unit, n);
  body.applicant.name = `测${'甲乙丙丁戊己庚辛壬癸'[n % 10]}${'春夏秋冬'[n % 4]}`;
  const answer = await apiAs(stack, staff).post('/applications', body, { 'idempotency-key': `console-${n}` });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  await stack.engine.whenIdle();
  return { id: answer.body.id as string, name: body.applicant.name as string, shown: maskName(body.applicant.name) };
}

/** What a focus test sees of the focused element (evaluated in the page). */
type Focused = { id: string; textContent: string | null; closest(selector: string): unknown };

/** Presses Tab until the focused element is the one wanted (at most 80 times): the keyboard's way there. */
async function tabTo(page: Page, what: string, wanted: (element: Focused) => boolean): Promise<void> {
  const matches = async () => page.evaluate(`(${wanted.toString()})(document.activeElement)`);
  for (let i = 0; i < 80; i++) {
    if (await matches()) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${what}`);
}

const focusedText = (text: string) =>
  new Function('e', `return !!e && (e.textContent ?? '').replace(/\\s/g, '') === ${JSON.stringify(text)}`) as (
    e: Focused,
  ) => boolean;

async function statusShown(page: Page): Promise<string> {
  return (await page.getByTestId('status').textContent()) ?? '';
}

describe('deciding in the console', () => {
  it('approves and rejects with the keyboard alone', async () => {
    const first = await takeIn(11);
    const second = await takeIn(12);
    const { page, context } = await signedIn(browser, stack.apiUrl, street.sub);
    await page.getByRole('heading', { name: '待办' }).waitFor();
    await page.getByRole('link', { name: first.shown }).waitFor();

    // Approve: Tab to the row's link, Enter; Tab to 通过, Enter; type a comment; Tab to the dialog's 通过, Enter.
    await tabTo(page, 'the first application', focusedText(first.shown));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /申请详情/ }).waitFor();
    await tabTo(page, '通过', focusedText('通过'));
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await tabTo(page, 'the comment', (e) => e.id === 'decision-comment');
    await page.keyboard.type('材料齐全');
    await tabTo(page, "the dialog's 通过", (e) => !!e.closest('.ant-modal') && (e.textContent ?? '').trim() === '通过');
    await page.keyboard.press('Enter');
    await eventually('the approval shown', async () => (await statusShown(page)) === '审核中 · 市');
    const approved = await apiAs(stack, street).get(`/applications/${encodeURIComponent(first.id)}`);
    expect(approved.body.stage).toBe('city');
    expect(approved.body.history.at(-1)).toMatchObject({ action: 'approved', comment: '材料齐全' });

    // Reject: back to the inbox by keyboard, the second application, 不予通过 with a reason chosen by arrow keys.
    await tabTo(page, 'the way back', focusedText('返回待办'));
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: second.shown }).waitFor();
    await tabTo(page, 'the second application', focusedText(second.shown));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /申请详情/ }).waitFor();
    await tabTo(page, '不予通过', focusedText('不予通过'));
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    // The reason list: Tab to it, open it, move to 申请材料不全, choose it.
    await tabTo(page, 'the reason', (e) => e.id === 'decision-reason');
    await page.keyboard.press('Enter');
    await page.locator('.ant-select-item-option', { hasText: '申请材料不全' }).waitFor();
    for (let i = 0; i < 8; i++) {
      if ((await page.locator('.ant-select-item-option-active').textContent()) === '申请材料不全') break;
      await page.keyboard.press('ArrowDown');
    }
    await page.keyboard.press('Enter');
    await tabTo(
      page,
      "the dialog's 不予通过",
      (e) => !!e.closest('.ant-modal-footer') && (e.textContent ?? '').trim() === '不予通过',
    );
    await page.keyboard.press('Enter');
    await eventually('the rejection shown', async () => (await statusShown(page)) === '不予通过');
    const rejected = await apiAs(stack, street).get(`/applications/${encodeURIComponent(second.id)}`);
    expect(rejected.body.history.at(-1)).toMatchObject({ action: 'rejected', reason: 'incomplete-documents' });
    await context.close();
  });

  it('says so when someone else decided first, and shows the application as it now stands', async () => {
    const { id, shown } = await takeIn(13);
    const { page, context } = await signedIn(browser, stack.apiUrl, street.sub);
    await page.getByRole('link', { name: shown }).click();
    await page.getByRole('button', { name: '通过', exact: true }).waitFor();
    // Another street approver's session (the same person in another tab) approves first.
    const other = await apiAs(stack, street).post(`/applications/${encodeURIComponent(id)}/decisions`, {
      decision: 'approve',
      expectedVersion: 1,
    });
    expect(other.status).toBe(200);
    await page.getByRole('button', { name: '通过', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: '通过' }).click();
    await page.getByText('已被他人处理，页面已刷新。').waitFor();
    await eventually('the page reloaded', async () => (await statusShown(page)) === '审核中 · 市');
    await context.close();
  });

  it('batch-approves what was selected, after listing it', async () => {
    const taken = [await takeIn(14), await takeIn(15)];
    const { page, context } = await signedIn(browser, stack.apiUrl, street.sub);
    for (const { shown } of taken) await page.getByLabel(`选择${shown}的申请`).check();
    await page.getByRole('button', { name: '批量通过' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('将通过以下 2 件申请：').waitFor();
    await screenshot(page, 'approver-batch-confirm');
    await dialog.getByRole('button', { name: '批量通过' }).click();
    await page.getByText('已通过 2 件，未通过 0 件').waitFor();
    for (const { id } of taken) {
      const view = await apiAs(stack, street).get(`/applications/${encodeURIComponent(id)}`);
      expect(view.body.stage).toBe('city');
    }
    await context.close();
  });

  it("passes axe-core on the administrators' and the webhook screens", async () => {
    const admin = await signedIn(browser, stack.apiUrl, 'admin-city');
    for (const [path, heading, check] of [
      ['staff', '人员名录', '郑伟'],
      ['units', '组织机构', '革新街街道 (street:gexin)'],
      ['policies', '政策版本', 'shijiazhuang-2026.1'],
      ['calendars', '节假日安排', '2026'],
    ] as const) {
      await admin.page.goto(`${stack.apiUrl}/#/admin/${path}`);
      await admin.page.getByRole('heading', { name: heading }).waitFor();
      await admin.page.getByText(check, { exact: true }).first().waitFor();
      await screenshot(admin.page, `admin-${path}`);
      expect(await seriousViolations(admin.page), path).toEqual([]);
    }
    await admin.context.close();

    const { id } = await takeIn(16);
    const { page, context } = await signedIn(browser, stack.apiUrl, staff.sub);
    await page.goto(`${stack.apiUrl}/#/applications/${encodeURIComponent(id)}/webhooks`);
    await page.getByLabel('接收地址').fill('http://127.0.0.1:9/hook');
    await page.getByRole('button', { name: '登记接收地址' }).click();
    const secret = await page.getByTestId('webhook-secret').textContent();
    expect(secret).toMatch(/^whsec_/);
    await page.getByText('投递记录').waitFor();
    await screenshot(page, 'staff-webhooks');
    expect(await seriousViolations(page), 'webhooks').toEqual([]);
    await context.close();
  });
});
