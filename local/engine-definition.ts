/**
 * The synthesized definition as aws-local-stepfunctions runs it for the local engine
 * (`step-functions.ts`): which handler answers each Task (a callback wait, a Lambda invoke, a
 * plain Lambda ARN), each Task's timeout, the waits whose timeout their input names
 * (`TimeoutSecondsPath`, timed out by the engine on its clock: the library would use real timers,
 * so its own are set beyond reach), one machine per start state, and the options of each run.
 */
import './polyfills.js';
import { randomUUID } from 'node:crypto';
import { type RunOptions, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';

// The library's types name JSON values precisely; ours are plain objects from JSON.parse.
export type Json = unknown;
export type LambdaHandler = (payload: Json) => Promise<Json>;
export type Definition = { StartAt: string; States: Record<string, Record<string, unknown>> };
export type TaskHandler = (input: Json) => Promise<Json>;
/** A callback wait's parameters: the Lambda to invoke with the token, and (when dynamic) its timeout. */
export type CallbackParameters = { FunctionName: string; Payload: Record<string, unknown> } & Record<string, unknown>;

const waitForTaskToken = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
const lambdaInvoke = 'arn:aws:states:::lambda:invoke';
const longestTimerSeconds = Math.floor(2 ** 31 / 1000) - 1;
/**
 * A Task's `TimeoutSecondsPath` is handed to our own callback handler under this parameter: the
 * library would time it out with a real timer, and it evaluates the path against the task's
 * parameters rather than its input.
 */
const timeoutParameter = 'LocalTimeoutSeconds';

/**
 * The library's own States.Timeout error class, which it does not export. Only an instance of it
 * is kept apart from the `States.TaskFailed` wildcard, as on AWS, where States.TaskFailed never
 * matches a timeout: a timed-out wait failed with a plain Error named States.Timeout was retried
 * by the wait's States.TaskFailed retrier (three more waits, 2 + 4 + 8 s apart) before its Catch
 * routed it again. Found once, by a one-state machine whose task times out after a millisecond.
 */
export const StatesTimeoutError: new () => Error = await (async () => {
  const probe = new StateMachine(
    {
      StartAt: 'Probe',
      States: {
        Probe: {
          Type: 'Task',
          Resource: 'arn:aws:lambda:us-east-1:000000000000:function:probe',
          TimeoutSeconds: 0.001,
          End: true,
        },
      },
    } as StateMachineDefinition,
    { validationOptions: { noValidate: true } },
  );
  try {
    await probe.run({}, { overrides: { taskResourceLocalHandlers: { Probe: () => new Promise(() => {}) } } }).result;
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof Error && cause.name === 'States.Timeout') return cause.constructor as new () => Error;
  }
  throw new Error('aws-local-stepfunctions no longer times a task out with its States.Timeout error');
})();

export interface EngineDefinition {
  /** A copy of the definition, its waits' timers rewritten for the engine. */
  definition: Definition;
  /** Each Task's timeout in seconds, as the engine times it out. */
  taskTimeouts: Map<string, number>;
  /** The callback waits whose timeout the input names (`TimeoutSecondsPath`). */
  dynamicTimeouts: Set<string>;
}

export function engineDefinition(synthesized: Definition): EngineDefinition {
  const definition = structuredClone(synthesized);
  const taskTimeouts = new Map<string, number>();
  const dynamicTimeouts = new Set<string>();
  for (const [name, state] of Object.entries(definition.States)) {
    if (state.Type !== 'Task') continue;
    if (typeof state.TimeoutSecondsPath === 'string' && state.Resource === waitForTaskToken) {
      // Timed out by the engine's callback wait on its clock; the library's own timer is set beyond reach.
      state.Parameters = { ...(state.Parameters as object), [`${timeoutParameter}.$`]: state.TimeoutSecondsPath };
      delete state.TimeoutSecondsPath;
      state.TimeoutSeconds = longestTimerSeconds;
      dynamicTimeouts.add(name);
    }
    if (typeof state.TimeoutSeconds === 'number' && state.TimeoutSeconds > longestTimerSeconds) {
      state.TimeoutSeconds = longestTimerSeconds;
    }
    taskTimeouts.set(name, typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : 60);
  }
  return { definition, taskTimeouts, dynamicTimeouts };
}

/** The machine that runs from a state, built once per start state: validation costs ≈120 ms, not repeated per execution. */
export function machinesFrom(definition: Definition): (startAt: string) => StateMachine {
  const machines = new Map<string, StateMachine>();
  return (startAt) => {
    let machine = machines.get(startAt);
    if (!machine) {
      if (!definition.States[startAt]) throw new Error(`no state ${startAt} in the definition`);
      // The library's definition type is stricter than JSON from a template; the engine validates it.
      machine = new StateMachine({ ...definition, StartAt: startAt } as unknown as StateMachineDefinition, {
        validationOptions: { checkArn: false },
      });
      machines.set(startAt, machine);
    }
    return machine;
  };
}

type LibraryTaskHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;

/**
 * How the library runs one execution: each Task by our handler, every Retry's wait `retryIntervalMs`
 * when given (the attempts counted as defined), and task tokens, which the library lacks.
 */
export function runOptions(
  definition: Definition,
  handlers: Record<string, TaskHandler>,
  retryIntervalMs: number | undefined,
): RunOptions {
  const retryIntervalOverrides: Record<string, number> = {};
  if (retryIntervalMs !== undefined)
    for (const [name, state] of Object.entries(definition.States))
      if (state.Retry) retryIntervalOverrides[name] = retryIntervalMs;
  return {
    overrides: {
      // Our handlers answer JSON-serialisable values; the library's JSONValue type cannot say so.
      taskResourceLocalHandlers: handlers as LibraryTaskHandlers,
      ...(retryIntervalMs === undefined ? {} : { retryIntervalOverrides }),
    },
    noThrowOnAbort: true,
    // A getter mints a new token each time a state reads $$.Task.Token.
    context: {
      Task: {
        get Token() {
          return `local-task-${randomUUID()}`;
        },
      },
    },
  };
}

/**
 * How long a callback wait of `stateName` lasts: its state's timeout, or the one its input names;
 * and the parameters without that timeout (what its Lambda is invoked with).
 */
export function callbackTimeout(
  { taskTimeouts, dynamicTimeouts }: EngineDefinition,
  stateName: string,
  parameters: CallbackParameters,
): { timeoutSeconds: number; input: CallbackParameters } {
  const { [timeoutParameter]: dynamicTimeout, ...input } = parameters;
  if (!dynamicTimeouts.has(stateName)) return { timeoutSeconds: taskTimeouts.get(stateName) ?? 60, input };
  if (!Number.isInteger(dynamicTimeout) || (dynamicTimeout as number) < 1)
    throw new Error(`${stateName}: TimeoutSecondsPath gave ${String(dynamicTimeout)}`);
  return { timeoutSeconds: Math.min(dynamicTimeout as number, longestTimerSeconds), input };
}

/** The handler of every Task, by its resource: a callback wait, a Lambda invoke, a Lambda by ARN. */
export function taskHandlers(
  definition: Definition,
  run: {
    awaitCallback(stateName: string, parameters: CallbackParameters): Promise<Json>;
    lambda(arn: unknown): LambdaHandler;
  },
): Record<string, TaskHandler> {
  const handlers: Record<string, TaskHandler> = {};
  for (const [name, state] of Object.entries(definition.States)) {
    if (state.Type !== 'Task') continue;
    const resource = String(state.Resource);
    if (resource === waitForTaskToken) {
      handlers[name] = (input) => run.awaitCallback(name, input as CallbackParameters);
    } else if (resource === lambdaInvoke) {
      handlers[name] = (input) => {
        const { FunctionName, Payload } = input as { FunctionName: string; Payload: Json };
        return run
          .lambda(FunctionName)(Payload)
          .then((result) => ({ Payload: result, StatusCode: 200 }));
      };
    } else if (resource.startsWith('arn:aws:lambda:')) {
      handlers[name] = (input) => run.lambda(resource)(input);
    } else {
      handlers[name] = () => Promise.reject(new Error(`the local engine does not run ${resource}`));
    }
  }
  return handlers;
}
