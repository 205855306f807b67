/**
 * Idempotency keys of intake: the first request under a key stores it, in the transaction that
 * creates the application; a repeat within 24 h is answered as the first was, and a different
 * body under the same key is refused. TTL deletes expired keys only eventually, so expiry is
 * also checked on read.
 */
import { GetItemCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import { MalformedItemError } from './application-item.js';
import { fromItem, keys, type TableContext, toItem } from './table.js';

export interface IdempotencyRecord {
  actorSub: string;
  key: string;
  requestHash: string;
  /** Epoch seconds after which the key may be reused. */
  expiresAt: number;
}

/** The same idempotency key was used before; `applicationId` is what it created. */
export class IdempotencyKeyUsedError extends Error {
  constructor(
    readonly applicationId: string,
    readonly requestHash: string,
  ) {
    super('idempotency key already used');
    this.name = 'IdempotencyKeyUsedError';
  }
}

const storedKeySchema = z.object({ applicationId: z.string(), requestHash: z.string(), expiresAt: z.number() });

/** The put of a key for `applicationId`, refused while an unexpired one exists. */
export function idempotencyPut(
  tableName: string,
  record: IdempotencyRecord,
  applicationId: string,
  now: string,
): TransactWriteItem {
  return {
    Put: {
      TableName: tableName,
      Item: toItem({
        ...keys.idempotency(record.actorSub, record.key),
        type: 'idempotency',
        requestHash: record.requestHash,
        applicationId,
        expiresAt: record.expiresAt,
      }),
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
      ExpressionAttributeValues: toItem({ ':now': Math.floor(Date.parse(now) / 1000) }),
    },
  };
}

/** The key's earlier use, unless it has expired by `now`. */
export async function findIdempotencyKey(
  { client, tableName }: TableContext,
  actorSub: string,
  key: string,
  now: Date,
): Promise<{ applicationId: string; requestHash: string } | undefined> {
  const { Item } = await client.send(
    new GetItemCommand({ TableName: tableName, Key: toItem(keys.idempotency(actorSub, key)), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  const parsed = z.safeParse(storedKeySchema, fromItem(Item));
  if (!parsed.success) throw new MalformedItemError(`idempotency key of ${actorSub}`, parsed.error);
  if (parsed.data.expiresAt * 1000 < now.getTime()) return undefined;
  return { applicationId: parsed.data.applicationId, requestHash: parsed.data.requestHash };
}
