/** The Step Functions adapter: how releasing a task and starting an execution answer the SDK's refusals. */
import {
  ExecutionAlreadyExists,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { stepFunctionsWorkflow } from '../../../functions/kernel/adapters/approval-workflow.js';

const sfn = mockClient(SFNClient);
afterEach(() => sfn.reset());
const workflow = stepFunctionsWorkflow(
  new SFNClient({ region: 'us-east-1' }),
  'arn:aws:states:us-east-1:1:stateMachine:x',
);

describe('the approval workflow on Step Functions', () => {
  it('releases a task with its output, and answers false when the task no longer waits', async () => {
    sfn.on(SendTaskSuccessCommand, { taskToken: 'live' }).resolves({});
    sfn
      .on(SendTaskSuccessCommand, { taskToken: 'gone' })
      .rejects(new TaskTimedOut({ message: 'timed out', $metadata: {} }));

    expect(await workflow.release('live', { applicationId: 'a-1' })).toBe(true);
    expect(await workflow.release('gone', { applicationId: 'a-1' })).toBe(false);
    expect(sfn).toHaveReceivedCommandWith(SendTaskSuccessCommand, {
      taskToken: 'live',
      output: '{"applicationId":"a-1"}',
    });
  });

  it('starts one execution per application, named by its id; a second start is harmless', async () => {
    sfn
      .on(StartExecutionCommand)
      .resolvesOnce({})
      .rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));

    await workflow.start('a-1');
    await workflow.start('a-1');

    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, { name: 'a-1', input: '{"applicationId":"a-1"}' });
  });

  it('refuses to start an execution where the function is not bound to the state machine', async () => {
    await expect(stepFunctionsWorkflow(new SFNClient({ region: 'us-east-1' }), undefined).start('a-1')).rejects.toThrow(
      /STATE_MACHINE_ARN/,
    );
  });
});
