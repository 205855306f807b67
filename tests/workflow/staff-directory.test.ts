/**
 * The staff directory through the running local stack: tokens from the local sign-in prove only
 * who calls; role and unit come from the directory, which the city's administrator keeps, logged.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../local/dynamodb-local.js';
import { type LocalStack, startLocalStack } from '../../local/runtime.js';
import { apiAs } from '../support/api-client.js';
import { testTableName } from '../support/dynamo.js';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({
    dynamoEndpoint: inject('dynamoEndpoint'),
    template: inject('template'),
    tableName: testTableName('staff-directory'),
    stepFunctionsPort: await freePort(),
    residentIdKey: 's'.repeat(40),
  });
});
afterAll(() => stack?.stop());

/** Calls as a person exactly as the directory has them (the demo people are seeded by the stack). */
async function as(sub: string, headers: Record<string, string> = {}) {
  const token = await stack.tokenOf(sub);
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // Whatever JSON the API answered; the tests assert on its fields.
    const answer: any = await response.json();
    return { status: response.status, type: response.headers.get('content-type'), body: answer };
  };
  return {
    get: (path: string) => call('GET', path),
    put: (path: string, body: unknown) => call('PUT', path, body),
  };
}

describe('the staff directory', () => {
  it('lists the staff of a unit to its city administrator, and to no one else', async () => {
    const admin = await as('admin-city');
    const gexin = await admin.get('/staff?unit=street:gexin');
    expect(gexin.status).toBe(200);
    expect(gexin.body.items.map((p: { sub: string }) => p.sub)).toEqual([
      'approver-gexin',
      'staff-gexin-01',
      'staff-gexin-02',
    ]);
    expect((await admin.get('/staff/approver-city')).body).toMatchObject({
      name: '郑伟',
      assignments: [{ role: 'city-approver', unit: 'city:shijiazhuang' }],
    });
    for (const sub of ['approver-city', 'monitor-city', 'staff-gexin-01']) {
      const refused = await (await as(sub)).get('/staff');
      expect(refused.status).toBe(403);
      expect(refused.type).toContain('application/problem+json');
    }
  });

  it('takes a person in, logs it once, and refuses changes to oneself or units outside the city', async () => {
    const admin = await as('admin-city');
    const body = {
      name: '李娜',
      assignments: [
        { role: 'street-approver', unit: 'street:dongfeng', from: '2026-01-01' },
        { role: 'city-monitor', unit: 'street:dongfeng', from: '2026-01-01' },
      ],
    };
    const put = await admin.put('/staff/li-na', body);
    expect(put).toMatchObject({ status: 200, body: { sub: 'li-na', version: 1, updatedBy: 'admin-city' } });
    // The same body again changes nothing and logs nothing.
    expect((await admin.put('/staff/li-na', body)).body.version).toBe(1);

    const own = await admin.put('/staff/admin-city', { name: '马军', assignments: [] });
    expect(own.status).toBe(403);
    const outside = await admin.put('/staff/li-na', {
      name: '李娜',
      assignments: [{ role: 'city-approver', unit: 'city:baoding', from: '2026-01-01' }],
    });
    expect(outside.status).toBe(422);
    expect(outside.body.errors).toEqual([
      { field: 'assignments.0.unit', message: expect.stringContaining('city:baoding') },
    ]);
    const invalid = await admin.put('/staff/li-na', {
      name: '李娜',
      assignments: [{ role: 'street-approver', unit: 'community:gexin-01', from: '2026-13-01' }],
    });
    expect(invalid.status).toBe(422);
    expect(invalid.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['assignments.0.from', 'assignments.0.unit']),
    );

    const log = await admin.get('/admin-log');
    expect(log.status).toBe(200);
    expect(log.body.intact).toBe(true);
    expect(log.body.items.filter((e: { target: string }) => e.target === 'li-na')).toEqual([
      expect.objectContaining({
        seq: 1,
        action: 'staff.put',
        by: 'admin-city',
        after: expect.objectContaining({ name: '李娜' }),
      }),
    ]);
  });

  it('acts under the one assignment a request names when a person holds several', async () => {
    const liNa = await as('li-na');
    const unnamed = await liNa.get('/inbox');
    expect(unnamed.status).toBe(400);
    expect(unnamed.body.assignments).toEqual(['street-approver@street:dongfeng', 'city-monitor@street:dongfeng']);
    expect((await (await as('li-na', { 'x-acting-as': 'street-approver@street:dongfeng' })).get('/inbox')).status).toBe(
      200,
    );
    const notHeld = await (await as('li-na', { 'x-acting-as': 'city-approver@city:shijiazhuang' })).get('/inbox');
    expect(notHeld.status).toBe(403);
  });

  it('takes role and unit from the directory, never from the token', async () => {
    // A well-signed token for someone the directory does not know: signed in, but allowed nothing.
    expect((await (await as('stranger')).get('/inbox')).status).toBe(403);
    // A token that claims a role is not believed: the directory says what `staff-gexin-01` is.
    const staff = apiAs(stack, { sub: 'staff-gexin-01', role: 'community-staff', unit: 'community:gexin-01' });
    expect((await staff.get('/staff')).status).toBe(403);
    // No token, or a shared-secret one: 401.
    expect((await fetch(`${stack.apiUrl}/inbox`)).status).toBe(401);
    const head = `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.${Buffer.from(
      JSON.stringify({ sub: 'admin-city', iss: stack.issuer, aud: 'subsidy-console', exp: 2e9 }),
    ).toString('base64url')}`;
    const hs = `${head}.${createHmac('sha256', 'local-development-only-signing-key-do-not-deploy').update(head).digest('base64url')}`;
    expect((await fetch(`${stack.apiUrl}/staff`, { headers: { authorization: `Bearer ${hs}` } })).status).toBe(401);
  });

  it('shows each demo person on the sign-in page as a button named with their sub', async () => {
    const verifier = 'a'.repeat(43);
    const { createHash } = await import('node:crypto');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const query = new URLSearchParams({
      client_id: 'subsidy-console',
      response_type: 'code',
      scope: 'openid profile',
      redirect_uri: `${stack.apiUrl}/signed-in`,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const start = await fetch(`${stack.issuer}/auth?${query}`, { redirect: 'manual' });
    expect(start.status).toBe(303);
    const cookies = start.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const page = await fetch(new URL(start.headers.get('location') as string, stack.apiUrl), {
      headers: { cookie: cookies },
    });
    const html = await page.text();
    expect(page.status).toBe(200);
    for (const sub of ['staff-gexin-01', 'approver-gexin', 'approver-city', 'admin-city'])
      expect(html).toMatch(new RegExp(`<button[^>]*value="${sub}"[^>]*>[^<]*${sub}[^<]*</button>`));
  });
});
