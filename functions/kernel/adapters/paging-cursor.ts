/**
 * Paging cursors: opaque to the client and authenticated, so a forged or altered one is refused
 * before any key it names reaches DynamoDB. A cursor is the position (the table keys of the last
 * item returned) and an HMAC-SHA-256 over it and its scope (the index partition it pages), so a
 * cursor of one inbox is no use in another. The HMAC key never sits in an environment variable:
 * `pagingCursorKey` derives it once per container from a KMS HMAC key (one `GenerateMac`), the one
 * place to change if the key moves to Secrets Manager.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { GenerateMacCommand, type KMSClient } from '@aws-sdk/client-kms';
import * as z from 'zod/mini';
import { onKmsKey } from './kms-key.js';

/** A cursor that is not one this service issued for this listing: someone else's, altered, or made up. */
export class InvalidCursorError extends Error {
  constructor() {
    super('the cursor does not belong to this listing');
    this.name = 'InvalidCursorError';
  }
}

export type CursorKey = () => Promise<Uint8Array>;

export interface PagingCursors {
  seal(scope: string, position: Record<string, string>): Promise<string>;
  /** The position a cursor names, or `InvalidCursorError`. */
  open(scope: string, cursor: string): Promise<Record<string, string>>;
}

const positionSchema = z.record(z.string(), z.string().check(z.minLength(1), z.maxLength(1024)));

export function pagingCursors(key: CursorKey): PagingCursors {
  const mac = async (scope: string, payload: string) =>
    createHmac('sha256', await key())
      .update(`${scope}\n${payload}`)
      .digest();
  return {
    async seal(scope, position) {
      const payload = JSON.stringify(position);
      return `${Buffer.from(payload).toString('base64url')}.${(await mac(scope, payload)).toString('base64url')}`;
    },
    async open(scope, cursor) {
      const [encoded, tag, ...rest] = cursor.split('.');
      if (!encoded || !tag || rest.length) throw new InvalidCursorError();
      const payload = Buffer.from(encoded, 'base64url').toString('utf8');
      const expected = await mac(scope, payload);
      const given = Buffer.from(tag, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new InvalidCursorError();
      // Authentic, so ours; parsed and checked all the same (a cursor from an older release).
      let position: unknown;
      try {
        position = JSON.parse(payload);
      } catch {
        throw new InvalidCursorError();
      }
      const parsed = z.safeParse(positionSchema, position);
      if (!parsed.success) throw new InvalidCursorError();
      return parsed.data;
    },
  };
}

/** What the key is derived from: fixed, so every container derives the same key. */
const derivationMessage = 'employment-subsidy/paging-cursor-key/v1';

async function derivedKey(client: KMSClient, keyId: string): Promise<Uint8Array> {
  const { Mac } = await client.send(
    new GenerateMacCommand({
      KeyId: keyId,
      MacAlgorithm: 'HMAC_SHA_256',
      Message: Buffer.from(derivationMessage, 'utf8'),
    }),
  );
  if (!Mac) throw new Error('KMS returned no MAC');
  return Mac;
}

/**
 * The production key: derived from the KMS HMAC key PAGING_CURSOR_KMS_KEY_ID on first use and
 * kept for the container's life (derived again when the key or the local endpoint changes, and
 * after a failed derivation, which is not kept).
 */
export const pagingCursorKey: CursorKey = onKmsKey('PAGING_CURSOR_KMS_KEY_ID', derivedKey);
