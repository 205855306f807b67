/**
 * What API Gateway's JWT authorizer does on AWS, done here with `jose`: a bearer token is
 * accepted only when it is signed by a key of the issuer's JWKS with an allowed algorithm, and its
 * `iss`, `aud`, `exp` and `nbf` hold (60 s of clock leeway at most). Nothing else is accepted:
 * no shared-secret (HMAC) token, no `alg: none`, no token of another issuer or audience.
 */
import { createRemoteJWKSet, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';

export const allowedAlgorithms = ['RS256', 'ES256'];
export const clockLeewaySeconds = 60;

export interface TokenVerifierOptions {
  issuer: string;
  audience: string;
  /** The issuer's keys; by default fetched (and cached) from `${issuer}/jwks`. */
  keys?: JWTVerifyGetKey;
}

export type TokenVerifier = (token: string) => Promise<JWTPayload | undefined>;

export function tokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const keys = options.keys ?? createRemoteJWKSet(new URL(`${options.issuer}/jwks`), { cacheMaxAge: 10 * 60_000 });
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: allowedAlgorithms,
        clockTolerance: clockLeewaySeconds,
        requiredClaims: ['sub', 'exp', 'iat'],
        // Issued for a working day, not for a century.
        maxTokenAge: '1d',
      });
      return payload;
    } catch {
      return undefined;
    }
  };
}
