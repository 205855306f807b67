/**
 * Sends one signed webhook request. The connection goes through an undici Agent whose lookup
 * refuses non-public addresses (see ssrf.ts); redirects are never followed (undici's request
 * does not follow them), the whole exchange is limited to 10 s and at most 64 KB of the answer
 * is read, so a receiver can neither hold the worker nor fill its memory.
 */
import { Agent, request } from 'undici';
import { acceptsLiteral, checkWebhookUrl, guardedLookup, isLoopbackAddress, isPublicAddress, systemResolver, UnsafeWebhookTargetError, type Resolver, type TargetPolicy } from './ssrf.js';

export const sendTimeoutMs = 10_000;
export const maxResponseBytes = 64 * 1024;

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

export function webhookSender(policy: TargetPolicy, options: { resolver?: Resolver; timeoutMs?: number } = {}): WebhookSender {
  const resolver = options.resolver ?? systemResolver;
  const timeoutMs = options.timeoutMs ?? sendTimeoutMs;
  const agentFor = (accept: (address: string) => boolean) =>
    new Agent({ connect: { lookup: guardedLookup(resolver, accept), timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  const httpsAgent = agentFor(isPublicAddress);
  // Plain http exists only for a receiver on this machine during development.
  const loopbackAgent = agentFor(isLoopbackAddress);

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
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const answer = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'employment-subsidy-webhooks/1', ...message.headers },
        body: message.body,
        dispatcher: url.protocol === 'http:' ? loopbackAgent : httpsAgent,
        signal,
      });
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of answer.body) {
        const buffer = chunk as Buffer;
        chunks.push(buffer.subarray(0, Math.max(0, maxResponseBytes - size)));
        size += buffer.length;
        if (size >= maxResponseBytes) {
          answer.body.destroy();
          break;
        }
      }
      const responseBody = Buffer.concat(chunks).toString('utf8').slice(0, 1024);
      const ok = answer.statusCode >= 200 && answer.statusCode < 300;
      return {
        statusCode: answer.statusCode,
        durationMs: elapsed(),
        ...(ok ? {} : { error: answer.statusCode >= 300 && answer.statusCode < 400 ? `redirect to ${String(answer.headers.location ?? '?')} not followed` : `HTTP ${answer.statusCode}` }),
        ...(responseBody ? { responseBody } : {}),
      };
    } catch (error) {
      const cause = (error as Error & { cause?: Error }).cause;
      const reason = error instanceof UnsafeWebhookTargetError || cause instanceof UnsafeWebhookTargetError ? (cause ?? (error as Error)).message : (error as Error).message;
      return { durationMs: elapsed(), error: signal.aborted ? `timed out after ${timeoutMs} ms` : reason };
    }
  };
}
