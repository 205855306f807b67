/**
 * The one verification path, table-driven: the local server accepts a token only from the
 * configured issuer, for the configured audience, signed by the issuer's key with RS256 or ES256,
 * inside its lifetime (60 s of leeway). Every forgery below is refused (the server answers 401).
 */
import { createHmac } from 'node:crypto';
import { createLocalJWKSet, exportJWK, exportSPKI, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { type TokenVerifier, tokenVerifier } from '../../../local/verify-token.js';

const issuer = 'http://127.0.0.1:3000/oidc';
const audience = 'subsidy-console';
let verify: TokenVerifier;
let sign: (claims: JWTPayload, header?: Record<string, unknown>) => Promise<string>;
let publicPem: string;
let esSign: (claims: JWTPayload) => Promise<string>;
const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

beforeAll(async () => {
  const rsa = await generateKeyPair('RS256', { extractable: true });
  const ec = await generateKeyPair('ES256', { extractable: true });
  const jwks = {
    keys: [
      { ...(await exportJWK(rsa.publicKey)), kid: 'rsa', alg: 'RS256' },
      { ...(await exportJWK(ec.publicKey)), kid: 'ec', alg: 'ES256' },
    ],
  };
  verify = tokenVerifier({ issuer, audience, keys: createLocalJWKSet(jwks) });
  publicPem = await exportSPKI(rsa.publicKey);
  sign = (claims, header = {}) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'rsa', ...header }).sign(rsa.privateKey);
  esSign = (claims) => new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'ec' }).sign(ec.privateKey);
});

const good = (): JWTPayload => ({ iss: issuer, aud: audience, sub: 'approver-gexin', iat: now(), exp: now() + 3600 });

describe('token verification', () => {
  it('accepts a token of the issuer (RS256 and ES256), and one 50 s early or late (leeway)', async () => {
    expect(await verify(await sign(good()))).toMatchObject({ sub: 'approver-gexin' });
    expect(await verify(await esSign(good()))).toMatchObject({ sub: 'approver-gexin' });
    expect(await verify(await sign({ ...good(), nbf: now() + 50 }))).toBeDefined();
    expect(await verify(await sign({ ...good(), exp: now() - 50 }))).toBeDefined();
  });

  const forgeries: [string, () => Promise<string>][] = [
    ['another issuer', () => sign({ ...good(), iss: 'https://evil.example.com' })],
    ['another audience', () => sign({ ...good(), aud: 'someone-else' })],
    ['algorithm none', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(good())}.`],
    [
      'HS256 signed with the public key',
      async () => {
        const head = `${b64({ alg: 'HS256', typ: 'JWT', kid: 'rsa' })}.${b64(good())}`;
        return `${head}.${createHmac('sha256', publicPem).update(head).digest('base64url')}`;
      },
    ],
    ['expired (beyond the leeway)', () => sign({ ...good(), iat: now() - 7200, exp: now() - 61 })],
    ['not yet valid (beyond the leeway)', () => sign({ ...good(), nbf: now() + 120 })],
    ['no expiry', () => sign({ iss: issuer, aud: audience, sub: 'x', iat: now() })],
    ['a century of lifetime', () => sign({ ...good(), iat: now() - 3 * 86400, exp: now() + 100 * 365 * 86400 })],
    ['an extra segment', async () => `${await sign(good())}.${b64({ more: 1 })}`],
    [
      'an altered signature',
      async () => {
        const token = await sign(good());
        // A character well inside the signature: every bit of it is signature, none is padding.
        const at = token.length - 10;
        return `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;
      },
    ],
    [
      'an altered payload',
      async () => {
        const [h, , s] = (await sign(good())).split('.');
        return `${h}.${b64({ ...good(), sub: 'admin-city' })}.${s}`;
      },
    ],
    ['an unknown key id', () => sign(good(), { kid: 'other' })],
  ];

  it.each(forgeries)('refuses %s', async (_name, forge) => {
    expect(await verify(await forge())).toBeUndefined();
  });
});
