/**
 * Step Functions on one machine. Runs the definition that `cdk synth` produced with
 * aws-local-stepfunctions, maps its Lambda tasks to the in-process handlers, and adds what that
 * library lacks: callback tokens (`.waitForTaskToken`), execution names, and the service's JSON
 * protocol on loopback, so the handlers keep talking to it through @aws-sdk/client-sfn.
 */
import './polyfills.js';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type RunOptions, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';

// The library's types name JSON values precisely; ours are plain objects from JSON.parse.
type Json = unknown;
export type LambdaHandler = (payload: Json) => Promise<Json>;
type Definition = { StartAt: string; States: Record<string, Record<string, unknown>> };
type LibraryTaskHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;

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

/** What the engine did since it started (or since `resetMetrics`): for the benchmark's cost model. */
export interface EngineMetrics {
  /** States entered, plus retries (each is billed as a state transition by Standard workflows). */
  stateTransitions: number;
  transitionsByState: Record<string, number>;
  executionsStarted: number;
  /** Lambda invocations by function ARN: count, summed duration, and summed duration with each rounded up to 1 ms as Lambda bills it. */
  lambdaInvocations: Record<string, { count: number; totalMs: number; billedMs: number }>;
}

const emptyMetrics = (): EngineMetrics => ({
  stateTransitions: 0,
  transitionsByState: {},
  executionsStarted: 0,
  lambdaInvocations: {},
});

interface PendingTask {
  executionName: string;
  expiresAt: number;
  resolve: (output: Json) => void;
  reject: (error: Error) => void;
}

/** An error the service answers with, named as the SDK's exception classes are. */
export class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

const waitForTaskToken = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
const lambdaInvoke = 'arn:aws:states:::lambda:invoke';
/** Node's timers overflow past 2^31-1 ms (≈24.8 days) and fire at once. */
const longestTimerSeconds = Math.floor(2 ** 31 / 1000) - 1;

export class LocalStepFunctions {
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly pendingTasks = new Map<string, PendingTask>();
  /** Tokens whose state timed out; a late answer to one is told so, once. */
  private readonly expiredTokens = new Set<string>();
  private readonly machines = new Map<string, StateMachine>();
  private readonly definition: Definition;
  private readonly taskTimeouts = new Map<string, number>();
  private idleWaiters: (() => void)[] = [];
  private server: Server | undefined;
  private stopping = false;
  private counters: EngineMetrics = emptyMetrics();

  constructor(
    definition: Definition,
    private readonly lambdas: Map<string, LambdaHandler>,
    readonly stateMachineArn: string,
  ) {
    this.definition = structuredClone(definition);
    for (const [name, state] of Object.entries(this.definition.States)) {
      if (state.Type !== 'Task') continue;
      if (typeof state.TimeoutSeconds === 'number' && state.TimeoutSeconds > longestTimerSeconds) {
        state.TimeoutSeconds = longestTimerSeconds;
      }
      this.taskTimeouts.set(name, typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : 60);
    }
  }

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
    // Counted and timed for `metrics()`; the handler's answer and errors pass through unchanged.
    return (payload) => {
      const started = performance.now();
      const record = () => {
        const entry = this.counters.lambdaInvocations[arn as string] ?? { count: 0, totalMs: 0, billedMs: 0 };
        this.counters.lambdaInvocations[arn as string] = entry;
        const duration = performance.now() - started;
        entry.count++;
        entry.totalMs += duration;
        entry.billedMs += Math.max(1, Math.ceil(duration));
      };
      return handler(payload).finally(record);
    };
  }

  /** Counts the states each execution enters (and retries), read from the library's event log. */
  private async countTransitions(events: AsyncGenerator<{ type: string; state?: { name: string } }>): Promise<void> {
    try {
      for await (const event of events) {
        if (event.type !== 'StateEntered' && event.type !== 'StateRetried') continue;
        this.counters.stateTransitions++;
        const name = event.state?.name ?? '?';
        this.counters.transitionsByState[name] = (this.counters.transitionsByState[name] ?? 0) + 1;
      }
    } catch {
      // Counting never affects an execution.
    }
  }

  /** What the engine did since it started or since the last `resetMetrics()`. */
  metrics(): EngineMetrics {
    return structuredClone(this.counters);
  }

  resetMetrics(): void {
    this.counters = emptyMetrics();
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
    for (const [name, state] of Object.entries(this.definition.States)) {
      if (state.Type !== 'Task') continue;
      const resource = String(state.Resource);
      if (resource === waitForTaskToken) {
        handlers[name] = (input) =>
          this.awaitCallback(executionName, name, input as { FunctionName: string; Payload: Record<string, unknown> });
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
    }
    return handlers;
  }

  /** Invokes the Lambda with a fresh token and waits until someone sends the token back. */
  private awaitCallback(
    executionName: string,
    stateName: string,
    input: { FunctionName: string; Payload: Record<string, unknown> },
  ): Promise<Json> {
    const token = input.Payload.taskToken;
    if (typeof token !== 'string') return Promise.reject(new Error(`${stateName} passes no taskToken to its Lambda`));
    let resolve!: (output: Json) => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<Json>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.pendingTasks.set(token, {
      executionName,
      expiresAt: Date.now() + (this.taskTimeouts.get(stateName) ?? 60) * 1000,
      resolve,
      reject,
    });
    let settled = false;
    const forget = () => {
      settled = true;
      clearTimeout(expiry);
      this.pendingTasks.delete(token);
      this.parked.delete(executionName);
    };
    // When the state times out, the engine moves on without settling this promise: forget the
    // token then, so the execution no longer counts as parked and the token answers TaskTimedOut.
    const expiry = setTimeout(
      () => {
        if (settled) return;
        forget();
        this.expiredTokens.add(token);
      },
      (this.taskTimeouts.get(stateName) ?? 60) * 1000,
    );
    expiry.unref();
    promise.then(forget, forget);
    this.lambda(input.FunctionName)(input.Payload).then(
      () => {
        if (settled) return;
        this.parked.add(executionName);
        this.checkIdle();
      },
      (error: unknown) => reject(error instanceof Error ? error : new Error(String(error))),
    );
    return promise;
  }

  private run(name: string, input: Json, startAt: string): ExecutionRecord {
    const executionArn = this.executionArn(name);
    const { abort, result, eventLogs } = this.machineFrom(startAt).run(input as Parameters<StateMachine['run']>[0], {
      // Our handlers answer JSON-serialisable values; the library's JSONValue type cannot say so.
      overrides: { taskResourceLocalHandlers: this.localHandlers(name) as LibraryTaskHandlers },
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
    this.counters.executionsStarted++;
    void this.countTransitions(eventLogs as AsyncGenerator<{ type: string; state?: { name: string } }>);
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
    return this.stateMachineArn.replace(':stateMachine:', ':execution:') + `:${name}`;
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

  private settle(token: string): PendingTask {
    const pending = this.pendingTasks.get(token);
    if (!pending && this.expiredTokens.delete(token)) throw new ServiceError('TaskTimedOut', 'Task Timed Out');
    if (!pending) throw new ServiceError('TaskDoesNotExist', 'Task Token does not exist');
    if (Date.now() > pending.expiresAt) {
      this.pendingTasks.delete(token);
      throw new ServiceError('TaskTimedOut', 'Task Timed Out');
    }
    this.pendingTasks.delete(token);
    return pending;
  }

  sendTaskSuccess(token: string, output: Json): void {
    this.settle(token).resolve(output);
  }

  sendTaskFailure(token: string, error = 'States.TaskFailed', cause = ''): void {
    const failure = new Error(cause);
    failure.name = error;
    this.settle(token).reject(failure);
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

  /** Serves the Step Functions JSON protocol on loopback, for the handlers' SDK client. */
  async listen(port = 0): Promise<string> {
    this.server = createServer((request, response) => void this.answer(request, response));
    await new Promise<void>((ready) => this.server?.listen(port, '127.0.0.1', ready));
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('the local Step Functions endpoint has no port');
    return `http://127.0.0.1:${address.port}`;
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const operation = String(request.headers['x-amz-target'] ?? '').replace('AWSStepFunctions.', '');
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify(body));
    };
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, string>;
      send(200, this.operate(operation, body));
    } catch (error) {
      if (error instanceof ServiceError) send(400, { __type: error.type, message: error.message });
      else send(500, { __type: 'InternalFailure', message: String(error) });
    }
  }

  private operate(operation: string, body: Record<string, string>): unknown {
    const input = (text: string | undefined) => (text ? (JSON.parse(text) as Json) : {});
    switch (operation) {
      case 'StartExecution': {
        if (body.stateMachineArn !== this.stateMachineArn)
          throw new ServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${body.stateMachineArn}'`);
        const record = this.startExecution(body.name ?? randomUUID(), input(body.input));
        return { executionArn: record.executionArn, startDate: record.startDate.getTime() / 1000 };
      }
      case 'SendTaskSuccess':
        this.sendTaskSuccess(String(body.taskToken), input(body.output));
        return {};
      case 'SendTaskFailure':
        this.sendTaskFailure(String(body.taskToken), body.error, body.cause);
        return {};
      case 'SendTaskHeartbeat':
        if (!this.pendingTasks.has(String(body.taskToken)))
          throw new ServiceError('TaskDoesNotExist', 'Task Token does not exist');
        return {};
      case 'DescribeExecution': {
        const record = this.describeExecution(String(body.executionArn));
        return {
          executionArn: record.executionArn,
          stateMachineArn: this.stateMachineArn,
          name: record.name,
          status: record.status,
          startDate: record.startDate.getTime() / 1000,
          ...(record.stopDate ? { stopDate: record.stopDate.getTime() / 1000 } : {}),
          input: JSON.stringify(record.input),
          ...(record.output !== undefined ? { output: JSON.stringify(record.output) } : {}),
          ...(record.error ? { error: record.error, cause: record.cause } : {}),
        };
      }
      case 'StopExecution': {
        const record = this.describeExecution(String(body.executionArn));
        this.stopExecution(record);
        return { stopDate: Date.now() / 1000 };
      }
      case 'DescribeStateMachine':
        if (body.stateMachineArn !== this.stateMachineArn)
          throw new ServiceError('StateMachineDoesNotExist', 'State Machine Does Not Exist');
        return {
          stateMachineArn: this.stateMachineArn,
          name: this.stateMachineArn.split(':').pop(),
          status: 'ACTIVE',
          type: 'STANDARD',
          definition: JSON.stringify(this.definition),
          roleArn: 'arn:aws:iam::000000000000:role/local',
          creationDate: 0,
        };
      default:
        throw new ServiceError('UnknownOperationException', `the local engine does not implement ${operation}`);
    }
  }

  private stopExecution(record: ExecutionRecord): void {
    if (record.status !== 'RUNNING') return;
    record.status = 'ABORTED';
    record.stopDate = new Date();
    // abort() alone leaves a waiting task's promise and timer alive: settle its tokens first.
    for (const [token, pending] of this.pendingTasks) {
      if (pending.executionName === record.name)
        pending.reject(new ServiceError('States.Aborted', 'execution stopped'));
      this.pendingTasks.delete(token);
    }
    record.abort();
  }

  /** Stops every execution where it stands (their waits are in the table) and closes the endpoint. */
  async close(): Promise<void> {
    this.stopping = true;
    const running = [...this.executions.values()].filter((record) => record.status === 'RUNNING');
    for (const record of running) this.stopExecution(record);
    await Promise.all(running.map((record) => record.done));
    await new Promise<void>((closed) => (this.server ? this.server.close(() => closed()) : closed()));
    this.server?.closeAllConnections();
  }
}
