/**
 * Which failures are worth trying again: throttling, a service's 5xx, a connection cut or timed
 * out. A step re-throws them under one name (`transientErrorName`) so the state machine's Retry
 * names one error instead of every service's spelling of "try later"; anything else (a bug, bad
 * data) keeps its own name and is retried only briefly.
 */

/** The error name the state machine retries for hours. */
export const transientErrorName = 'Subsidy.Transient';

const throttlingNames = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'LimitExceededException',
  'TransactionConflictException',
  'TransactionInProgressException',
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'KMSInternalException',
  'DependencyTimeoutException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

const networkCodes = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ECONNABORTED',
  // fetch (undici) names its own: the peer closed the socket, or did not connect or answer in time.
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

export function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const e = error as Error & {
    code?: string;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
    cause?: unknown;
  };
  if (e.name === transientErrorName) return true;
  if (throttlingNames.has(e.name)) return true;
  if (e.$retryable) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  if (e.code && networkCodes.has(e.code)) return true;
  // A transaction cancelled because one of its items was throttled, not because a condition failed.
  if (e.name === 'TransactionCanceledException') {
    const reasons = (e as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
    return (
      reasons.length > 0 && reasons.every((r) => r.Code !== 'ConditionalCheckFailed' && r.Code !== 'ValidationError')
    );
  }
  return e.cause !== undefined && e.cause !== error && isTransient(e.cause);
}

export class TransientError extends Error {
  constructor(readonly original: Error) {
    super(`${original.name}: ${original.message}`, { cause: original });
    this.name = transientErrorName;
  }
}

/** Wraps a step's handler so the transient failures it meets reach the state machine under one name. */
export function transientErrorsNamed<Args extends unknown[], Result>(
  handler: (...args: Args) => Promise<Result>,
): (...args: Args) => Promise<Result> {
  return async (...args) => {
    try {
      return await handler(...args);
    } catch (error) {
      if (isTransient(error)) throw new TransientError(error as Error);
      throw error;
    }
  };
}
