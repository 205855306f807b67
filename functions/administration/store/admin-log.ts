/**
 * A city's administration log in the table, and the one way an administrative change is written:
 * the change's own items and the next log entry in one transaction, conditional on the log's head
 * not having moved. Two administrators changing things at once: one commits, the other's change is
 * built again on the new head. Nothing is ever half-applied.
 */
import {
  GetItemCommand,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import { fromItem, keys, queryAll, type TableContext, toItem } from '../../kernel/store/table.js';
import { cancellationReasonOf, type TransactionParts, transactItemsOf } from '../../kernel/store/transactions.js';
import { type AdminLogEntry, adminActions, nextAdminEntry } from '../domain/admin-log.js';

const headSchema = z.object({ seq: z.number(), hash: z.string() });
const entrySchema = z.object({
  seq: z.number(),
  at: z.string(),
  by: z.string(),
  action: z.enum(adminActions),
  target: z.string(),
  before: z.optional(z.unknown()),
  after: z.unknown(),
  prevHash: z.string(),
  hash: z.string(),
});

/** A change refused because what it was built on moved; the caller's own condition, not the log's. */
export class AdminChangeConflictError extends Error {
  override name = 'AdminChangeConflictError';
}

export interface AdminChange<T> {
  /** The log entry, without its chain fields. */
  entry: Omit<AdminLogEntry, 'seq' | 'prevHash' | 'hash'> | undefined;
  /** The change's own writes (each with its own condition where it can race). */
  writes: TransactWriteItem[];
  result: T;
}

export function adminLogRepository(table: TableContext) {
  const { client, tableName } = table;

  async function head(cityId: string): Promise<{ seq: number; hash: string } | undefined> {
    const { Item } = await client.send(
      new GetItemCommand({ TableName: tableName, Key: toItem(keys.adminLogHead(cityId)), ConsistentRead: true }),
    );
    return Item ? headSchema.parse(fromItem(Item)) : undefined;
  }

  return {
    head,

    async entries(cityId: string): Promise<AdminLogEntry[]> {
      const items = await queryAll(table, {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: toItem({
          ':pk': keys.adminLogEntry(cityId, 0).pk,
          ':prefix': keys.adminLogEntryPrefix,
        }),
        ConsistentRead: true,
      });
      return items.map((item) => {
        const { pk: _pk, sk: _sk, type: _type, ...entry } = fromItem(item);
        return entrySchema.parse(entry) as AdminLogEntry;
      });
    },

    /**
     * Builds a change on the current log head and commits it with its entry; rebuilt (at most a
     * few times) when another change moved the head first. `build` returning no entry writes nothing.
     */
    async commit<T>(cityId: string, build: () => Promise<AdminChange<T>>): Promise<T> {
      for (let attempt = 1; ; attempt++) {
        const current = await head(cityId);
        const change = await build();
        if (!change.entry) return change.result;
        const entry = nextAdminEntry(current, change.entry);
        const ownParts = Object.fromEntries(change.writes.map((write, i) => [`change write ${i + 1}`, write]));
        const parts: TransactionParts = {
          ...ownParts,
          logEntry: {
            Put: {
              TableName: tableName,
              Item: toItem({ ...keys.adminLogEntry(cityId, entry.seq), type: 'admin-log-entry', ...entry }),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          logHead: {
            Put: {
              TableName: tableName,
              Item: toItem({ ...keys.adminLogHead(cityId), type: 'admin-log-head', seq: entry.seq, hash: entry.hash }),
              ...(current
                ? { ConditionExpression: 'seq = :seq', ExpressionAttributeValues: toItem({ ':seq': current.seq }) }
                : { ConditionExpression: 'attribute_not_exists(pk)' }),
            },
          },
        };
        try {
          await client.send(new TransactWriteItemsCommand({ TransactItems: transactItemsOf(parts) }));
          return change.result;
        } catch (error) {
          if (!(error instanceof TransactionCanceledException)) throw error;
          const ownFailed = Object.keys(ownParts).some(
            (part) => cancellationReasonOf(error, parts, part)?.Code === 'ConditionalCheckFailed',
          );
          if (ownFailed) throw new AdminChangeConflictError('the record changed while this change was made');
          if (attempt >= 4) throw error;
        }
      }
    },
  };
}
export type AdminLogRepository = ReturnType<typeof adminLogRepository>;
