/**
 * Callback tokens (`.waitForTaskToken`), which aws-local-stepfunctions lacks: a state waits until
 * someone sends its token back (SendTaskSuccess/Failure) or until its timeout passes on the
 * engine's clock, after which the token answers TaskTimedOut, once.
 */
import type { EngineClock } from './engine-clock.js';
import { ServiceError } from './sfn-protocol.js';

interface PendingTask {
  executionName: string;
  expiresAt: number;
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
}

export class CallbackTokens {
  private readonly pending = new Map<string, PendingTask>();
  /** Tokens whose state timed out; a late answer to one is told so, once. */
  private readonly expired = new Set<string>();

  /**
   * `timeoutError` makes the error a timed-out wait fails with: the engine's library keeps only its
   * own States.Timeout class apart from the States.TaskFailed wildcard.
   */
  constructor(
    private readonly clock: EngineClock,
    private readonly timeoutError: () => Error = () =>
      Object.assign(new Error('Task timed out'), { name: 'States.Timeout' }),
  ) {}

  /**
   * Waits for `token` to be sent back, at most `timeoutSeconds` on the engine's clock; then the
   * wait fails with States.Timeout, which the state's Catch routes. `onSettled` runs once, however
   * it ends. `settled()` tells whether it has; `fail` ends it with an error (its Lambda failed).
   */
  wait(token: string, executionName: string, timeoutSeconds: number, onSettled: () => void) {
    let resolve!: (output: unknown) => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<unknown>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const expiresAt = this.clock.now() + timeoutSeconds * 1000;
    this.pending.set(token, { executionName, expiresAt, resolve, reject });
    let settled = false;
    const forget = () => {
      settled = true;
      cancelExpiry();
      this.pending.delete(token);
      onSettled();
    };
    const cancelExpiry = this.clock.at(expiresAt, () => {
      if (settled) return;
      forget();
      this.expired.add(token);
      reject(this.timeoutError());
    });
    promise.then(forget, forget);
    return { promise, settled: () => settled, fail: (error: Error) => reject(error) };
  }

  private settle(token: string): PendingTask {
    const pending = this.pending.get(token);
    if (!pending && this.expired.delete(token)) throw new ServiceError('TaskTimedOut', 'Task Timed Out');
    if (!pending) throw new ServiceError('TaskDoesNotExist', 'Task Token does not exist');
    if (this.clock.now() > pending.expiresAt) {
      this.pending.delete(token);
      throw new ServiceError('TaskTimedOut', 'Task Timed Out');
    }
    this.pending.delete(token);
    return pending;
  }

  succeed(token: string, output: unknown): void {
    this.settle(token).resolve(output);
  }

  fail(token: string, error = 'States.TaskFailed', cause = ''): void {
    const failure = new Error(cause);
    failure.name = error;
    this.settle(token).reject(failure);
  }

  has(token: string): boolean {
    return this.pending.has(token);
  }

  /** Ends every wait of an execution that is being stopped. */
  abortAllOf(executionName: string): void {
    for (const [token, pending] of this.pending) {
      if (pending.executionName !== executionName) continue;
      pending.reject(new ServiceError('States.Aborted', 'execution stopped'));
      this.pending.delete(token);
    }
  }
}
