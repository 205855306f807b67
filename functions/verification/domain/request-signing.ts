/**
 * How a request to the data exchange proves who sent it (AK/SK): the sender signs
 * `METHOD\npath\ntimestamp\nsha256hex(body)` with HMAC-SHA256 under the secret of its access key
 * and sends the signature in hex with the access key, the timestamp (epoch seconds) and a random
 * nonce. The receiver recomputes it, refuses a timestamp outside the clock-skew window and a nonce
 * it has seen within that window, so a captured request can neither be altered nor sent again.
 * Both ends run this file: the adapter signs, the local exchange service verifies.
 */
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

export const signatureHeaders = {
  accessKey: 'x-exchange-access-key',
  timestamp: 'x-exchange-timestamp',
  signature: 'x-exchange-signature',
  nonce: 'x-exchange-nonce',
} as const;

/** How far apart the sender's and the receiver's clocks may be, in seconds, either way. */
export const clockSkewSeconds = 300;

export interface SignedRequest {
  method: string;
  /** The URL's path as the receiver sees it (no query string: the exchange takes none). */
  path: string;
  body: string;
}

const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The text that is signed: one line each for the method, the path, the timestamp and the body's hash. */
export function canonicalRequest(request: SignedRequest, timestamp: string): string {
  return [request.method.toUpperCase(), request.path, timestamp, sha256Hex(request.body)].join('\n');
}

/** The signature, in lower-case hex. */
export function requestSignature(request: SignedRequest, timestamp: string, secret: string): string {
  return createHmac('sha256', secret).update(canonicalRequest(request, timestamp), 'utf8').digest('hex');
}

/** The headers that sign `request` at `now` (epoch milliseconds); the nonce is random unless given. */
export function signRequest(
  request: SignedRequest,
  credentials: { accessKeyId: string; secret: string },
  now: number,
  nonce: string = randomUUID(),
): Record<string, string> {
  const timestamp = String(Math.floor(now / 1000));
  return {
    [signatureHeaders.accessKey]: credentials.accessKeyId,
    [signatureHeaders.timestamp]: timestamp,
    [signatureHeaders.nonce]: nonce,
    [signatureHeaders.signature]: requestSignature(request, timestamp, credentials.secret),
  };
}

/**
 * The nonces accepted within the window, per access key: a nonce seen again while its request
 * could still pass the timestamp check is a replay. Entries older than the window are dropped as
 * new ones arrive, since their requests fail the timestamp check by then anyway.
 */
export class NonceWindow {
  private readonly seen = new Map<string, number>();

  constructor(private readonly windowSeconds = clockSkewSeconds) {}

  /** Records the nonce; false when it was already seen within the window (a replay). */
  accept(accessKeyId: string, nonce: string, nowMs: number): boolean {
    const horizon = nowMs - 2 * this.windowSeconds * 1000;
    for (const [key, at] of this.seen) {
      if (at >= horizon) break;
      this.seen.delete(key);
    }
    const key = `${accessKeyId}\n${nonce}`;
    const at = this.seen.get(key);
    if (at !== undefined && at >= horizon) return false;
    // Re-inserted so the map stays in arrival order, which the pruning above relies on.
    this.seen.delete(key);
    this.seen.set(key, nowMs);
    return true;
  }
}

export type SignatureRefusal = 'missing-headers' | 'unknown-key' | 'stale' | 'bad-signature' | 'replayed';
export type SignatureCheck = { ok: true; accessKeyId: string } | { ok: false; refusal: SignatureRefusal };

const timestampPattern = /^\d{1,12}$/;
const noncePattern = /^[A-Za-z0-9_-]{16,128}$/;
const hexSignaturePattern = /^[0-9a-f]{64}$/;

/**
 * Checks a signed request: the headers are present and well formed, the access key is known, the
 * timestamp is within the skew window of `now`, the signature matches (compared in constant time),
 * and only then that the nonce is new, so a forged request cannot use up a real sender's nonce.
 */
export function verifyRequest(
  request: SignedRequest,
  headers: Record<string, string | string[] | undefined>,
  secretOf: (accessKeyId: string) => string | undefined,
  nonces: NonceWindow,
  now: number,
): SignatureCheck {
  const header = (name: string) => {
    const value = headers[name];
    return typeof value === 'string' ? value : undefined;
  };
  const accessKeyId = header(signatureHeaders.accessKey);
  const timestamp = header(signatureHeaders.timestamp);
  const nonce = header(signatureHeaders.nonce);
  const signature = header(signatureHeaders.signature)?.toLowerCase();
  if (
    !accessKeyId ||
    !timestamp ||
    !timestampPattern.test(timestamp) ||
    !nonce ||
    !noncePattern.test(nonce) ||
    !signature ||
    !hexSignaturePattern.test(signature)
  )
    return { ok: false, refusal: 'missing-headers' };
  const secret = secretOf(accessKeyId);
  if (secret === undefined) return { ok: false, refusal: 'unknown-key' };
  if (Math.abs(Math.floor(now / 1000) - Number(timestamp)) > clockSkewSeconds) return { ok: false, refusal: 'stale' };
  const expected = Buffer.from(requestSignature(request, timestamp, secret), 'hex');
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, refusal: 'bad-signature' };
  if (!nonces.accept(accessKeyId, nonce, now)) return { ok: false, refusal: 'replayed' };
  return { ok: true, accessKeyId };
}
