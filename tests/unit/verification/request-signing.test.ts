/** Signed requests to the data exchange: what a sender signs, and everything a receiver refuses. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  canonicalRequest,
  clockSkewSeconds,
  NonceWindow,
  requestSignature,
  signatureHeaders,
  signRequest,
  verifyRequest,
} from '../../../functions/verification/domain/request-signing.js';

const request = { method: 'POST', path: '/v1/query/deaths', body: '{"idNumber":"130105198005120240"}' };
const credentials = { accessKeyId: 'sjz-employment-subsidy', secret: 'a-secret-the-exchange-issued-0001' };
const secretOf = (id: string) => (id === credentials.accessKeyId ? credentials.secret : undefined);
const at = Date.parse('2026-05-20T02:00:00Z');
const nonce = 'c0ffee00-1111-4222-8333-444455556666';

describe('signing a request', () => {
  it('signs the method, the path, the timestamp in seconds and the hash of the body', () => {
    const headers = signRequest(request, credentials, at, nonce);

    expect(canonicalRequest(request, '1779242400')).toBe(
      `POST\n/v1/query/deaths\n1779242400\n${createHash('sha256').update(request.body).digest('hex')}`,
    );
    expect(headers).toEqual({
      [signatureHeaders.accessKey]: credentials.accessKeyId,
      [signatureHeaders.timestamp]: '1779242400',
      [signatureHeaders.nonce]: nonce,
      [signatureHeaders.signature]: requestSignature(request, '1779242400', credentials.secret),
    });
    expect(headers[signatureHeaders.signature]).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives each request a fresh nonce unless told one', () => {
    const first = signRequest(request, credentials, at)[signatureHeaders.nonce];
    const second = signRequest(request, credentials, at)[signatureHeaders.nonce];

    expect(first).not.toBe(second);
  });
});

describe('verifying a request', () => {
  it('accepts what was signed with the right secret, within the window', () => {
    const headers = signRequest(request, credentials, at, nonce);

    expect(verifyRequest(request, headers, secretOf, new NonceWindow(), at + 299_000)).toEqual({
      ok: true,
      accessKeyId: credentials.accessKeyId,
    });
  });

  it('refuses a forgery: another secret, another body, another path or another method', () => {
    const forged = signRequest(request, { ...credentials, secret: 'not-the-secret-of-this-access-key' }, at, nonce);
    const headers = signRequest(request, credentials, at, nonce);

    expect(verifyRequest(request, forged, secretOf, new NonceWindow(), at)).toEqual({
      ok: false,
      refusal: 'bad-signature',
    });
    for (const altered of [
      { ...request, body: '{"idNumber":"130102199007070350"}' },
      { ...request, path: '/v1/query/pensions' },
      { ...request, method: 'PUT' },
    ])
      expect(verifyRequest(altered, headers, secretOf, new NonceWindow(), at)).toEqual({
        ok: false,
        refusal: 'bad-signature',
      });
  });

  it('refuses an unknown access key and missing or malformed headers', () => {
    const headers = signRequest(request, credentials, at, nonce);

    expect(
      verifyRequest(
        request,
        { ...headers, [signatureHeaders.accessKey]: 'someone-else' },
        secretOf,
        new NonceWindow(),
        at,
      ),
    ).toEqual({ ok: false, refusal: 'unknown-key' });
    for (const name of Object.values(signatureHeaders)) {
      const { [name]: _, ...without } = headers;
      expect(verifyRequest(request, without, secretOf, new NonceWindow(), at), name).toEqual({
        ok: false,
        refusal: 'missing-headers',
      });
    }
    expect(
      verifyRequest(request, { ...headers, [signatureHeaders.signature]: 'zz' }, secretOf, new NonceWindow(), at),
    ).toEqual({ ok: false, refusal: 'missing-headers' });
  });

  it('refuses a request signed outside the clock-skew window, either way', () => {
    const headers = signRequest(request, credentials, at, nonce);
    const window = clockSkewSeconds * 1000;

    expect(verifyRequest(request, headers, secretOf, new NonceWindow(), at + window + 1000)).toEqual({
      ok: false,
      refusal: 'stale',
    });
    expect(verifyRequest(request, headers, secretOf, new NonceWindow(), at - window - 1000)).toEqual({
      ok: false,
      refusal: 'stale',
    });
  });

  it('refuses the same request sent again within the window (its nonce was seen)', () => {
    const nonces = new NonceWindow();
    const headers = signRequest(request, credentials, at, nonce);

    expect(verifyRequest(request, headers, secretOf, nonces, at).ok).toBe(true);
    expect(verifyRequest(request, headers, secretOf, nonces, at + 60_000)).toEqual({ ok: false, refusal: 'replayed' });
    // Once the window has passed the timestamp refuses it: the nonce need not be remembered.
    expect(verifyRequest(request, headers, secretOf, nonces, at + 2 * clockSkewSeconds * 1000 + 1000)).toEqual({
      ok: false,
      refusal: 'stale',
    });
  });

  it('does not let a forgery use up a nonce the real sender will send', () => {
    const nonces = new NonceWindow();
    const forged = signRequest(request, { ...credentials, secret: 'not-the-secret-of-this-access-key' }, at, nonce);

    expect(verifyRequest(request, forged, secretOf, nonces, at).ok).toBe(false);
    expect(verifyRequest(request, signRequest(request, credentials, at, nonce), secretOf, nonces, at).ok).toBe(true);
  });

  it('forgets nonces once their requests could no longer pass the timestamp check', () => {
    const nonces = new NonceWindow(1);

    expect(nonces.accept('k', nonce, 0)).toBe(true);
    expect(nonces.accept('k', nonce, 1_500)).toBe(false);
    expect(nonces.accept('k', nonce, 2_001 + 1_500)).toBe(true);
    // Per access key: another sender's nonce is its own.
    expect(nonces.accept('other', nonce, 3_600)).toBe(true);
  });
});
