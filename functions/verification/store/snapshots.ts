/**
 * The imported snapshots in the table: their records, which as-of date answers for each city and
 * source, and each file's import with its report. Records are put with keys derived from their
 * content, so writing a file's rows again (a retry, a re-run after a crash) leaves the same items.
 */
import { BatchWriteItemCommand, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import { conditionally } from '../../kernel/store/conditional-write.js';
import {
  fromItem,
  keys,
  MalformedItemError,
  queryAll,
  type RawItem,
  type TableContext,
  toItem,
} from '../../kernel/store/table.js';
import type { ImportReport } from '../domain/snapshot-layout.js';
import type { StoredRecord } from '../domain/snapshot-records.js';
import type { SourceName } from '../domain/sources.js';

export interface SnapshotRef {
  cityId: string;
  source: SourceName;
  asOf: string;
}

export interface SnapshotRepository {
  /** Puts these records of the snapshot (any number: written 25 to a call, again for what DynamoDB left unprocessed). */
  putRecords(snapshot: SnapshotRef, records: readonly StoredRecord[]): Promise<void>;
  /** The as-of date that answers for the city and source; undefined when none was ever imported. */
  currentAsOf(cityId: string, source: SourceName): Promise<string | undefined>;
  /** Makes `asOf` the answering date unless a newer one already is: whether it now answers. */
  advance(snapshot: SnapshotRef, at: Date): Promise<boolean>;
  /** The records stored under a subject in one snapshot. */
  recordsOf(snapshot: SnapshotRef, subject: string): Promise<Record<string, unknown>[]>;
  /** A file's import, if it was recorded. */
  importOf(importId: string): Promise<ImportReport | undefined>;
  /** Records a file's import once: false when one was recorded already (a concurrent run). */
  recordImport(importId: string, report: ImportReport): Promise<boolean>;
}

const batchSize = 25;
const parallelBatches = 4;
const reportSchema = z.object({
  report: z.custom<ImportReport>((value) => typeof value === 'object' && value !== null),
});
const currentSchema = z.object({ asOf: z.string() });

export function snapshotRepository(table: TableContext): SnapshotRepository {
  const { client, tableName } = table;

  async function writeBatch(requests: RawItem[]): Promise<void> {
    let pending = requests.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending.length; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 50 * 2 ** attempt)));
      const answer = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }));
      pending = (answer.UnprocessedItems?.[tableName] ?? []).flatMap((request) =>
        request.PutRequest?.Item ? [{ PutRequest: { Item: request.PutRequest.Item } }] : [],
      );
      if (attempt > 12 && pending.length) throw new Error(`${pending.length} snapshot records left unprocessed`);
    }
  }

  return {
    async putRecords(snapshot, records) {
      // One batch may not name a key twice: the last record of a key wins, as it would in sequence.
      const unique = new Map<string, RawItem>();
      for (const stored of records) {
        const pk = keys.snapshotRecords(snapshot.cityId, snapshot.source, snapshot.asOf, stored.subject);
        const sk = `${keys.snapshotRecordPrefix}${stored.id}`;
        unique.set(`${pk}\n${sk}`, toItem({ pk, sk, ...snapshot, record: stored.record }));
      }
      const items = [...unique.values()];
      const batches: RawItem[][] = [];
      for (let i = 0; i < items.length; i += batchSize) batches.push(items.slice(i, i + batchSize));
      for (let i = 0; i < batches.length; i += parallelBatches)
        await Promise.all(batches.slice(i, i + parallelBatches).map(writeBatch));
    },

    async currentAsOf(cityId, source) {
      const { Item } = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: toItem(keys.snapshotCurrent(cityId, source)),
          ConsistentRead: true,
        }),
      );
      if (!Item) return undefined;
      const parsed = currentSchema.safeParse(fromItem(Item));
      if (!parsed.success) throw new MalformedItemError(`snapshot pointer of ${cityId} ${source}`, parsed.error);
      return parsed.data.asOf;
    },

    async advance({ cityId, source, asOf }, at) {
      return conditionally(() =>
        client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: toItem(keys.snapshotCurrent(cityId, source)),
            UpdateExpression: 'SET asOf = :asOf, advancedAt = :at',
            // Only forward: a late file of an older date never takes the answer back.
            ConditionExpression: 'attribute_not_exists(asOf) OR asOf <= :asOf',
            ExpressionAttributeValues: toItem({ ':asOf': asOf, ':at': at.toISOString() }),
          }),
        ),
      );
    },

    async recordsOf({ cityId, source, asOf }, subject) {
      const items = await queryAll(table, {
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: toItem({ ':pk': keys.snapshotRecords(cityId, source, asOf, subject) }),
        ConsistentRead: true,
      });
      return items.map((item) => fromItem(item).record as Record<string, unknown>);
    },

    async importOf(importId) {
      const { Item } = await client.send(
        new GetItemCommand({ TableName: tableName, Key: toItem(keys.snapshotImport(importId)), ConsistentRead: true }),
      );
      if (!Item) return undefined;
      const parsed = reportSchema.safeParse(fromItem(Item));
      if (!parsed.success) throw new MalformedItemError(`snapshot import ${importId}`, parsed.error);
      return parsed.data.report;
    },

    async recordImport(importId, report) {
      return conditionally(() =>
        client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: toItem({ ...keys.snapshotImport(importId), report }),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
    },
  };
}
