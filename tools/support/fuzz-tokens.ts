/** Tokens for the bad-request generators: the demo people's, and ones the API must refuse. */
import { randomBytes } from 'node:crypto';
import type { LocalStack } from '../../local/runtime.js';
import { keptSigningKey, signIdToken } from '../../local/signing-keys.js';
import type { FuzzTokens } from './bad-requests.js';

/** People of the demo directory, one of each role (they act under their only assignment). */
const demoSubs = ['staff-gexin-01', 'approver-gexin', 'approver-city', 'monitor-city', 'admin-city'];

export async function fuzzTokens(stack: Pick<LocalStack, 'tokenOf' | 'issuer'>): Promise<FuzzTokens> {
  const valid = await Promise.all(demoSubs.map((sub) => stack.tokenOf(sub)));
  const [header, payload, signature] = (valid[0] as string).split('.') as [string, string, string];
  const foreignKey = await keptSigningKey(undefined);
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const invalid = [
    // Signed by a key the issuer does not publish.
    await signIdToken(foreignKey, stack.issuer, 'staff-gexin-01'),
    // The issuer's own token, expired (signed by the foreign key: the stack's key stays with it).
    await signIdToken(foreignKey, stack.issuer, 'staff-gexin-01', -60),
    // Another person's claims under the first token's signature.
    `${header}.${b64({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'admin-city' })}.${signature}`,
    // The signature bent.
    `${header}.${payload}.${signature.slice(0, -4)}AAAA`,
    // No signature at all (alg none).
    `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`,
    // A person the directory does not know, with a genuine token (403, not 401).
    await stack.tokenOf(`nobody-${randomBytes(4).toString('hex')}`),
    'not-a-jwt',
    `${'a'.repeat(4000)}.b.c`,
  ];
  return { valid, invalid };
}
