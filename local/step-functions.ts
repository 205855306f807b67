/**
 * Step Functions on one machine. Runs the definition that `cdk synth` produced with
 * aws-local-stepfunctions, maps its Lambda tasks to the in-process handlers, and adds what that
 * library lacks: callback tokens (`callback-tokens.ts`), execution names, waits timed out on the
 * engine's clock (`engine-clock.ts`), and the service's JSON protocol on loopback
 * (`sfn-protocol.ts`), so the handlers keep talking to it through @aws-sdk/client-sfn.
 */
import './polyfills.js';
import { randomUUID } from 'node:crypto';
import { type RunOptions, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { CallbackTokens } from './callback-tokens.js';
import { type EngineClock, realClock } from './engine-clock.js';
import { EngineMeter, type EngineMetrics } from './engine-metrics.js';
import { ServiceError, serveStepFunctions } from './sfn-protocol.js';

export { type EngineClock, realClock } from './engine-clock.js';
export type { EngineMetrics } from './engine-metrics.js';
export { ServiceError } from './sfn-protocol.js';

// The library's types name JSON values precisely; ours are plain objects from JSON.parse.
type Json = unknown;
export type LambdaHandler = (payload: Json) => Promise<Json>;
type Definition = { StartAt: string; States: Record<string, Record<string, unknown>> };
type LibraryTaskHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;

/**
 * The library's own States.Timeout error class, which it does not export. Only an instance of it
 * is kept apart from the `States.TaskFailed` wildcard, as on AWS, where States.TaskFailed never
 * matches a timeout: a timed-out wait failed with a plain Error named States.Timeout was retried
 * by the wait's States.TaskFailed retrier (three more waits, 2 + 4 + 8 s apart) before its Catch
 * routed it again. Found once, by a one-state machine whose task times out after a millisecond.
 */
const StatesTimeoutError: new () => Error = await (async () => {
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

export interface ExecutionRecord {
  executionArn: string;
  name: string;
  input: Json;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  startDate: Date;
  stopDate?: Date;
  output?: Json;
  error?: string;
  cause?: string;
  /** Settles when the execution ends, however it ends. */
  done: Promise<void>;
  abort: () => void;
}

const waitForTaskToken = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
const lambdaInvoke = 'arn:aws:states:::lambda:invoke';
const longestTimerSeconds = Math.floor(2 ** 31 / 1000) - 1;
/**
 * A Task's `TimeoutSecondsPath` is handed to our own callback handler under this parameter: the
 * library would time it out with a real timer, and it evaluates the path against the task's
 * parameters rather than its input.
 */
const timeoutParameter = 'LocalTimeoutSeconds';

export class LocalStepFunctions {
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly tokens: CallbackTokens;
  private readonly machines = new Map<string, StateMachine>();
  readonly definition: Definition;
  private readonly taskTimeouts = new Map<string, number>();
  private idleWaiters: (() => void)[] = [];
  private server: { close(): Promise<void> } | undefined;
  private stopping = false;
  private readonly meter = new EngineMeter();

  constructor(
    definition: Definition,
    private readonly lambdas: Map<string, LambdaHandler>,
    readonly stateMachineArn: string,
    clock: EngineClock = realClock,
  ) {
    this.tokens = new CallbackTokens(clock, () => new StatesTimeoutError());
    this.definition = structuredClone(definition);
    for (const [name, state] of Object.entries(this.definition.States)) {
      if (state.Type !== 'Task') continue;
      if (typeof state.TimeoutSecondsPath === 'string' && state.Resource === waitForTaskToken) {
        // Timed out by awaitCallback on the engine's clock; the library's own timer is set beyond reach.
        state.Parameters = { ...(state.Parameters as object), [`${timeoutParameter}.$`]: state.TimeoutSecondsPath };
        delete state.TimeoutSecondsPath;
        state.TimeoutSeconds = longestTimerSeconds;
        this.dynamicTimeouts.add(name);
      }
      if (typeof state.TimeoutSeconds === 'number' && state.TimeoutSeconds > longestTimerSeconds) {
        state.TimeoutSeconds = longestTimerSeconds;
      }
      this.taskTimeouts.set(name, typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : 60);
    }
  }

  private readonly dynamicTimeouts = new Set<string>();

  /** Builds the machine once per start state; validation costs ≈120 ms, so it is not repeated per execution. */
  private machineFrom(startAt: string): StateMachine {
    let machine = this.machines.get(startAt);
    if (!machine) {
      if (!this.definition.States[startAt]) throw new Error(`no state ${startAt} in the definition`);
      // The library's definition type is stricter than JSON from a template; the engine validates it.
      machine = new StateMachine({ ...this.definition, StartAt: startAt } as unknown as StateMachineDefinition, {
        validationOptions: { checkArn: false },
      });
      this.machines.set(startAt, machine);
    }
    return machine;
  }

  private lambda(arn: unknown): LambdaHandler {
    const handler = typeof arn === 'string' ? this.lambdas.get(arn) : undefined;
    if (!handler) throw new Error(`no local handler for Lambda ${String(arn)}`);
    const faulty: LambdaHandler = async (payload) => {
      const fault = this.stepFault?.(arn as string, payload);
      if (fault) throw fault;
      return handler(payload);
    };
    // Counted and timed for `metrics()`.
    return this.meter.timed(arn as string, faulty);
  }

  /**
   * Every Retry's wait, in ms, instead of the definition's backoff (tests that inject faults would
   * otherwise wait out the real backoff); the attempts counted as defined.
   */
  retryIntervalOverrideMs: number | undefined;

  private retryOverrides(): Record<string, number> {
    const overrides: Record<string, number> = {};
    for (const [name, state] of Object.entries(this.definition.States))
      if (state.Retry) overrides[name] = this.retryIntervalOverrideMs as number;
    return overrides;
  }

  /** Fault injection (tests, `npm run chaos`): a step invocation answered with this error instead of running. */
  stepFault: ((functionArn: string, payload: Json) => Error | undefined) | undefined;
  /** Fault injection: a Step Functions API call answered with this service error instead of being served. */
  apiFault: ((operation: string) => ServiceError | undefined) | undefined;

  injectedFault(operation: string): ServiceError | undefined {
    return this.apiFault?.(operation);
  }

  /** What the engine did since it started or since the last `resetMetrics()`. */
  metrics(): EngineMetrics {
    return this.meter.metrics();
  }

  resetMetrics(): void {
    this.meter.reset();
  }

  /** Executions that are running but parked at a callback, their Lambda done, waiting for a person. */
  private parked = new Set<string>();

  private running(): number {
    let count = 0;
    for (const record of this.executions.values()) if (record.status === 'RUNNING') count++;
    return count;
  }

  private checkIdle(): void {
    if (this.running() !== this.parked.size) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves when no execution is moving: each waits for a person or has ended. */
  whenIdle(): Promise<void> {
    if (this.running() === this.parked.size) return Promise.resolve();
    return new Promise((wake) => this.idleWaiters.push(wake));
  }

  private localHandlers(executionName: string): Record<string, (input: Json) => Promise<Json>> {
    const handlers: Record<string, (input: Json) => Promise<Json>> = {};
    // An aborted execution's waits fail, and the definition retries failed tasks: its run must
    // not come back to life (invoke a step, record a token) after it was stopped. It never settles.
    const stopped = () => this.executions.get(executionName)?.status === 'ABORTED';
    const unlessStopped =
      (run: (input: Json) => Promise<Json>) =>
      (input: Json): Promise<Json> =>
        stopped() ? new Promise<Json>(() => {}) : run(input);
    for (const [name, state] of Object.entries(this.definition.States)) {
      if (state.Type !== 'Task') continue;
      const resource = String(state.Resource);
      if (resource === waitForTaskToken) {
        handlers[name] = (input) =>
          this.awaitCallback(
            executionName,
            name,
            input as { FunctionName: string; Payload: Record<string, unknown> } & Record<string, unknown>,
          );
      } else if (resource === lambdaInvoke) {
        handlers[name] = (input) => {
          const { FunctionName, Payload } = input as { FunctionName: string; Payload: Json };
          return this.lambda(FunctionName)(Payload).then((result) => ({ Payload: result, StatusCode: 200 }));
        };
      } else if (resource.startsWith('arn:aws:lambda:')) {
        handlers[name] = (input) => this.lambda(resource)(input);
      } else {
        handlers[name] = () => Promise.reject(new Error(`the local engine does not run ${resource}`));
      }
      handlers[name] = unlessStopped(handlers[name]);
    }
    return handlers;
  }

  /** Invokes the Lambda with a fresh token and waits until someone sends the token back, or the state times out. */
  private awaitCallback(
    executionName: string,
    stateName: string,
    parameters: { FunctionName: string; Payload: Record<string, unknown> } & Record<string, unknown>,
  ): Promise<Json> {
    const { [timeoutParameter]: dynamicTimeout, ...input } = parameters;
    const token = input.Payload.taskToken;
    if (typeof token !== 'string') return Promise.reject(new Error(`${stateName} passes no taskToken to its Lambda`));
    let timeoutSeconds = this.taskTimeouts.get(stateName) ?? 60;
    if (this.dynamicTimeouts.has(stateName)) {
      if (!Number.isInteger(dynamicTimeout) || (dynamicTimeout as number) < 1)
        return Promise.reject(new Error(`${stateName}: TimeoutSecondsPath gave ${String(dynamicTimeout)}`));
      timeoutSeconds = Math.min(dynamicTimeout as number, longestTimerSeconds);
    }
    const wait = this.tokens.wait(token, executionName, timeoutSeconds, () => this.parked.delete(executionName));
    this.lambda(input.FunctionName)(input.Payload).then(
      () => {
        if (wait.settled()) return;
        this.parked.add(executionName);
        this.checkIdle();
      },
      (error: unknown) => wait.fail(error instanceof Error ? error : new Error(String(error))),
    );
    return wait.promise;
  }

  private run(name: string, input: Json, startAt: string): ExecutionRecord {
    const executionArn = this.executionArn(name);
    const { abort, result, eventLogs } = this.machineFrom(startAt).run(input as Parameters<StateMachine['run']>[0], {
      // Our handlers answer JSON-serialisable values; the library's JSONValue type cannot say so.
      overrides: {
        taskResourceLocalHandlers: this.localHandlers(name) as LibraryTaskHandlers,
        ...(this.retryIntervalOverrideMs === undefined ? {} : { retryIntervalOverrides: this.retryOverrides() }),
      },
      noThrowOnAbort: true,
      // The library has no task tokens; a getter mints a new one each time a state reads $$.Task.Token.
      context: {
        Task: {
          get Token() {
            return `local-task-${randomUUID()}`;
          },
        },
      },
    });
    this.meter.executionStarted();
    void this.meter.countTransitions(eventLogs as AsyncGenerator<{ type: string; state?: { name: string } }>);
    const record: ExecutionRecord = {
      executionArn,
      name,
      input,
      status: 'RUNNING',
      startDate: new Date(),
      done: Promise.resolve(),
      abort,
    };
    record.done = result
      .then(
        (output) => {
          if (record.status !== 'RUNNING') return;
          Object.assign(record, { status: this.stopping ? 'ABORTED' : 'SUCCEEDED', output, stopDate: new Date() });
        },
        (error: unknown) => {
          const failure = error instanceof Error ? error : new Error(String(error));
          const cause = (failure as { cause?: Error }).cause;
          Object.assign(record, {
            status: 'FAILED',
            error: cause?.name ?? failure.name,
            cause: cause?.message ?? failure.message,
            stopDate: new Date(),
          });
        },
      )
      .finally(() => {
        this.parked.delete(name);
        this.checkIdle();
      });
    this.executions.set(name, record);
    return record;
  }

  executionArn(name: string): string {
    return `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  }

  /** StartExecution: a running execution of the same name and input answers as itself. */
  startExecution(name: string, input: Json): ExecutionRecord {
    const existing = this.executions.get(name);
    if (existing) {
      if (existing.status === 'RUNNING' && JSON.stringify(existing.input) === JSON.stringify(input)) return existing;
      throw new ServiceError('ExecutionAlreadyExists', `Execution already exists: '${existing.executionArn}'`);
    }
    return this.run(name, input, this.definition.StartAt);
  }

  /** After a restart: continues an execution at the state it waited in, with that state's input. */
  resumeExecution(name: string, stateInput: Json, atState: string): ExecutionRecord {
    const existing = this.executions.get(name);
    if (existing?.status === 'RUNNING') return existing;
    return this.run(name, stateInput, atState);
  }

  sendTaskSuccess(token: string, output: Json): void {
    this.tokens.succeed(token, output);
  }

  sendTaskFailure(token: string, error?: string, cause?: string): void {
    this.tokens.fail(token, error, cause);
  }

  hasTask(token: string): boolean {
    return this.tokens.has(token);
  }

  describeExecution(executionArn: string): ExecutionRecord {
    const name = executionArn.slice(executionArn.lastIndexOf(':') + 1);
    const record = this.executions.get(name);
    if (!record || record.executionArn !== executionArn)
      throw new ServiceError('ExecutionDoesNotExist', `Execution does not exist: '${executionArn}'`);
    return record;
  }

  listExecutions(): ExecutionRecord[] {
    return [...this.executions.values()];
  }

  /** Serves the Step Functions JSON protocol on loopback, for the handlers' SDK client; answers its endpoint. */
  async listen(port = 0): Promise<string> {
    const served = await serveStepFunctions(this, port);
    this.server = served;
    return served.url;
  }

  /** StopExecution: aborts it where it stands. */
  stopExecution(described: { name: string }): void {
    const record = this.executions.get(described.name);
    if (record?.status !== 'RUNNING') return;
    record.status = 'ABORTED';
    record.stopDate = new Date();
    // abort() alone leaves a waiting task's promise and timer alive: settle its tokens first.
    this.tokens.abortAllOf(record.name);
    record.abort();
    // No longer parked: an aborted run's result may never settle, and whenIdle must not wait on it.
    this.parked.delete(record.name);
    this.checkIdle();
  }

  /** Stops every execution where it stands (their waits are in the table) and closes the endpoint. */
  async close(): Promise<void> {
    this.stopping = true;
    const running = [...this.executions.values()].filter((record) => record.status === 'RUNNING');
    for (const record of running) this.stopExecution(record);
    await Promise.all(running.map((record) => record.done));
    await this.server?.close();
  }
}
