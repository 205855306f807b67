/**
 * The synthesized state machine, run by the local engine with the real handlers against
 * DynamoDB Local: every route an application can take, and a restart in the middle.
 */

import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { keys, toItem } from '../../functions/kernel/store/table.js';
import { freePort } from '../../local/dynamodb-local.js';
import { type LocalStack, startLocalStack } from '../../local/runtime.js';
import { actors, asPerson, contractBody } from '../../tools/support/fixtures.js';
import { apiAs } from '../support/api-client.js';
import { testTableName } from '../support/dynamo.js';

let stack: LocalStack;
let stepFunctionsPort: number;
const tableName = testTableName('workflow');
const residentIdKey = 'w'.repeat(40);

async function start(): Promise<LocalStack> {
  return startLocalStack({
    dynamoEndpoint: inject('dynamoEndpoint'),
    template: inject('template'),
    tableName,
    stepFunctionsPort,
    residentIdKey,
  });
}

beforeAll(async () => {
  stepFunctionsPort = await freePort();
  stack = await start();
});
afterAll(() => stack?.stop());

const as = (actor: Parameters<typeof apiAs>[1]) => apiAs(stack, actor);

let people = 0;
async function submit(body = contractBody('public-welfare-post')) {
  const staff =
    body.communityId === 'community:gexin-01'
      ? actors.gexin01Staff
      : body.communityId === 'community:jianbei-01'
        ? actors.jianbei01Staff
        : actors.gexin02Staff;
  // A person may have one active application per programme, and one grant per month: each submission its own person.
  const answer = await as(staff).post('/applications', asPerson(body, ++people));
  expect(answer.status).toBe(201);
  await stack.engine.whenIdle();
  return answer.body as { id: string; version: number };
}

async function decide(id: string, actor: Parameters<typeof apiAs>[1], body: Record<string, unknown>) {
  const answer = await as(actor).post(`/applications/${id}/decisions`, body);
  await stack.engine.whenIdle();
  return answer;
}

const execution = (id: string) => stack.engine.describeExecution(stack.engine.executionArn(id));

describe('approval workflow (synthesized definition, local engine)', () => {
  it('runs street then city approval to the end', async () => {
    const { id } = await submit();
    expect(execution(id).status).toBe('RUNNING');

    expect((await decide(id, actors.gexinApprover, { decision: 'approve', expectedVersion: 1 })).body).toMatchObject({
      stage: 'city',
      version: 2,
    });
    expect(execution(id).status).toBe('RUNNING');
    expect((await decide(id, actors.cityApprover, { decision: 'approve', expectedVersion: 2 })).body).toMatchObject({
      status: 'approved',
      version: 3,
    });

    expect(execution(id)).toMatchObject({
      status: 'SUCCEEDED',
      output: { action: 'finish', status: 'approved', version: 3 },
    });
  });

  it('ends the execution when the street rejects', async () => {
    const { id } = await submit(contractBody('microloan-guarantee'));
    const rejected = await decide(id, actors.jianbeiApprover, {
      decision: 'reject',
      expectedVersion: 1,
      reason: 'false-information',
      comment: 'business licence not valid',
    });
    expect(rejected.body).toMatchObject({ status: 'rejected', stage: null });
    expect(execution(id)).toMatchObject({ status: 'SUCCEEDED', output: { status: 'rejected' } });
  });

  it('waits for resubmission after a return and comes back to the level that returned it', async () => {
    const { id } = await submit(contractBody('flexible-employment'));
    await decide(id, actors.gexinApprover, { decision: 'approve', expectedVersion: 1 });
    const returned = await decide(id, actors.cityApprover, {
      decision: 'return',
      expectedVersion: 2,
      comment: '请补充缴费凭证',
    });
    expect(returned.body).toMatchObject({ status: 'returned', stage: 'community', returnedFrom: 'city' });
    expect(execution(id).status).toBe('RUNNING');

    const resubmitted = await as(actors.gexin01Staff).post(`/applications/${id}/resubmit`, {
      expectedVersion: 3,
      documents: [{ kind: 'contribution-receipt', ref: 'doc-0099' }],
    });
    await stack.engine.whenIdle();
    expect(resubmitted.body).toMatchObject({ status: 'in_review', stage: 'city', version: 4 });

    await decide(id, actors.cityApprover, { decision: 'approve', expectedVersion: 4 });
    expect(execution(id)).toMatchObject({ status: 'SUCCEEDED', output: { status: 'approved' } });
    const history = (await as(actors.gexin01Staff).get(`/applications/${id}`)).body.history;
    expect(history.map((e: { action: string; stage: string }) => `${e.action}@${e.stage}`)).toEqual([
      'submitted@community',
      'approved@street',
      'returned@city',
      'resubmitted@community',
      'approved@city',
    ]);
  });

  it('lets one of two simultaneous decisions on a stage through and answers 409 to the other', async () => {
    const { id } = await submit();
    const answers = await Promise.all([
      as(actors.gexinApprover).post(`/applications/${id}/decisions`, { decision: 'approve', expectedVersion: 1 }),
      as(actors.gexinApprover2).post(`/applications/${id}/decisions`, {
        decision: 'reject',
        expectedVersion: 1,
        reason: 'duplicate-application',
      }),
    ]);
    await stack.engine.whenIdle();
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);

    const shown = (await as(actors.gexinApprover).get(`/applications/${id}`)).body;
    expect(shown.version).toBe(2);
    expect(shown.history.filter((e: { stage: string }) => e.stage === 'street')).toHaveLength(1);
    const winner = answers.find((a) => a.status === 200)!.body;
    expect(execution(id).status).toBe(winner.status === 'rejected' ? 'SUCCEEDED' : 'RUNNING');

    const repeat = await decide(id, actors.gexinApprover, { decision: 'approve', expectedVersion: 1 });
    expect(repeat.status).toBe(409);
    expect((await as(actors.gexinApprover).get(`/applications/${id}`)).body.version).toBe(2);
  });

  it('resumes waiting executions after a restart, and they run on to the end', async () => {
    const atStreet = await submit();
    const atCity = await submit(contractBody('post-subsidy'));
    await decide(atCity.id, actors.gexinApprover, { decision: 'approve', expectedVersion: 1 });
    const returned = await submit(contractBody('flexible-employment'));
    await decide(returned.id, actors.gexinApprover, {
      decision: 'return',
      expectedVersion: 1,
      comment: 'fix the period',
    });

    await stack.stop();
    stack = await start();
    expect(stack.resumed).toBeGreaterThanOrEqual(3);
    await stack.engine.whenIdle();
    for (const { id } of [atStreet, atCity, returned]) expect(execution(id).status).toBe('RUNNING');

    await decide(atStreet.id, actors.gexinApprover, { decision: 'approve', expectedVersion: 1 });
    await decide(atStreet.id, actors.cityApprover, { decision: 'approve', expectedVersion: 2 });
    await decide(atCity.id, actors.cityApprover, { decision: 'approve', expectedVersion: 2 });
    await as(actors.gexin01Staff).post(`/applications/${returned.id}/resubmit`, { expectedVersion: 2 });
    await stack.engine.whenIdle();
    await decide(returned.id, actors.gexinApprover, {
      decision: 'reject',
      expectedVersion: 3,
      reason: 'duplicate-application',
      comment: 'period already subsidised',
    });

    expect(execution(atStreet.id)).toMatchObject({ status: 'SUCCEEDED', output: { status: 'approved' } });
    expect(execution(atCity.id)).toMatchObject({ status: 'SUCCEEDED', output: { status: 'approved' } });
    expect(execution(returned.id)).toMatchObject({ status: 'SUCCEEDED', output: { status: 'rejected' } });
  });
});

describe('withdrawal and history (synthesized definition, local engine)', () => {
  it('ends the execution cleanly when the community withdraws, and closes its open task', async () => {
    const { id } = await submit();
    const withdrawn = await as(actors.gexin02Staff).post(`/applications/${id}/withdraw`, {
      expectedVersion: 1,
      comment: '申请人已找到工作',
    });
    await stack.engine.whenIdle();
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn', stage: null, version: 2 });
    expect(execution(id)).toMatchObject({ status: 'SUCCEEDED', output: { status: 'withdrawn' } });
    expect((await decide(id, actors.gexinApprover, { decision: 'approve', expectedVersion: 2 })).status).toBe(409);
  });

  it('approves a batch, each application on its own, and says which failed', async () => {
    const first = await submit();
    const second = await submit();
    const answer = await as(actors.gexinApprover).post('/decisions/batch', {
      decisions: [
        { applicationId: first.id, expectedVersion: 1 },
        { applicationId: second.id, expectedVersion: 5 },
        { applicationId: 'no-such-application', expectedVersion: 1 },
      ],
    });
    await stack.engine.whenIdle();
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ succeeded: 1, failed: 2 });
    expect(answer.body.results.map((r: { status: number }) => r.status)).toEqual([200, 409, 404]);
    expect((await as(actors.gexinApprover).get(`/applications/${first.id}`)).body.stage).toBe('city');
    expect((await as(actors.gexinApprover).get(`/applications/${second.id}`)).body.stage).toBe('street');
    expect(
      (
        await as(actors.gexinApprover).post('/decisions/batch', {
          decisions: Array.from({ length: 51 }, (_, i) => ({ applicationId: `a${i}`, expectedVersion: 1 })),
        })
      ).status,
    ).toBe(422);
  });

  it('shows historyIntact, and shows it false once an event is edited in the table', async () => {
    const { id } = await submit();
    await decide(id, actors.gexinApprover, { decision: 'approve', expectedVersion: 1, comment: '材料齐全' });
    expect((await as(actors.gexinApprover).get(`/applications/${id}`)).body.historyIntact).toBe(true);

    const client = new DynamoDBClient({
      endpoint: stack.dynamoEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await client.send(
      new UpdateItemCommand({
        TableName: stack.tableName,
        Key: toItem(keys.applicationEvent(id, 2)),
        UpdateExpression: 'SET #comment = :comment',
        ExpressionAttributeNames: { '#comment': 'comment' },
        ExpressionAttributeValues: toItem({ ':comment': '材料齐全，补贴金额翻倍' }),
      }),
    );
    client.destroy();
    const shown = (await as(actors.gexinApprover).get(`/applications/${id}`)).body;
    expect(shown.historyIntact).toBe(false);
  });
});
