/**
 * Sends one signed webhook request, on `node:https` (or `node:http` to loopback in local mode).
 *
 * DESIGN.md names an undici `Agent` with a guarded `connect.lookup` as the measured way. We keep
 * its guarantee with Node's own client and drop undici (≈ 525 KB of every bundle that sent, over
 * the 400 KB budget per Lambda): the request's `lookup` option is `guardedLookup` (ssrf.ts), and
 * Node's `net` connects only to an address that lookup handed back, so the address checked is
 * the address connected to, on every connection (no pooled socket, `agent: false`). A literal
 * address never reaches a lookup, so it is checked before the request starts. Redirects are never
 * followed (Node's client does not follow them), the whole exchange is limited to 10 s (connect,
 * TLS, answer and body, not just idle time) and at most 64 KB of the answer is read, so a receiver
 * can neither hold the worker nor fill its memory.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import {
  acceptsLiteral,
  checkWebhookUrl,
  guardedLookup,
  isLoopbackAddress,
  isPublicAddress,
  type Resolver,
  systemResolver,
  type TargetPolicy,
  UnsafeWebhookTargetError,
} from './ssrf.js';

export const sendTimeoutMs = 10_000;
export const maxResponseBytes = 64 * 1024;
/** What the delivery log keeps of an answer's body. */
const loggedResponseChars = 1024;

export interface SendResult {
  /** The HTTP status, when the receiver answered at all. */
  statusCode?: number;
  durationMs: number;
  /** Why it failed, for the delivery log; absent on a 2xx. */
  error?: string;
  /** The start of the answer's body, for the delivery log. */
  responseBody?: string;
}

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export type WebhookSender = (message: WebhookRequest) => Promise<SendResult>;

/** The exchange ran past its deadline. */
class SendTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
    this.name = 'SendTimeoutError';
  }
}

/** Reads at most `limit` bytes of the answer, then stops reading and drops the connection. */
function readLimited(answer: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = () => done(Buffer.concat(chunks));
    answer.on('data', (chunk: Buffer) => {
      chunks.push(chunk.subarray(0, Math.max(0, limit - size)));
      size += chunk.length;
      if (size >= limit) {
        answer.removeAllListeners('data');
        answer.destroy();
        finish();
      }
    });
    answer.once('end', finish);
    // A receiver that hangs up mid-answer still answered: keep its status and what arrived.
    answer.once('close', finish);
    answer.once('error', (error) => (size > 0 ? finish() : fail(error)));
  });
}

export function webhookSender(
  policy: TargetPolicy,
  options: { resolver?: Resolver; timeoutMs?: number } = {},
): WebhookSender {
  const resolver = options.resolver ?? systemResolver;
  const timeoutMs = options.timeoutMs ?? sendTimeoutMs;
  const publicLookup = guardedLookup(resolver, isPublicAddress);
  // Plain http exists only for a receiver on this machine during development.
  const loopbackLookup = guardedLookup(resolver, isLoopbackAddress, 'not a loopback address');

  return async (message) => {
    const started = Date.now();
    const elapsed = () => Date.now() - started;
    let url: URL;
    try {
      url = checkWebhookUrl(message.url, policy);
      // A literal address never reaches the lookup (net connects to it directly): check it here.
      if (!acceptsLiteral(url, policy)) throw new UnsafeWebhookTargetError(`${url.hostname} is not a public address`);
    } catch (error) {
      return { durationMs: elapsed(), error: String((error as Error).message) };
    }

    const body = Buffer.from(message.body, 'utf8');
    const plain = url.protocol === 'http:';
    const request = (plain ? httpRequest : httpsRequest)(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'employment-subsidy-webhooks/1',
        ...message.headers,
        'content-length': String(body.length),
      },
      // The SSRF check: every address this connection may use passes through it (see ssrf.ts).
      lookup: plain ? loopbackLookup : publicLookup,
      // A fresh connection per delivery: no socket from an earlier lookup is ever reused.
      agent: false,
    });
    let timedOut = false;
    const deadline = setTimeout(() => {
      timedOut = true;
      request.destroy(new SendTimeoutError(timeoutMs));
    }, timeoutMs);
    try {
      const answer = await new Promise<IncomingMessage>((answered, fail) => {
        request.once('response', answered);
        request.on('error', fail);
        request.end(body);
      });
      const statusCode = answer.statusCode ?? 0;
      const responseBody = (await readLimited(answer, maxResponseBytes)).toString('utf8').slice(0, loggedResponseChars);
      const ok = statusCode >= 200 && statusCode < 300;
      // An answer still trickling in at the deadline is not a delivery, whatever its status said.
      if (timedOut) return { statusCode, durationMs: elapsed(), error: new SendTimeoutError(timeoutMs).message };
      return {
        statusCode,
        durationMs: elapsed(),
        ...(ok
          ? {}
          : {
              error:
                statusCode >= 300 && statusCode < 400
                  ? `redirect to ${answer.headers.location ?? '?'} not followed`
                  : `HTTP ${statusCode}`,
            }),
        ...(responseBody ? { responseBody } : {}),
      };
    } catch (error) {
      return {
        durationMs: elapsed(),
        error: timedOut ? new SendTimeoutError(timeoutMs).message : (error as Error).message,
      };
    } finally {
      clearTimeout(deadline);
      request.destroy();
    }
  };
}
