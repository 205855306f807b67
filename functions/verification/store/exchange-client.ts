/**
 * The data-exchange port (`DataExchange`) answered by the provincial platform over signed HTTP.
 * It sits in `store/` because the module layout has no `adapters/` folder (tests/unit/layout.test.ts)
 * and `store/` is where a module reads records it does not own at the boundary, parsed with zod:
 * the exchange is a read-only store kept by other offices.
 *
 * One question, one `POST {baseUrl}/v1/query/{source}`: the base URL and access key are the city's
 * policy's (`verification.exchange`), the secret the credentials' (Secrets Manager); signed per
 * `request-signing.ts`; each attempt bounded by a timeout; timeouts, connections refused or cut,
 * 5xx and 429 tried again a few times after a jittered backoff; anything still failing, or a
 * refusal (4xx), or an answer that does not parse, is a `SourceUnavailableError` the check turns
 * into `pending`. A circuit per (city, source) stops a dead source from costing every question its
 * timeouts. Each outcome goes to `onOutcome` (the failure metric an alarm watches).
 */
import { CircuitBreakers, type CircuitSettings, defaultCircuitSettings } from '../domain/circuit-breaker.js';
import { parseWireAnswer, queryPath, wireQuestion } from '../domain/exchange-wire.js';
import { signRequest } from '../domain/request-signing.js';
import {
  type Answer,
  type DataExchange,
  type Question,
  type SourceName,
  SourceUnavailableError,
  type UnavailableReason,
} from '../domain/sources.js';

/** The part of a city's verification policy the client reads. */
export interface ExchangeSettings {
  baseUrl: string;
  accessKeyId: string;
}

/** What each question came to, for the metrics: never the question itself. */
export interface ExchangeOutcome {
  cityId: string;
  source: SourceName;
  failed: boolean;
  reason?: UnavailableReason;
  /** The last HTTP status seen, when there was one. */
  status?: number;
}

export interface ExchangeClientOptions {
  /** The city's exchange settings in force (its policy's `verification.exchange`); undefined when it has none. */
  exchangeOf(cityId: string): Promise<ExchangeSettings | undefined>;
  /** Secret by access key id (Secrets Manager's `DATA_EXCHANGE_SECRET_ARN` in production). */
  credentials(): Promise<Readonly<Record<string, string>>>;
  /**
   * Where every city is asked instead of at its base URL, read per question (DATA_EXCHANGE_ENDPOINT:
   * the local exchange, whose port moves when a local stack restarts in the same process).
   */
  endpointOverride?: () => string | undefined;
  /** Per attempt, in milliseconds: 3 s by default. */
  timeoutMs?: number;
  /** Attempts per question, the first included: 3 by default. */
  attempts?: number;
  /** The backoff's base, in milliseconds: the n-th retry waits a random part of base × 2ⁿ⁻¹. */
  backoffMs?: number;
  circuit?: CircuitSettings;
  /** The clock the circuits count their cool-down by. */
  now?: () => number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
  onOutcome?: (outcome: ExchangeOutcome) => void;
}

/** An HTTP status from the exchange, shaped as the SDK's errors are, so `isTransient` reads it (5xx, 429). */
export class ExchangeHttpError extends Error {
  override readonly name = 'ExchangeHttpError';
  readonly $metadata: { httpStatusCode: number };
  constructor(readonly status: number) {
    super(`the data exchange answered HTTP ${status}`);
    this.$metadata = { httpStatusCode: status };
  }
}

type Attempt<S extends SourceName> =
  | { ok: true; answer: Extract<Answer, { source: S }> }
  | { ok: false; reason: UnavailableReason; retry: boolean; status?: number; cause?: unknown; detail?: string };

const defaults = { timeoutMs: 3_000, attempts: 3, backoffMs: 200 };

/** The `DataExchange` over HTTP; build it once per container (it keeps the circuits). */
export function exchangeClient(options: ExchangeClientOptions): DataExchange & { circuits: CircuitBreakers } {
  const now = options.now ?? Date.now;
  const circuits = new CircuitBreakers(options.circuit ?? defaultCircuitSettings, now);
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  const send = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? defaults.timeoutMs;
  const attempts = Math.max(1, options.attempts ?? defaults.attempts);
  const backoffMs = options.backoffMs ?? defaults.backoffMs;
  const report = (outcome: ExchangeOutcome) => {
    try {
      options.onOutcome?.(outcome);
    } catch {
      // A metric is never worth a failed question.
    }
  };

  async function attempt<Q extends Question>(
    url: string,
    path: string,
    question: Q,
    credentials: { accessKeyId: string; secret: string },
  ): Promise<Attempt<Q['source']>> {
    const body = JSON.stringify(wireQuestion(question));
    // The wall clock, not `now`: the receiver holds the timestamp against its own.
    const headers = signRequest({ method: 'POST', path, body }, credentials, Date.now());
    let status: number | undefined;
    try {
      const response = await send(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
        body,
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
      status = response.status;
      const text = await response.text();
      if (status === 429 || status >= 500)
        return { ok: false, reason: 'unreachable', retry: true, status, cause: new ExchangeHttpError(status) };
      if (status < 200 || status >= 300)
        return { ok: false, reason: 'refused', retry: false, status, cause: new ExchangeHttpError(status) };
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return { ok: false, reason: 'invalid-answer', retry: false, status, detail: 'the body is not JSON' };
      }
      const parsed = parseWireAnswer(question, json);
      if (!parsed.ok) return { ok: false, reason: 'invalid-answer', retry: false, status, detail: parsed.problem };
      return { ok: true, answer: parsed.answer };
    } catch (error) {
      // The signal's timeout (while connecting, waiting or reading the body), or fetch's network failure.
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      return {
        ok: false,
        reason: timedOut ? 'timeout' : 'unreachable',
        retry: true,
        ...(status !== undefined ? { status } : {}),
        cause: error,
      };
    }
  }

  async function credentialsFor(source: SourceName, accessKeyId: string) {
    let all: Readonly<Record<string, string>>;
    try {
      all = await options.credentials();
    } catch (error) {
      throw unavailable(source, 'not-configured', 'the credentials could not be read', error);
    }
    const secret = all[accessKeyId];
    if (!secret) throw unavailable(source, 'not-configured', `no secret for access key ${accessKeyId}`);
    return { accessKeyId, secret };
  }

  return {
    circuits,
    async ask<Q extends Question>(cityId: string, question: Q) {
      const source: SourceName = question.source;
      const exchange = await options.exchangeOf(cityId);
      if (!exchange) throw unavailable(source, 'not-configured', `${cityId} names no data exchange in its policy`);
      const credentials = await credentialsFor(source, exchange.accessKeyId);
      const base = new URL(options.endpointOverride?.() ?? exchange.baseUrl);
      const path = `${base.pathname.replace(/\/+$/, '')}${queryPath(source)}`;
      const url = `${base.origin}${path}`;

      if (!circuits.tryAdmit(cityId, source)) {
        report({ cityId, source, failed: true, reason: 'circuit-open' });
        throw unavailable(
          source,
          'circuit-open',
          `${cityId}: the source failed repeatedly; tried again after a cool-down`,
        );
      }
      let last: Attempt<Q['source']> | undefined;
      for (let n = 0; n < attempts; n++) {
        if (n > 0) await sleep(random() * backoffMs * 2 ** (n - 1));
        last = await attempt(url, path, question, credentials);
        if (last.ok || !last.retry) break;
      }
      if (last?.ok) {
        circuits.succeeded(cityId, source);
        report({ cityId, source, failed: false });
        return last.answer as Extract<Answer, { source: Q['source'] }>;
      }
      const failure = last as Extract<Attempt<Q['source']>, { ok: false }>;
      circuits.failed(cityId, source);
      report({
        cityId,
        source,
        failed: true,
        reason: failure.reason,
        ...(failure.status !== undefined ? { status: failure.status } : {}),
      });
      throw unavailable(
        source,
        failure.reason,
        failure.detail ?? (failure.status !== undefined ? `HTTP ${failure.status}` : undefined),
        failure.cause,
      );
    },
  };
}

/** The port's error, with what caused it kept as `cause` (so `isTransient` sees a timeout or a 503 through it). */
function unavailable(source: SourceName, reason: UnavailableReason, detail?: string, cause?: unknown) {
  const error = new SourceUnavailableError(source, reason, detail);
  if (cause !== undefined) error.cause = cause;
  return error;
}
