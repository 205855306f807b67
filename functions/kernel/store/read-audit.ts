/**
 * The read audit in the table: each entry under its application and under its reader (one
 * transaction, so both questions see the same entries), expiring by `expiresAt` no sooner than
 * the domain's minimum. `record` throws when the entries are not stored: the caller refuses the read.
 */

import { randomUUID } from 'node:crypto';
import { QueryCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import { roles } from '../domain/actor.js';
import {
  minimumReadAuditRetentionDays,
  type ReadAuditEntry,
  readAuditExpiry,
  readPurposes,
} from '../domain/read-audit.js';
import { fromItem, keys, MalformedItemError, type RawItem, type TableContext, toItem } from './table.js';

const entrySchema = z.object({
  at: z.string(),
  sub: z.string(),
  role: z.enum(roles),
  unit: z.string(),
  cityId: z.string(),
  applicationId: z.optional(z.string()),
  ledgerEntryId: z.optional(z.string()),
  purpose: z.enum(readPurposes),
  fields: z.array(z.string()),
  // Entries written before the policy named a retention were kept the minimum.
  retentionDays: z._default(z.number(), minimumReadAuditRetentionDays),
});

export interface ReadAuditQuery {
  cityId: string;
  /** Exactly one of the three: the entries of one application, of one ledger entry, or of one reader. */
  applicationId?: string;
  ledgerEntryId?: string;
  sub?: string;
  /** ISO times, inclusive. */
  from: string;
  to: string;
  limit: number;
  cursor?: string;
}

export interface ReadAuditPage {
  items: ReadAuditEntry[];
  /** Where the next page starts; absent on the last. */
  cursor?: string;
}

/** A transaction holds at most 100 writes: 50 entries, each written twice. */
const entriesPerTransaction = 50;

export function readAuditRepository(table: TableContext) {
  const { client, tableName } = table;
  return {
    async record(entries: ReadAuditEntry[]): Promise<void> {
      for (let i = 0; i < entries.length; i += entriesPerTransaction) {
        const chunk = entries.slice(i, i + entriesPerTransaction);
        await client.send(
          new TransactWriteItemsCommand({
            TransactItems: chunk.flatMap((entry) => {
              // The nonce keeps two reads in the same millisecond apart; written once, never overwritten.
              const sk = `${entry.at}#${randomUUID()}`;
              const expiresAt = readAuditExpiry(new Date(entry.at), entry.retentionDays);
              return [
                entry.applicationId !== undefined
                  ? keys.readAuditOfApplication(entry.cityId, entry.applicationId)
                  : keys.readAuditOfLedgerEntry(entry.cityId, entry.ledgerEntryId ?? ''),
                keys.readAuditOfReader(entry.cityId, entry.sub),
              ].map((pk) => ({
                Put: {
                  TableName: tableName,
                  Item: toItem({ pk, sk, type: 'read-audit', ...entry, expiresAt }),
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              }));
            }),
          }),
        );
      }
    },

    async query(query: ReadAuditQuery): Promise<ReadAuditPage> {
      const pk = query.applicationId
        ? keys.readAuditOfApplication(query.cityId, query.applicationId)
        : query.ledgerEntryId
          ? keys.readAuditOfLedgerEntry(query.cityId, query.ledgerEntryId)
          : keys.readAuditOfReader(query.cityId, query.sub ?? '');
      const answer = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          // '~' sorts after '#' and every character of the nonce: the `to` instant itself is inside.
          ExpressionAttributeValues: toItem({ ':pk': pk, ':from': query.from, ':to': `${query.to}~` }),
          Limit: query.limit,
          ExclusiveStartKey: query.cursor ? cursorKey(query.cursor, pk) : undefined,
        }),
      );
      const items = (answer.Items ?? []).map((raw) => {
        const parsed = z.safeParse(entrySchema, fromItem(raw));
        if (!parsed.success) throw new MalformedItemError('read audit entry', parsed.error);
        return parsed.data;
      });
      return {
        items,
        cursor: answer.LastEvaluatedKey
          ? Buffer.from(JSON.stringify(fromItem(answer.LastEvaluatedKey).sk)).toString('base64url')
          : undefined,
      };
    },
  };
}

export type ReadAuditRepository = ReturnType<typeof readAuditRepository>;

export class MalformedCursorError extends Error {
  override name = 'MalformedCursorError';
}

/** A cursor carries only the sort key it stopped at; the partition is the query's own, so it cannot reach another. */
function cursorKey(cursor: string, pk: string): RawItem {
  let sk: unknown;
  try {
    sk = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new MalformedCursorError('cursor is not one this route gave');
  }
  if (typeof sk !== 'string') throw new MalformedCursorError('cursor is not one this route gave');
  return toItem({ pk, sk });
}
