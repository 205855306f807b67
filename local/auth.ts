/**
 * Bearer tokens on one machine. On AWS, Cognito issues them and the HTTP API's JWT authorizer
 * checks them; locally, `npm run token` signs them (HS256) with a key that never leaves this
 * machine, and the local HTTP server checks them the same way before a handler sees a request.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const localIssuer = 'subsidy-local';
export const localAudience = 'subsidy-api';

/** Local development only: the server listens on 127.0.0.1 and this key signs nothing else. */
export const localSigningKey = process.env.LOCAL_JWT_SECRET ?? 'local-development-only-signing-key-do-not-deploy';

const base64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

export function signLocalToken(
  claims: { sub: string; role: string; unit: string },
  lifetimeSeconds = 12 * 60 * 60,
): string {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64url(
    JSON.stringify({ ...claims, iss: localIssuer, aud: localAudience, iat: now, exp: now + lifetimeSeconds }),
  );
  const signature = createHmac('sha256', localSigningKey).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

/** The token's claims when its signature, issuer, audience and expiry hold; otherwise undefined. */
export function verifyLocalToken(token: string): Record<string, string | number> | undefined {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) return undefined;
  const expected = createHmac('sha256', localSigningKey).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const { alg } = JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg?: string };
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, string | number>;
    if (alg !== 'HS256' || claims.iss !== localIssuer || claims.aud !== localAudience) return undefined;
    if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) return undefined;
    return claims;
  } catch {
    return undefined;
  }
}
