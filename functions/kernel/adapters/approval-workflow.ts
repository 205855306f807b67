/** Step Functions, as the handlers use it: one execution per application, released by callback tokens. */
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  ExecutionLimitExceeded,
  ExecutionNotRedrivable,
  InvalidToken,
  RedriveExecutionCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { environment } from '../runtime/environment.js';

/**
 * The signal that sends a waiting execution back to RouteApplication (its NextStep follows
 * `action`): for a wait that began too late, and for waits whose deadlines a changed holiday
 * schedule or policy now counts differently.
 */
export function routeAgain(applicationId: string, reason: string) {
  return { applicationId, action: 'route-again' as const, reason };
}

/**
 * An application's executions are named by its id, then `<id>-g2`, `<id>-g3`… when the reconciler
 * has to start a new one: a name cannot be reused for 90 days.
 */
export function executionName(applicationId: string, generation: number): string {
  return generation <= 1 ? applicationId : `${applicationId}-g${generation}`;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';

export interface ApprovalWorkflow {
  /** Starts the application's execution; starting it twice is harmless (the name is the id). */
  start(applicationId: string): Promise<void>;
  /** Lets a waiting execution move on. Answers false when the token no longer waits (timed out, already released). */
  release(taskToken: string, output: Record<string, unknown>): Promise<boolean>;
  /** True when the state machine answers. */
  isReachable(): Promise<boolean>;
}

/** What the reconciler needs besides: an application's executions by name, started or redriven. */
export interface ExecutionRepair {
  /** The status of the execution of this name, undefined when there is none. */
  statusOf(name: string): Promise<ExecutionStatus | undefined>;
  /** Starts an execution of this name for the application; false when the name is taken. */
  startNamed(name: string, applicationId: string): Promise<boolean>;
  /** Redrives a failed, timed-out or aborted execution from where it stopped; false when it cannot be. */
  redrive(name: string): Promise<boolean>;
}

/** `stateMachineArn` may be absent where only tasks are released (the workflow's own steps). */
export function stepFunctionsWorkflow(
  client: SFNClient,
  stateMachineArn: string | undefined,
): ApprovalWorkflow & ExecutionRepair {
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
    async statusOf(name) {
      const executionArn = executionArnOf(requireArn(stateMachineArn), name);
      try {
        const { status } = await client.send(new DescribeExecutionCommand({ executionArn }));
        return status as ExecutionStatus;
      } catch (error) {
        if (error instanceof ExecutionDoesNotExist) return undefined;
        throw error;
      }
    },
    async startNamed(name, applicationId) {
      try {
        await client.send(
          new StartExecutionCommand({
            stateMachineArn: requireArn(stateMachineArn),
            name,
            input: JSON.stringify({ applicationId }),
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ExecutionAlreadyExists) return false;
        throw error;
      }
    },
    async redrive(name) {
      const executionArn = executionArnOf(requireArn(stateMachineArn), name);
      try {
        await client.send(new RedriveExecutionCommand({ executionArn }));
        return true;
      } catch (error) {
        // Too old (14 days), redriven too often, or not of a kind that can be: a new execution instead.
        if (error instanceof ExecutionNotRedrivable || error instanceof ExecutionLimitExceeded) return false;
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

function requireArn(stateMachineArn: string | undefined): string {
  if (!stateMachineArn) throw new Error('STATE_MACHINE_ARN is not set: this function cannot address executions');
  return stateMachineArn;
}

function executionArnOf(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

let sfnClient: SFNClient | undefined;

/**
 * The production workflow, one client per container. A function that addresses the state machine
 * itself (starts executions, checks it for health) is bound to it and gets STATE_MACHINE_ARN,
 * checked here when the function builds; the others only release task tokens, which name their
 * execution.
 */
export function workflowFromEnvironment(
  addressesMachine: 'addresses-machine' | 'releases-tasks',
): ApprovalWorkflow & ExecutionRepair {
  const stateMachineArn =
    addressesMachine === 'addresses-machine' ? environment('STATE_MACHINE_ARN').STATE_MACHINE_ARN : undefined;
  sfnClient ??= new SFNClient({});
  return stepFunctionsWorkflow(sfnClient, stateMachineArn);
}
