/**
 * Idempotency keys of intake: the first request under a key stores it, in the transaction that
 * creates the application, with the status it was answered and the application it created; a
 * repeat within 24 h is answered that status with the application as it now stands, shown as the
 * caller may see it now (the key keeps no copy of the applicant: a stored answer would hold the
 * identified view for 24 h, beyond the privacy matrix and the read audit), and a different body
 * under the same key is refused. A key belongs to its caller (the person and the assignment they act under) and its
 * route: the same string sent by someone else, or as another role, is another key. TTL deletes
 * expired keys only eventually, so expiry is also checked on read.
 */

import { GetItemCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import { fromItem, keys, MalformedItemError, type TableContext, toItem } from '../../kernel/store/table.js';

/** What a key keeps of its first answer: the status; the body is rebuilt from the application on every repeat. */
export interface StoredAnswer {
  status: number;
}

export interface IdempotencyRecord {
  /** Who asked, as what, on which route: `sub|role@unit|POST /applications`. */
  caller: string;
  key: string;
  /** Hash of the canonical body (keys sorted): the same request in another key order is the same request. */
  requestHash: string;
  /** Epoch seconds after which the key may be reused. */
  expiresAt: number;
  answer: StoredAnswer;
}

export interface EarlierUse {
  applicationId: string;
  requestHash: string;
  answer: StoredAnswer;
}

/** The same idempotency key was used before; `applicationId` is what it created. */
export class IdempotencyKeyUsedError extends Error {
  constructor(readonly earlier: EarlierUse) {
    super('idempotency key already used');
    this.name = 'IdempotencyKeyUsedError';
  }
}

const storedKeySchema = z.object({
  applicationId: z.string(),
  requestHash: z.string(),
  expiresAt: z.number(),
  /** Absent on keys stored before answers were kept: those were all 201. */
  answerStatus: z.optional(z.number()),
  // Keys written before this change also hold `answerBody` and `answerLocation`: never read, gone by TTL within 24 h.
});

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
        ...keys.idempotency(record.caller, record.key),
        type: 'idempotency',
        requestHash: record.requestHash,
        applicationId,
        expiresAt: record.expiresAt,
        answerStatus: record.answer.status,
      }),
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
      ExpressionAttributeValues: toItem({ ':now': Math.floor(Date.parse(now) / 1000) }),
    },
  };
}

/** The key's earlier use by this caller, unless it has expired by `now`. */
export async function findIdempotencyKey(
  { client, tableName }: TableContext,
  caller: string,
  key: string,
  now: Date,
): Promise<EarlierUse | undefined> {
  const { Item } = await client.send(
    new GetItemCommand({ TableName: tableName, Key: toItem(keys.idempotency(caller, key)), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  const parsed = z.safeParse(storedKeySchema, fromItem(Item));
  if (!parsed.success) throw new MalformedItemError(`idempotency key of ${caller}`, parsed.error);
  const stored = parsed.data;
  if (stored.expiresAt * 1000 < now.getTime()) return undefined;
  return {
    applicationId: stored.applicationId,
    requestHash: stored.requestHash,
    answer: { status: stored.answerStatus ?? 201 },
  };
}
