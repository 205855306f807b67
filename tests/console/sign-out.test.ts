/**
 * A tab shared at a desk: what one person typed or was shown stays theirs. A new application's
 * draft (name, phone, resident ID) survives a session that expires and the same person signing in
 * again, but neither a sign-out followed by a colleague's sign-in nor a colleague answering the
 * "session expired" dialog finds any trace of it: not in the form, not in session storage.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/runtime.js';
import { connectBrowser, signedIn } from '../../tools/support/browser.js';
import { testTableName } from '../support/dynamo.js';

let stack: LocalStack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([
    startLocalStack({
      dynamoEndpoint: inject('dynamoEndpoint'),
      template: inject('template'),
      tableName: testTableName('console-sign-out'),
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

const typed = { name: '赵秀兰', residentId: '130105197003010115', phone: '13800000077' };

async function fillDraft(page: Page): Promise<void> {
  await page.getByRole('heading', { name: '新建申请' }).waitFor();
  await page.getByLabel('姓名', { exact: true }).fill(typed.name);
  await page.getByLabel('身份证号', { exact: true }).fill(typed.residentId);
  await page.getByLabel('手机号', { exact: true }).fill(typed.phone);
}

/** Everything the page can still see of the draft: the form's fields and the tab's storage. */
async function traces(page: Page): Promise<string> {
  await page.getByRole('heading', { name: '新建申请' }).waitFor();
  const fields = await Promise.all(
    ['姓名', '身份证号', '手机号'].map((label) => page.getByLabel(label, { exact: true }).inputValue()),
  );
  const storage = await page.evaluate<string>('JSON.stringify({ ...sessionStorage })');
  return [...fields, storage].join('\n');
}

function expectNoTrace(seen: string): void {
  for (const value of Object.values(typed)) expect(seen).not.toContain(value);
}

/** Signs in from the console's sign-in button (the sign-in screen, or the expired-session dialog). */
async function signInAs(page: Page, sub: string): Promise<void> {
  await page.getByRole('button', { name: new RegExp(`· ${sub} ·`) }).click();
  await page.getByRole('button', { name: '退出' }).waitFor({ timeout: 60_000 });
}

/** The API refuses the token (it expired, or was revoked); the dialog's 登录 goes to the provider. */
async function expireSessionAndSignIn(page: Page, sub: string): Promise<void> {
  const list = (url: URL) => url.pathname === '/applications';
  await page.route(list, (route) =>
    route.fulfill({
      status: 401,
      contentType: 'application/problem+json',
      body: JSON.stringify({ status: 401, title: 'Unauthorized', detail: 'the token has expired' }),
    }),
  );
  await page.getByRole('menuitem', { name: '本社区申请' }).click();
  const dialog = page.getByRole('dialog', { name: /登录已过期/ });
  await dialog.getByRole('button', { name: '登录' }).waitFor();
  await page.unroute(list);
  await dialog.getByRole('button', { name: '登录' }).click();
  await signInAs(page, sub);
  await page.getByRole('menuitem', { name: '新建申请' }).click();
}

describe('a tab shared at a desk', () => {
  it('forgets the draft at sign-out: the next person signing in finds no trace of it', async () => {
    const { context, page } = await signedIn(browser, stack.apiUrl, 'staff-gexin-01');
    await fillDraft(page);
    expect(await page.evaluate<string>('JSON.stringify({ ...sessionStorage })')).toContain(typed.phone);

    await page.getByRole('button', { name: '退出' }).click();
    await page.getByRole('button', { name: '登录' }).waitFor();
    // Forgotten at sign-out itself, not only once someone else signs in (claimTab's second guard).
    expectNoTrace(await page.evaluate<string>('JSON.stringify({ ...sessionStorage })'));
    await page.getByRole('button', { name: '登录' }).click();
    await signInAs(page, 'staff-gexin-02');

    expectNoTrace(await traces(page));
    await context.close();
  });

  it('keeps the draft for the same person after an expired session, but not for a colleague', async () => {
    const { context, page } = await signedIn(browser, stack.apiUrl, 'staff-gexin-01');
    await fillDraft(page);

    // The same person signs in again from the dialog: their draft is waiting.
    await expireSessionAndSignIn(page, 'staff-gexin-01');
    await page.getByRole('heading', { name: '新建申请' }).waitFor();
    expect(await page.getByLabel('手机号', { exact: true }).inputValue()).toBe(typed.phone);

    // A colleague answers the dialog instead: nothing of the draft reaches them.
    await expireSessionAndSignIn(page, 'staff-gexin-02');
    expectNoTrace(await traces(page));
    expect(await page.evaluate<string | null>("sessionStorage.getItem('console.owner')")).toBe('staff-gexin-02');
    await context.close();
  });
});
