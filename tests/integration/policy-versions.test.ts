/**
 * POST /policies, GET /policies and GET /policies/diff against DynamoDB Local: a version validated
 * against the policy schema, taking effect today or later, never changed; and applications judged
 * by the version they were submitted under, before and after a new one takes effect.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { AdminDependencies } from '../../functions/administration/http/dependencies.js';
import { makeListPolicies } from '../../functions/administration/http/list-policies.js';
import { makePolicyDiff } from '../../functions/administration/http/policy-diff.js';
import { makePublishPolicy } from '../../functions/administration/http/publish-policy.js';
import { adminLogRepository } from '../../functions/administration/store/admin-log.js';
import { calendarRepository } from '../../functions/administration/store/calendars.js';
import { policyRepository } from '../../functions/administration/store/policies.js';
import { staffRepository } from '../../functions/administration/store/staff.js';
import { unitRepository } from '../../functions/administration/store/units.js';
import { makeGetApplication } from '../../functions/applications/http/get-application.js';
import { makeSubmitApplication } from '../../functions/applications/http/submit-application.js';
import type { Actor } from '../../functions/kernel/domain/actor.js';
import { shijiazhuang2026v1 } from '../../functions/kernel/domain/policies/shijiazhuang-2026.1.js';
import { actors, asPerson, contractBody } from '../../tools/support/fixtures.js';
import { actorFromTestClaims, httpEvent, lambdaContext, parsed } from '../../tools/support/http-events.js';
import { freshTable } from '../support/dynamo.js';
import { handlerDependencies } from '../support/handler-deps.js';

const admin: Actor = { sub: 'admin-city', role: 'city-admin', unit: 'city:shijiazhuang' };
let clock = new Date('2026-11-28T03:00:00Z');
let adminDeps: AdminDependencies;
let api: ReturnType<typeof handlerDependencies>;

beforeAll(async () => {
  const table = await freshTable();
  const policies = policyRepository(table);
  adminDeps = {
    resolveActor: actorFromTestClaims,
    staff: staffRepository(table),
    adminLog: adminLogRepository(table),
    units: unitRepository(table),
    policies,
    calendars: calendarRepository(table),
    now: () => clock,
  };
  api = handlerDependencies(table, 'policy', { policies, now: () => clock });
});

const publish = async (actor: Actor, body: unknown) =>
  makePublishPolicy(adminDeps)(httpEvent({ actor, body }), lambdaContext);
const list = async (query: Record<string, string> = {}) =>
  parsed(await makeListPolicies(adminDeps)(httpEvent({ actor: admin, queryStringParameters: query }), lambdaContext));
const submit = async (n: number) =>
  parsed(
    await makeSubmitApplication(api)(
      httpEvent({ actor: actors.gexin02Staff, body: asPerson(contractBody('post-subsidy'), n) }),
      lambdaContext,
    ),
  );

const v2 = {
  ...shijiazhuang2026v1,
  version: 'shijiazhuang-2027.1',
  effectiveFrom: '2027-01-01',
  approvalChain: ['street', 'district', 'city'],
  programmes: {
    ...shijiazhuang2026v1.programmes,
    'post-subsidy': { ...shijiazhuang2026v1.programmes['post-subsidy'], monthlyCapFen: 40_000 },
  },
};

describe('policy versions', () => {
  it('refuses a document that fails the schema with the path of each failure, and nothing is published', async () => {
    const broken = structuredClone(v2) as Record<string, any>;
    broken.programmes['post-subsidy'].monthlyCapFen = 12.5;
    broken.approvalChain = ['street'];
    const refused = await publish(admin, broken);
    expect(refused.statusCode).toBe(422);
    expect(parsed(refused).errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['approvalChain', 'programmes.post-subsidy.monthlyCapFen']),
    );
    const past = await publish(admin, { ...v2, effectiveFrom: '2026-11-27' });
    expect(parsed(past)).toMatchObject({ status: 422, errors: [{ field: 'effectiveFrom' }] });
    expect((await publish(admin, { ...v2, cityId: 'city:baoding' })).statusCode).toBe(403);
    expect((await publish(actors.cityApprover, v2)).statusCode).toBe(403);
    expect((await list()).items.map((v: { version: string }) => v.version)).toEqual(['shijiazhuang-2026.1']);
  });

  it('publishes a version for a later day, once; lists it as scheduled; shows what changed', async () => {
    const published = await publish(admin, v2);
    expect(published.statusCode).toBe(201);
    expect(parsed(published)).toMatchObject({
      version: 'shijiazhuang-2027.1',
      status: 'scheduled',
      publishedBy: 'admin-city',
    });
    // A retry answers the same; another document under the same name (or a shipped name) is refused.
    expect((await publish(admin, v2)).statusCode).toBe(200);
    expect((await publish(admin, { ...v2, maxReturnRounds: 1 })).statusCode).toBe(409);
    expect((await publish(admin, { ...shijiazhuang2026v1, effectiveFrom: '2027-02-01' })).statusCode).toBe(409);

    expect(await list()).toMatchObject({
      inForce: 'shijiazhuang-2026.1',
      items: [
        { version: 'shijiazhuang-2026.1', effectiveFrom: '2026-01-01', source: 'shipped', status: 'in-force' },
        { version: 'shijiazhuang-2027.1', effectiveFrom: '2027-01-01', source: 'published', status: 'scheduled' },
      ],
    });
    expect((await list({ version: 'shijiazhuang-2027.1' })).document.programmes['post-subsidy'].monthlyCapFen).toBe(
      40_000,
    );
    const diff = parsed(
      await makePolicyDiff(adminDeps)(
        httpEvent({ actor: admin, queryStringParameters: { from: 'shijiazhuang-2026.1', to: 'shijiazhuang-2027.1' } }),
        lambdaContext,
      ),
    );
    expect(diff.changes).toEqual([
      { path: 'approvalChain', from: ['street', 'city'], to: ['street', 'district', 'city'] },
      { path: 'effectiveFrom', from: '2026-01-01', to: '2027-01-01' },
      { path: 'programmes.post-subsidy.monthlyCapFen', from: 60_000, to: 40_000 },
    ]);
    expect(await adminDeps.adminLog.entries('city:shijiazhuang')).toMatchObject([
      { action: 'policy.publish', target: 'shijiazhuang-2027.1', after: { effectiveFrom: '2027-01-01' } },
    ]);
  });

  it('judges each application by the version it was submitted under, after the next takes effect too', async () => {
    const before = await submit(8101);
    expect(before).toMatchObject({ policyVersion: 'shijiazhuang-2026.1', entitlement: { monthlyFen: 50_000 } });
    clock = new Date('2027-01-04T03:00:00Z');
    const after = await submit(8102);
    expect(after).toMatchObject({ policyVersion: 'shijiazhuang-2027.1', entitlement: { monthlyFen: 40_000 } });
    expect((await list()).items.map((v: { status: string }) => v.status)).toEqual(['superseded', 'in-force']);
    // The earlier one still shows the decisions of its own version.
    const shown = parsed(
      await makeGetApplication(api)(
        httpEvent({ actor: actors.gexinApprover, pathParameters: { id: before.id } }),
        lambdaContext,
      ),
    );
    expect(shown).toMatchObject({
      policyVersion: 'shijiazhuang-2026.1',
      availableDecisions: expect.arrayContaining(['approve']),
    });
  });
});
