/**
 * Full-employment communities through the whole product on one machine (the runtime `npm start`
 * runs, with its demo ledger): the scorecard is not empty on a fresh start; a person registered
 * over HTTP, their post-subsidy application approved at the street and the city, the approval fed
 * from the table's stream into their ledger entry; then the scorecard, the evaluation, its one
 * approval and the published list.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Actor } from '../../functions/kernel/domain/actor.js';
import { shanghaiDate } from '../../functions/kernel/domain/dates.js';
import { type LocalStack, startLocalStack } from '../../local/runtime.js';
import { bodyForPerson } from '../../tools/support/applicants.js';
import { eventually } from '../../tools/support/eventually.js';
import { actors } from '../../tools/support/fixtures.js';
import { apiAs } from '../support/api-client.js';
import { testTableName } from '../support/dynamo.js';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({
    dynamoEndpoint: inject('dynamoEndpoint'),
    template: inject('template'),
    tableName: testTableName('full-employment-e2e'),
    residentIdKey: 'r'.repeat(40),
    webhookSecretKey: 'k'.repeat(40),
    webhookIntervalMs: 100,
    seedDemoLedger: true,
  });
});
afterAll(async () => {
  await stack?.stop();
});

const as = (actor: Actor) => apiAs(stack, actor);
const year = shanghaiDate(new Date()).slice(0, 4);

describe('full-employment communities, end to end', () => {
  it('goes from registration through a subsidy approval to the scorecard, the evaluation and the published list', async () => {
    // A fresh start is not empty: the demo ledger is there, in every community.
    expect(stack.demoLedger?.people).toBeGreaterThan(200);
    const before = (await as(actors.cityMonitor).get(`/scorecard?period=${year}&unit=community:gexin-02`)).body;
    expect(before.registeredInPeriod + before.registeredUnemployed).toBeGreaterThan(0);
    expect(before.zeroEmployment.found).toBeGreaterThan(0);
    // Seeded in bulk, yet each seeded history verifies as one written by requests does.
    const seeded = (await as(actors.gexin01Staff).get('/ledger/entries/demo-0001')).body;
    expect(seeded).toMatchObject({ communityId: 'community:gexin-01', historyIntact: true });
    expect(seeded.history.length).toBeGreaterThan(0);

    // Community staff register a person in a household of their own.
    const body = bodyForPerson('post-subsidy', 'community:gexin-02', 77);
    const registeredOn = shanghaiDate(new Date(Date.now() - 40 * 86_400_000));
    const registered = await as(actors.gexin02Staff).post('/ledger/entries', {
      idNumber: body.applicant.idNumber,
      name: body.applicant.name,
      phone: body.applicant.phone,
      registeredOn,
      certificateHolder: true,
      household: { new: { label: '东风路7号' } },
    });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    const entryId = registered.body.id as string;
    expect(registered.body.household).toMatchObject({ zeroEmployment: true, zeroSince: registeredOn });
    const again = await as(actors.gexin02Staff).post('/ledger/entries', {
      idNumber: body.applicant.idNumber,
      name: body.applicant.name,
      registeredOn,
      household: { new: {} },
    });
    expect(again.status).toBe(409);
    expect(again.body.existingEntryId).toBe(entryId);

    // Their post-subsidy application, approved at the street and the city.
    const submitted = await as(actors.gexin02Staff).post('/applications', body);
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    const applicationId = submitted.body.id as string;
    await stack.engine.whenIdle();
    for (const [actor, version] of [
      [actors.gexinApprover, 1],
      [actors.cityApprover, 2],
    ] as const) {
      const decided = await as(actor).post(`/applications/${applicationId}/decisions`, {
        decision: 'approve',
        expectedVersion: version,
      });
      expect(decided.status, JSON.stringify(decided.body)).toBe(200);
      await stack.engine.whenIdle();
    }

    // The approval reaches the ledger from the stream: in work on the post, the application linked, the family resolved.
    const entry = await eventually('the approval on the ledger entry', async () => {
      const answer = (await as(actors.gexin02Staff).get(`/ledger/entries/${entryId}`)).body;
      return answer.status === 'employed' ? answer : undefined;
    });
    expect(entry).toMatchObject({
      employment: 'public-welfare-post',
      applications: [applicationId],
      historyIntact: true,
      household: { zeroEmployment: false },
    });
    expect(entry.history.at(-1)).toMatchObject({
      applicationId,
      householdEffect: 'resolved',
      statusBefore: 'unemployed',
    });

    // The scorecard counts them: one more re-employed, one more family found and resolved, the subsidy granted.
    const after = (await as(actors.cityMonitor).get(`/scorecard?period=${year}&unit=community:gexin-02`)).body;
    expect(after.registeredInPeriod).toBe(before.registeredInPeriod + 1);
    expect(after.reemployedInPeriod).toBe(before.reemployedInPeriod + 1);
    expect(after.employed).toBe(before.employed + 1);
    expect(after.zeroEmployment.found).toBe(before.zeroEmployment.found + 1);
    expect(after.zeroEmployment.resolved).toBe(before.zeroEmployment.resolved + 1);
    await eventually('the subsidy in the scorecard', async () => {
      const card = (await as(actors.cityMonitor).get(`/scorecard?period=${year}&unit=community:gexin-02`)).body;
      return card.subsidies['post-subsidy']?.count === (before.subsidies['post-subsidy']?.count ?? 0) + 1;
    });
    const csv = await as(actors.cityMonitor).get(`/scorecard.csv?period=${year}`);
    expect(csv.status).toBe(200);

    // The evaluation: every community with its reasons, approved once, then published.
    const evaluation = await as(actors.cityMonitor).post(`/evaluations/${year}`, {});
    expect(evaluation.status, JSON.stringify(evaluation.body)).toBe(200);
    expect(evaluation.body.standings).toHaveLength(6);
    for (const standing of evaluation.body.standings)
      expect(standing.criteria.map((c: { criterion: string }) => c.criterion)).toEqual([
        'employment-rate',
        'zero-employment-families',
        'ledger-timeliness',
      ]);
    const passing = evaluation.body.standings
      .filter((s: { fullEmployment: boolean }) => s.fullEmployment)
      .map((s: { communityId: string }) => s.communityId);
    expect(passing.length).toBeGreaterThan(0);
    expect(passing.length).toBeLessThan(6);
    expect((await as(actors.cityApprover).get(`/full-employment-communities/${year}`)).status).toBe(404);
    expect((await as(actors.cityApprover).post(`/evaluations/${year}/approval`, {})).status).toBe(200);
    expect((await as(actors.cityApprover).post(`/evaluations/${year}/approval`, {})).status).toBe(409);
    const published = await as(actors.gexin01Staff).get(`/full-employment-communities/${year}`);
    expect(published.status).toBe(200);
    expect(published.body.communities.map((c: { communityId: string }) => c.communityId)).toEqual(passing);
    const publishedCsv = await as(actors.gexin01Staff).get(`/full-employment-communities/${year}/csv`);
    expect(publishedCsv.status).toBe(200);
  });
});
