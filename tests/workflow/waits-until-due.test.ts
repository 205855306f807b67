/**
 * Waits that end only when a person acts, on the synthesized state machine (the stack's default
 * settings: no shortened waits) run by the local engine against DynamoDB Local: a person's release
 * carries the next step, so an application approved at once takes 7 transitions; deadline events
 * are found by the sweep in the deadline-due index and recorded without waking the execution; and
 * "route again" re-routes a waiting execution whose deadline a changed holiday schedule counts
 * differently.
 */
import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { policyRepository } from '../../functions/administration/store/policies.js';
import { longestWaitSeconds, nextDeadlineAt } from '../../functions/applications/domain/next-step.js';
import { applicationRepository } from '../../functions/applications/store/applications.js';
import { deadlineIndex, deadlineIndexKeys } from '../../functions/applications/store/deadline-index.js';
import { stepFunctionsWorkflow } from '../../functions/kernel/adapters/approval-workflow.js';
import { policyOfApplication } from '../../functions/kernel/domain/policies/index.js';
import { keys, toItem } from '../../functions/kernel/store/table.js';
import { makeRerouteWaiting } from '../../functions/workflow/scheduled/reroute-waiting.js';
import { type LocalStack, startLocalStack } from '../../local/runtime.js';
import { eventually } from '../../tools/support/eventually.js';
import { actors, asPerson, contractBody } from '../../tools/support/fixtures.js';
import { apiAs } from '../support/api-client.js';
import { testTableName } from '../support/dynamo.js';

const local = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
let stack: LocalStack;
let client: DynamoDBClient;
let sfn: SFNClient;
beforeAll(async () => {
  stack = await startLocalStack({
    dynamoEndpoint: inject('dynamoEndpoint'),
    template: inject('template'),
    tableName: testTableName('waits'),
    residentIdKey: 'u'.repeat(40),
  });
  client = new DynamoDBClient({ endpoint: stack.dynamoEndpoint, ...local });
  sfn = new SFNClient({ endpoint: stack.stepFunctionsEndpoint, ...local });
});
afterAll(async () => {
  client?.destroy();
  sfn?.destroy();
  await stack?.stop();
});

const repository = () => applicationRepository({ client, tableName: stack.tableName });
const staff = () => apiAs(stack, actors.gexin02Staff);
let people = 5100;
async function submit(): Promise<string> {
  const answer = await staff().post('/applications', asPerson(contractBody('post-subsidy'), ++people));
  expect(answer.status).toBe(201);
  await stack.engine.whenIdle();
  return answer.body.id as string;
}

/** Sets and removes deadline fields of an application in the table, behind the product's back. */
async function rewrite(id: string, set: Record<string, unknown>, remove: string[] = []): Promise<void> {
  const names = Object.keys(set);
  await client.send(
    new UpdateItemCommand({
      TableName: stack.tableName,
      Key: toItem(keys.application(id)),
      UpdateExpression:
        `SET ${names.map((name) => `${name} = :${name}`).join(', ')}` +
        (remove.length ? ` REMOVE ${remove.join(', ')}` : ''),
      ExpressionAttributeValues: toItem(Object.fromEntries(names.map((name) => [`:${name}`, set[name]]))),
    }),
  );
}

const waitSecondsOf = (task: { input: Record<string, unknown> } | undefined) =>
  (task?.input.route as { waitSeconds?: number } | undefined)?.waitSeconds;

describe('waits that end when something is due', () => {
  it('takes 7 state transitions for an application approved at both levels at once', async () => {
    stack.engine.resetMetrics();
    const id = await submit();
    await apiAs(stack, actors.gexinApprover).post(`/applications/${id}/decisions`, {
      decision: 'approve',
      expectedVersion: 1,
    });
    await stack.engine.whenIdle();
    await apiAs(stack, actors.cityApprover).post(`/applications/${id}/decisions`, {
      decision: 'approve',
      expectedVersion: 2,
    });
    await stack.engine.whenIdle();

    const execution = stack.engine.describeExecution(stack.engine.executionArn(id));
    expect(execution).toMatchObject({ status: 'SUCCEEDED', output: { action: 'finish', status: 'approved' } });
    const { stateTransitions, transitionsByState, lambdaInvocations } = stack.engine.metrics();
    expect(transitionsByState).toEqual({ RouteApplication: 1, NextStep: 3, AwaitDecision: 2, Finished: 1 });
    expect(stateTransitions).toBe(7);
    expect(Object.values(lambdaInvocations).reduce((total, { count }) => total + count, 0)).toBe(3);
  });

  it("waits for the person only, while the deadline-due index holds the reminder's moment", async () => {
    const before = new Date().toISOString();
    const id = await submit();
    const stored = await repository().get(id);
    const application = stored!.application;

    // The execution waits the longest wait: no deadline ends it.
    expect(waitSecondsOf(stored!.waitingTask)).toBe(longestWaitSeconds);
    // The reminder: at the Shanghai midnight when 2 working days are left of the 10; the sweep finds it then, not before.
    const due = nextDeadlineAt(application, policyOfApplication(application), before);
    expect(due).toMatch(/T16:00:00\.000Z$/);
    expect(Date.parse(due!)).toBeLessThan(Date.parse(application.dueAt!));
    const index = deadlineIndex({ client, tableName: stack.tableName });
    expect(await index.due(new Date(Date.parse(due!) - 1).toISOString(), 1000)).not.toContain(id);
    expect(await index.due(due!, 1000)).toContain(id);
  });

  it('records overdue and escalation when the deadline passes, by the sweep, without waking the execution', async () => {
    const id = await submit();
    const token = (await repository().get(id))?.waitingTask?.token;
    expect(token).toBeDefined();
    // Reminded already; the deadline a few seconds away; no clock to count it again from. The
    // index moment moves with it, as every write of the product moves it.
    const { application } = (await repository().get(id))!;
    const dueAt = new Date(Date.now() + 3_000).toISOString();
    const moved = { ...application, dueAt, remindedAt: new Date().toISOString(), deadlineClock: undefined };
    await rewrite(id, { dueAt, remindedAt: moved.remindedAt, ...deadlineIndexKeys(moved) }, ['deadlineClock']);
    stack.engine.resetMetrics();

    const shown = await eventually('the overdue event', async () => {
      const body = (await staff().get(`/applications/${id}`)).body;
      return body.overdue ? body : undefined;
    });
    expect(shown).toMatchObject({ status: 'in_review', stage: 'street', escalatedTo: 'district:xinhua', version: 1 });
    const overdue = shown.history.find((event: { action: string }) => event.action === 'overdue');
    expect(overdue.at > dueAt).toBe(true);
    await stack.engine.whenIdle();
    // The execution never moved: same wait, same token, not one state transition.
    expect(stack.engine.metrics().stateTransitions).toBe(0);
    expect(stack.engine.describeExecution(stack.engine.executionArn(id)).status).toBe('RUNNING');
    expect((await repository().get(id))?.waitingTask?.token).toBe(token);
    // Nothing more falls due: the application has left the deadline-due index.
    const index = deadlineIndex({ client, tableName: stack.tableName });
    expect(await index.due(new Date(Date.now() + 400 * 86_400_000).toISOString(), 1000)).not.toContain(id);
  });

  it('re-routes a waiting execution on "route again", so a changed holiday schedule is counted', async () => {
    const id = await submit();
    const { dueAt } = (await staff().get(`/applications/${id}`)).body;
    // A day early, as a deadline counted before a year's holidays were added is.
    const early = new Date(Date.parse(dueAt) - 86_400_000).toISOString();
    await rewrite(id, { dueAt: early });

    // Nothing polls: left alone, the execution waits on and nothing is recorded.
    await stack.engine.whenIdle();
    expect((await staff().get(`/applications/${id}`)).body.history.map((e: { action: string }) => e.action)).toEqual([
      'submitted',
    ]);

    stack.engine.resetMetrics();
    const reroute = makeRerouteWaiting({
      applications: repository(),
      workflow: stepFunctionsWorkflow(sfn, undefined),
      policies: policyRepository({ client, tableName: stack.tableName }),
    });
    await reroute({});
    const shown = await eventually('the deadline counted again', async () => {
      const body = (await staff().get(`/applications/${id}`)).body;
      return body.dueAt === dueAt ? body : undefined;
    });
    expect(shown.history.map((e: { action: string }) => e.action)).toEqual(['submitted', 'rescheduled']);
    expect(shown.history[1].comment).toContain(`was ${early}`);
    await stack.engine.whenIdle();
    expect(stack.engine.describeExecution(stack.engine.executionArn(id)).status).toBe('RUNNING');
    // Released with the signal (NextStep → RouteApplication), then NextStep → AwaitDecision again.
    expect(stack.engine.metrics().transitionsByState).toMatchObject({ NextStep: expect.any(Number) });
    expect((await repository().get(id))?.waitingTask).toBeDefined();
  });
});
