/**
 * Step Functions on one machine. Runs the definition that `cdk synth` produced with
 * aws-local-stepfunctions, maps its Lambda tasks to the in-process handlers, and adds what that
 * library lacks: callback tokens (`callback-tokens.ts`), execution names, waits timed out on the
 * engine's clock (`engine-clock.ts`), and the service's JSON protocol on loopback
 * (`sfn-protocol.ts`), so the handlers keep talking to it through @aws-sdk/client-sfn. How the
 * definition's Tasks are answered and the library is run: `engine-definition.ts`.
 */
import './polyfills.js';
import type { StateMachine } from 'aws-local-stepfunctions';
import { CallbackTokens } from './callback-tokens.js';
import { type EngineClock, realClock } from './engine-clock.js';
import {
  type CallbackParameters,
  callbackTimeout,
  type Definition,
  type EngineDefinition,
  engineDefinition,
  type Json,
  type LambdaHandler,
  machinesFrom,
  runOptions,
  StatesTimeoutError,
  type TaskHandler,
  taskHandlers,
} from './engine-definition.js';
import { EngineMeter, type EngineMetrics } from './engine-metrics.js';
import { ServiceError, serveStepFunctions } from './sfn-protocol.js';

export { type EngineClock, realClock } from './engine-clock.js';
export type { LambdaHandler } from './engine-definition.js';
export type { EngineMetrics } from './engine-metrics.js';
export { ServiceError } from './sfn-protocol.js';

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

export class LocalStepFunctions {
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly tokens: CallbackTokens;
  /** The machine that runs from a state (the start, or where a resumed execution waited). */
  private readonly machineFrom: (startAt: string) => StateMachine;
  readonly definition: Definition;
  /** The definition as the engine runs it: its Tasks' timeouts, and the waits timed by their input. */
  private readonly prepared: EngineDefinition;
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
    this.prepared = engineDefinition(definition);
    this.definition = this.prepared.definition;
    this.machineFrom = machinesFrom(this.definition);
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

  private localHandlers(executionName: string): Record<string, TaskHandler> {
    // An aborted execution's waits fail, and the definition retries failed tasks: its run must
    // not come back to life (invoke a step, record a token) after it was stopped. It never settles.
    const stopped = () => this.executions.get(executionName)?.status === 'ABORTED';
    const handlers = taskHandlers(this.definition, {
      awaitCallback: (stateName, parameters) => this.awaitCallback(executionName, stateName, parameters),
      lambda: (arn) => this.lambda(arn),
    });
    return Object.fromEntries(
      Object.entries(handlers).map(([name, run]) => [
        name,
        (input: Json): Promise<Json> => (stopped() ? new Promise<Json>(() => {}) : run(input)),
      ]),
    );
  }

  /** Invokes the Lambda with a fresh token and waits until someone sends the token back, or the state times out. */
  private awaitCallback(executionName: string, stateName: string, parameters: CallbackParameters): Promise<Json> {
    const token = parameters.Payload.taskToken;
    if (typeof token !== 'string') return Promise.reject(new Error(`${stateName} passes no taskToken to its Lambda`));
    let timed: ReturnType<typeof callbackTimeout>;
    try {
      timed = callbackTimeout(this.prepared, stateName, parameters);
    } catch (error) {
      return Promise.reject(error);
    }
    const { timeoutSeconds, input } = timed;
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
    const { abort, result, eventLogs } = this.machineFrom(startAt).run(
      input as Parameters<StateMachine['run']>[0],
      runOptions(this.definition, this.localHandlers(name), this.retryIntervalOverrideMs),
    );
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
