/** Step Functions, as the handlers use it: one execution per application, released by callback tokens. */
import {
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  InvalidToken,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { environment } from '../shared/environment.js';

/**
 * The signal that sends a waiting execution back to RouteApplication (its NextStep follows
 * `action`): for a wait that began too late, and for waits whose deadlines a changed holiday
 * schedule or policy now counts differently.
 */
export function routeAgain(applicationId: string, reason: string) {
  return { applicationId, action: 'route-again' as const, reason };
}

export interface ApprovalWorkflow {
  /** Starts the application's execution; starting it twice is harmless (the name is the id). */
  start(applicationId: string): Promise<void>;
  /** Lets a waiting execution move on. Answers false when the token no longer waits (timed out, already released). */
  release(taskToken: string, output: Record<string, unknown>): Promise<boolean>;
  /** True when the state machine answers. */
  isReachable(): Promise<boolean>;
}

/** `stateMachineArn` may be absent where only tasks are released (the workflow's own steps). */
export function stepFunctionsWorkflow(client: SFNClient, stateMachineArn: string | undefined): ApprovalWorkflow {
  return {
    async start(applicationId) {
      if (!stateMachineArn) throw new Error('STATE_MACHINE_ARN is not set: this function cannot start executions');
      try {
        await client.send(
          new StartExecutionCommand({ stateMachineArn, name: applicationId, input: JSON.stringify({ applicationId }) }),
        );
      } catch (error) {
        if (!(error instanceof ExecutionAlreadyExists)) throw error;
      }
    },
    async release(taskToken, output) {
      try {
        await client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
        return true;
      } catch (error) {
        if (error instanceof TaskDoesNotExist || error instanceof TaskTimedOut || error instanceof InvalidToken)
          return false;
        throw error;
      }
    },
    async isReachable() {
      if (!stateMachineArn) return false;
      return client
        .send(new DescribeStateMachineCommand({ stateMachineArn }))
        .then(() => true)
        .catch(() => false);
    },
  };
}

let sfnClient: SFNClient | undefined;

/**
 * The production workflow, one client per container. A function that addresses the state machine
 * itself (starts executions, checks it for health) is bound to it and gets STATE_MACHINE_ARN,
 * checked here when the function builds; the others only release task tokens, which name their
 * execution.
 */
export function workflowFromEnvironment(addressesMachine: 'addresses-machine' | 'releases-tasks'): ApprovalWorkflow {
  const stateMachineArn =
    addressesMachine === 'addresses-machine' ? environment('STATE_MACHINE_ARN').STATE_MACHINE_ARN : undefined;
  sfnClient ??= new SFNClient({});
  return stepFunctionsWorkflow(sfnClient, stateMachineArn);
}
