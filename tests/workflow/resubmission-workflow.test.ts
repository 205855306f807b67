/**
 * Issue 19 on the running workflow (synthesized definition, local engine, real handlers, the
 * local HTTP server): a microloan guarantee returned for the business licence keeps waiting for
 * its resubmission through a refused slip, and ends approved after the corrected one; the figures
 * count no rejection.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applicationRepository } from '../../functions/applications/store/applications.js';
import { shanghaiDate } from '../../functions/kernel/domain/dates.js';
import { freePort } from '../../local/dynamodb-local.js';
import { type LocalStack, startLocalStack } from '../../local/runtime.js';
import { eventually } from '../../tools/support/eventually.js';
import { ownBusiness } from '../../tools/support/exchange-double.js';
import { actors, asPerson, contractBody } from '../../tools/support/fixtures.js';
import { apiAs } from '../support/api-client.js';
import { testTableName } from '../support/dynamo.js';

let stack: LocalStack;
let client: DynamoDBClient;

beforeAll(async () => {
  stack = await startLocalStack({
    dynamoEndpoint: inject('dynamoEndpoint'),
    template: inject('template'),
    tableName: testTableName('resubmission-workflow'),
    stepFunctionsPort: await freePort(),
    residentIdKey: 'x'.repeat(40),
  });
  client = new DynamoDBClient({
    endpoint: stack.dynamoEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});
afterAll(async () => {
  client?.destroy();
  await stack?.stop();
});

const as = (actor: Parameters<typeof apiAs>[1]) => apiAs(stack, actor);
const execution = (id: string) => stack.engine.describeExecution(stack.engine.executionArn(id));
const stored = async (id: string) => applicationRepository({ client, tableName: stack.tableName }).get(id);

const staff = actors.jianbei01Staff;
const plan = { kind: 'business-plan', ref: 'doc-0004' };
const licence = { kind: 'business-licence', ref: 'doc-0099' };

async function post(actor: Parameters<typeof apiAs>[1], path: string, body: unknown) {
  const answer = await as(actor).post(path, body);
  await stack.engine.whenIdle();
  return answer;
}

describe('a microloan guarantee returned for the business licence, on the running workflow', () => {
  it('survives the slip that drops the business plan and ends approved after the licence is added', async () => {
    const own = ownBusiness(asPerson(contractBody('microloan-guarantee'), 4242), 4242);
    stack.exchange.put({ entities: [own.entity] });
    const body = own.body;

    // The clerk tries the body first: the dry run answers eligible, and starts nothing.
    const dryRun = await post(staff, '/applications/eligibility-check', body);
    expect(dryRun.status).toBe(200);
    expect(dryRun.body).toMatchObject({ eligible: true, entitlement: { grantedFen: 15_000_000 } });
    expect(stack.engine.listExecutions()).toEqual([]);

    const taken = await post(staff, '/applications', body);
    expect(taken.status).toBe(201);
    const id = taken.body.id as string;
    expect(taken.body).toMatchObject({ status: 'in_review', stage: 'street', version: 1, documents: [plan] });
    expect(taken.body.eligibility).toEqual(dryRun.body.eligibility);

    const returned = await post(actors.jianbeiApprover, `/applications/${id}/decisions`, {
      decision: 'return',
      expectedVersion: 1,
      comment: '请补充营业执照',
    });
    expect(returned.body).toMatchObject({ status: 'returned', stage: 'community', version: 2 });
    expect(execution(id).status).toBe('RUNNING');
    const waiting = await eventually('the execution to wait for the resubmission', async () => {
      const task = (await stored(id))?.waitingTask;
      return task?.state === 'AwaitResubmission' && task;
    });

    // The slip: refused with the reasons; the execution keeps waiting on the same task.
    const slip = await post(staff, `/applications/${id}/resubmit`, { expectedVersion: 2, documents: [licence] });
    expect(slip.status).toBe(422);
    expect(slip.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(slip.body).toMatchObject({
      type: '/problems/not-eligible',
      eligible: false,
      errors: [{ field: 'documents', message: 'missing documents: business-plan' }],
    });
    expect(slip.body.eligibility).toContainEqual(
      expect.objectContaining({ ruleId: 'required-documents', passed: false, figures: expect.any(Object) }),
    );
    const afterSlip = await as(staff).get(`/applications/${id}`);
    expect(afterSlip.body).toMatchObject({ status: 'returned', stage: 'community', version: 2, documents: [plan] });
    expect(afterSlip.body.history).toHaveLength(2);
    expect(execution(id).status).toBe('RUNNING');
    expect((await stored(id))?.waitingTask).toEqual(waiting);

    // The correction: the licence added without restating the list.
    const corrected = await post(staff, `/applications/${id}/resubmit`, {
      expectedVersion: 2,
      addDocuments: [licence],
      comment: '已补充营业执照',
    });
    expect(corrected.status).toBe(200);
    expect(corrected.body).toMatchObject({
      status: 'in_review',
      stage: 'street',
      version: 3,
      eligible: true,
      documents: [plan, licence],
    });
    expect(execution(id).status).toBe('RUNNING');

    await post(actors.jianbeiApprover, `/applications/${id}/decisions`, { decision: 'approve', expectedVersion: 3 });
    const approved = await post(actors.cityApprover, `/applications/${id}/decisions`, {
      decision: 'approve',
      expectedVersion: 4,
    });
    expect(approved.body).toMatchObject({ status: 'approved', stage: null, version: 5 });
    expect(execution(id)).toMatchObject({
      status: 'SUCCEEDED',
      output: { action: 'finish', status: 'approved', version: 5 },
    });
    const history = (await as(staff).get(`/applications/${id}`)).body.history;
    expect(history.map((e: { action: string; stage: string }) => `${e.action}@${e.stage}`)).toEqual([
      'submitted@community',
      'returned@street',
      'resubmitted@community',
      'approved@street',
      'approved@city',
    ]);

    // The figures: one taken in, returned, resubmitted and approved; no rejection that no approver made.
    await stack.streamCaughtUp();
    const today = shanghaiDate(new Date());
    const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const figures = await eventually('the aggregator to count the approval', async () => {
      const answer = await as(actors.cityMonitor).get(
        `/metrics/throughput?from=${yesterday}&to=${today}&unit=street:jianbei&programme=microloan-guarantee`,
      );
      return answer.status === 200 && answer.body.totals.approved === 1 && answer.body.totals;
    });
    expect(figures).toMatchObject({ submitted: 1, returned: 1, resubmitted: 1, approved: 1, rejected: 0 });
  });
});
