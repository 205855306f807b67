/**
 * The checks against other offices' records in a real browser: an approver sees an application's
 * 信息核查 with its suspicion (疑点) holding the approval; the auditor (稽核员, auditor-city 冯涛)
 * opens the 疑点核查 queue, reads what the records say and clears the suspicion with its evidence;
 * a city monitor asks for the monthly re-check (月度复核) and reads its report. Applications are
 * taken in over the API, after a pension is put into the local data exchange for their applicant.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Actor } from '../../functions/kernel/domain/actor.js';
import { type LocalStack, startLocalStack } from '../../local/runtime.js';
import { bodyForPerson } from '../../tools/support/applicants.js';
import {
  choose,
  connectBrowser,
  eventually,
  screenshot,
  seriousViolations,
  signedIn,
} from '../../tools/support/browser.js';
import type { ExchangeRecords } from '../../tools/support/exchange-double.js';
import { apiAs } from '../support/api-client.js';
import { testTableName } from '../support/dynamo.js';

let stack: LocalStack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([
    startLocalStack({
      dynamoEndpoint: inject('dynamoEndpoint'),
      template: inject('template'),
      tableName: testTableName('console-verification'),
      residentIdKey: 'r'.repeat(40),
      webhookSecretKey: 'k'.repeat(40),
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
// The auditor's role joins the roles with the suspicion queue; named loosely until then.
const auditor = { sub: 'auditor-city', role: 'auditor', unit: 'city:shijiazhuang' } as unknown as Actor;

/** The local data exchange the stack runs (`npm start` starts it; its records merged as `npm run exchange -- put` does). */
const exchange = () => (stack as LocalStack & { exchange: { put(records: ExchangeRecords): unknown } }).exchange;

/** Takes in a flexible-employment application for someone drawing a pension since May: flagged, not refused. */
async function takeInFlagged(n: number): Promise<{ id: string; suspicionId: string }> {
  const body = bodyForPerson('flexible-employment', staff.unit, n);
  exchange().put({ pensions: [{ idNumber: body.applicant.idNumber, from: '2026-05' }] });
  const answer = await apiAs(stack, staff).post('/applications', body, { 'idempotency-key': `verification-${n}` });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  await stack.engine.whenIdle();
  const view = await apiAs(stack, street).get(`/applications/${encodeURIComponent(answer.body.id)}`);
  const suspicion = view.body.verification?.suspicion;
  expect(suspicion, JSON.stringify(view.body.verification)).toMatchObject({ status: 'open' });
  return { id: answer.body.id as string, suspicionId: suspicion.id as string };
}

describe('checks against other offices’ records in the console', () => {
  it('shows an application’s checks, and holds its approval while its suspicion is open', async () => {
    const { id, suspicionId } = await takeInFlagged(41);
    const { page, context } = await signedIn(browser, stack.apiUrl, street.sub);
    await page.goto(`${stack.apiUrl}/#/applications/${encodeURIComponent(id)}`);
    await page.getByRole('heading', { name: '信息核查' }).waitFor();

    const pension = page.getByTestId('check-drawing-pension');
    await pension.getByText('不符', { exact: true }).waitFor();
    await pension.getByText('疑点，待稽核').waitFor();
    await pension.getByText(/养老金领取（社保）/).waitFor();
    await page.getByTestId('check-deceased').getByText('通过', { exact: true }).waitFor();

    await page
      .getByTestId('suspicion-banner')
      .getByText(/待核查/)
      .waitFor();
    const link = page.getByTestId('suspicion-link');
    expect(await link.getAttribute('href')).toContain(encodeURIComponent(suspicionId));
    // Approval is not offered while the suspicion is open; the page says why.
    expect(await page.getByTestId('approve-hold').textContent()).toBe('疑点未处理，暂不能通过');
    expect(await page.getByRole('button', { name: '通过', exact: true }).count()).toBe(0);
    await page.getByRole('button', { name: '不予通过', exact: true }).waitFor();
    await screenshot(page, 'approver-application-checks');
    expect(await seriousViolations(page), 'application').toEqual([]);
    await context.close();
  });

  it('lets the auditor clear a suspicion from the queue, with the evidence that clears it', async () => {
    const { id, suspicionId } = await takeInFlagged(42);
    const { page, context } = await signedIn(browser, stack.apiUrl, auditor.sub);
    await page.getByText('稽核员').first().waitFor();
    await page.getByRole('menuitem', { name: '疑点核查' }).click();
    await page.getByRole('heading', { name: '疑点核查' }).waitFor();
    await page.getByRole('button', { name: `查看 ${suspicionId}` }).waitFor();
    await screenshot(page, 'auditor-flags');
    expect(await seriousViolations(page), 'queue').toEqual([]);

    await page.getByRole('button', { name: `查看 ${suspicionId}` }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByText('不符的记录').waitFor();
    await drawer.getByTestId('check-drawing-pension').getByText('领取起始月份: 2026-05').waitFor();
    await drawer.getByRole('link', { name: id }).waitFor();

    await drawer.getByRole('radio', { name: '排除疑点' }).check();
    await choose(page, '核查方式', '实地核查');
    await drawer.getByLabel('凭证编号或说明').fill('走访记录-2026-0042');
    await drawer.getByLabel('备注').fill('本人在岗，养老金为其配偶领取，登记有误');
    await screenshot(page, 'auditor-flag-disposition');
    await drawer.getByRole('button', { name: '提交结论' }).click();
    await page.getByText('已记录：已排除').waitFor();
    await eventually(
      'the drawer shows it cleared',
      async () => (await drawer.getByTestId('flag-status').textContent()) === '已排除',
    );

    const flag = await apiAs(stack, auditor).get(`/verification/flags/${encodeURIComponent(suspicionId)}`);
    expect(flag.body).toMatchObject({
      status: 'cleared',
      disposition: { outcome: 'cleared', evidence: { kind: 'on-site-visit', reference: '走访记录-2026-0042' } },
    });
    const view = await apiAs(stack, street).get(`/applications/${encodeURIComponent(id)}`);
    expect(view.body.verification.suspicion).toMatchObject({ id: suspicionId, status: 'cleared' });
    await context.close();
  });

  it('lets a city monitor ask for the monthly re-check and read its report', async () => {
    const { page, context } = await signedIn(browser, stack.apiUrl, 'monitor-city');
    await page.getByRole('menuitem', { name: '月度复核' }).click();
    await page.getByRole('heading', { name: '月度复核' }).waitFor();
    await page.getByRole('button', { name: '发起复核' }).click();
    await page.getByTestId('recheck-report').getByText('已复核补贴').waitFor();
    await screenshot(page, 'monitor-recheck');
    expect(await seriousViolations(page), 'recheck').toEqual([]);
    await context.close();
  });
});
