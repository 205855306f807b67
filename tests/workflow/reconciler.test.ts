/**
 * The workflow heals itself: each fault a crash or an outage can leave (no execution after the
 * application was stored, an execution that failed or was aborted, a decision written whose
 * SendTaskSuccess failed) injected into the local engine running the synthesized state machine,
 * and the reconciler (the same handler as on AWS) healing it, the application then decided to
 * the end with every decision recorded once.
 */

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applicationRepository } from '../../functions/applications/store/applications.js';
import { workflowSteps } from '../../functions/workflow/functions.js';
import { freePort } from '../../local/dynamodb-local.js';
import { type LocalStack, startLocalStack } from '../../local/runtime.js';
import { ServiceError } from '../../local/step-functions.js';
import { actors, asPerson, contractBody } from '../../tools/support/fixtures.js';
import { apiAs } from '../support/api-client.js';
import { testTableName } from '../support/dynamo.js';

let stack: LocalStack;
const tableName = testTableName('reconciler');

beforeAll(async () => {
  stack = await startLocalStack({
    dynamoEndpoint: inject('dynamoEndpoint'),
    template: inject('template'),
    tableName,
    stepFunctionsPort: await freePort(),
    residentIdKey: 'r'.repeat(40),
    // Run by the tests, at the moments they choose.
    reconcileIntervalMs: 0,
  });
  // The definition's backoff (seconds to hours) is not what these tests are about.
  stack.engine.retryIntervalOverrideMs = 5;
});
afterAll(() => stack?.stop());

const as = (actor: Parameters<typeof apiAs>[1]) => apiAs(stack, actor);
const applications = () =>
  applicationRepository({ client: new DynamoDBClient({ endpoint: stack.dynamoEndpoint }), tableName });
const status = (name: string) => {
  try {
    return stack.engine.describeExecution(stack.engine.executionArn(name)).status;
  } catch {
    return 'NONE';
  }
};
const unavailable = () => new ServiceError('ServiceUnavailable', 'injected: the service is unavailable', 503);

let people = 0;
async function submit() {
  const answer = await as(actors.gexin01Staff).post(
    '/applications',
    asPerson(contractBody('flexible-employment'), ++people),
  );
  expect(answer.status).toBe(201);
  await stack.engine.whenIdle();
  return answer.body as { id: string };
}

async function decide(id: string, actor: Parameters<typeof apiAs>[1], expectedVersion: number) {
  const answer = await as(actor).post(`/applications/${id}/decisions`, { decision: 'approve', expectedVersion });
  expect(answer.status).toBe(200);
  await stack.engine.whenIdle();
}

/** Approved at both levels, each decision recorded exactly once. */
async function approvedToTheEnd(id: string, execution: string, fromVersion = 1) {
  if (fromVersion === 1) await decide(id, actors.gexinApprover, 1);
  await decide(id, actors.cityApprover, 2);
  expect(stack.engine.describeExecution(stack.engine.executionArn(execution))).toMatchObject({
    status: 'SUCCEEDED',
    output: { status: 'approved', version: 3 },
  });
  const history = (await as(actors.gexin01Staff).get(`/applications/${id}`)).body.history;
  expect(history.map((e: { action: string; stage: string }) => `${e.action}@${e.stage}`)).toEqual([
    'submitted@community',
    'approved@street',
    'approved@city',
  ]);
}

describe('the reconciler heals what a crash or an outage left behind', () => {
  it('starts the execution of an application stored while executions could not start', async () => {
    stack.engine.apiFault = (operation) => (operation === 'StartExecution' ? unavailable() : undefined);
    const { id } = await submit();
    stack.engine.apiFault = undefined;
    expect(status(id)).toBe('NONE');

    const healed = await stack.reconcileNow(0);
    await stack.engine.whenIdle();

    expect(healed.started).toContain(id);
    expect(status(id)).toBe('RUNNING');
    await approvedToTheEnd(id, id);
    // Nothing left to heal: a second run does nothing to it.
    const again = await stack.reconcileNow(0);
    expect([...again.started, ...again.released, ...again.redriven]).not.toContain(id);
  });

  it('starts a new generation of an execution that failed, which routes from the stored state', async () => {
    const { id } = await submit();
    await decide(id, actors.gexinApprover, 1);
    // A bug-like failure of routing (not transient): retried briefly, then the execution fails.
    stack.engine.stepFault = (arn, payload) =>
      arn.includes(workflowSteps.routeApplication.name) && (payload as { applicationId?: string }).applicationId === id
        ? new TypeError('injected: routing is broken')
        : undefined;
    // Sent back to routing, where it fails.
    const stored = await applications().get(id);
    await stack.engine.sendTaskSuccess(stored?.waitingTask?.token as string, {
      applicationId: id,
      action: 'route-again',
    });
    await stack.engine.whenIdle();
    expect(stack.engine.describeExecution(stack.engine.executionArn(id))).toMatchObject({
      status: 'FAILED',
      error: 'TypeError',
    });
    stack.engine.stepFault = undefined;

    const healed = await stack.reconcileNow(0);
    await stack.engine.whenIdle();

    // The local engine cannot redrive: the next generation, named apart (a name is not reusable).
    expect(healed.started).toContain(id);
    expect(status(`${id}-g2`)).toBe('RUNNING');
    await approvedToTheEnd(id, `${id}-g2`, 2);
  });

  it('starts a new generation of an execution aborted while it waited', async () => {
    const { id } = await submit();
    stack.engine.stopExecution({ name: id });
    expect(status(id)).toBe('ABORTED');
    const healed = await stack.reconcileNow(0);
    await stack.engine.whenIdle();

    expect(healed.started).toContain(id);
    await approvedToTheEnd(id, `${id}-g2`);
  });

  it('releases a decision that was written while SendTaskSuccess failed', async () => {
    const { id } = await submit();
    stack.engine.apiFault = (operation) => (operation === 'SendTaskSuccess' ? unavailable() : undefined);
    await decide(id, actors.gexinApprover, 1);
    stack.engine.apiFault = undefined;
    // The decision is stored; the execution still waits at the street's token, recorded for version 1.
    const stalled = await applications().get(id);
    expect(stalled?.application).toMatchObject({ version: 2, stage: 'city' });
    expect(stalled?.waitingTask).toMatchObject({ version: 1 });

    const healed = await stack.reconcileNow(0);
    await stack.engine.whenIdle();

    expect(healed.released).toContain(id);
    expect((await applications().get(id))?.waitingTask).toMatchObject({ version: 2 });
    await approvedToTheEnd(id, id, 2);
  });

  it('leaves alone what changed within the grace period (its request may still be starting or releasing)', async () => {
    stack.engine.apiFault = (operation) => (operation === 'StartExecution' ? unavailable() : undefined);
    const { id } = await submit();
    stack.engine.apiFault = undefined;

    const within = await stack.reconcileNow(3600);

    expect(within.started).not.toContain(id);
    expect(status(id)).toBe('NONE');
    expect((await stack.reconcileNow(0)).started).toContain(id);
  });
});
