/**
 * A wait for a task token that times out is caught by its `States.Timeout` Catch at once, never
 * retried by a `States.TaskFailed` retrier: on AWS that wildcard matches every error but a
 * timeout, and the approval workflow's waits count on it (a timed-out wait routes again).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LocalStepFunctions } from '../../../local/step-functions.js';
import { eventually } from '../../../tools/support/eventually.js';

const awaitArn = 'arn:aws:lambda:us-east-1:000000000000:function:await-person';
const definition = {
  StartAt: 'AwaitPerson',
  States: {
    AwaitPerson: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: awaitArn, Payload: { 'taskToken.$': '$$.Task.Token' } },
      TimeoutSeconds: 1,
      Retry: [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 1 }],
      Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.caught', Next: 'RouteAgain' }],
      End: true,
    },
    RouteAgain: { Type: 'Pass', End: true },
  },
};

let engine: LocalStepFunctions | undefined;
afterEach(() => engine?.close());

describe('a timed-out wait for a task token', () => {
  it('goes to its States.Timeout Catch without a retry by the States.TaskFailed wildcard', async () => {
    let invoked = 0;
    engine = new LocalStepFunctions(
      definition,
      new Map([[awaitArn, async () => ++invoked]]),
      'arn:aws:states:us-east-1:000000000000:stateMachine:timeout-test',
    );
    engine.startExecution('waits', { applicationId: 'a-1' });
    const ended = await eventually('the execution to end', () => {
      const execution = engine?.describeExecution(engine.executionArn('waits'));
      return execution?.status === 'RUNNING' ? undefined : execution;
    });
    expect(ended).toMatchObject({
      status: 'SUCCEEDED',
      output: { applicationId: 'a-1', caught: { Error: 'States.Timeout' } },
    });
    // A retry would have invoked the waiting Lambda again, with a new token.
    expect(invoked).toBe(1);
  });
});
