/**
 * The local identity provider's signing key and where it issues from. The key is generated into
 * the data directory the first time (never in the source); `npm start` signs with it through the
 * OIDC provider and `npm run token` signs the same tokens with it, for the same issuer.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';

/** The client the local sign-in page signs people in for; ID tokens carry it as their audience. */
export const localAudience = 'subsidy-console';

/** The issuer of a local stack serving its API at `apiUrl`: the provider is mounted under `/oidc`. */
export const localIssuerOf = (apiUrl: string) => `${apiUrl}/oidc`;

export interface SigningKey {
  /** The private JWK (with `kid` and `alg`), for the provider and the token command. */
  privateJwk: JWK;
  publicJwk: JWK;
}

async function newSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = `local-${Date.now().toString(36)}`;
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { privateJwk, publicJwk };
}

/** The key kept in `dir` (created with mode 0600 the first time); a fresh one in memory without a dir. */
export async function keptSigningKey(dir: string | undefined): Promise<SigningKey> {
  if (!dir) return newSigningKey();
  const file = join(dir, 'oidc-signing-key.json');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, JSON.stringify(await newSigningKey()), { mode: 0o600 });
  }
  return JSON.parse(readFileSync(file, 'utf8')) as SigningKey;
}

/** An ID token as the local provider issues it (RS256, its key and issuer), for a person. */
export async function signIdToken(
  key: SigningKey,
  issuer: string,
  sub: string,
  lifetimeSeconds = 8 * 60 * 60,
): Promise<string> {
  const privateKey = await importJWK(key.privateJwk, 'RS256');
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', kid: key.privateJwk.kid as string, typ: 'JWT' })
    .setIssuer(issuer)
    .setAudience(localAudience)
    .setSubject(sub)
    .setIssuedAt()
    .setNotBefore('0s')
    .setExpirationTime(`${lifetimeSeconds}s`)
    .sign(privateKey);
}
