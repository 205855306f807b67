/**
 * Inbox queries: what waits at one unit's stage, what was escalated to it, and how much is open
 * at each stage under it. All read the sparse indexes; none scans the table.
 */
import { type AttributeValue, QueryCommand } from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import type { Application, Stage } from '../domain/lifecycle.js';
import { MalformedItemError, storedApplicationSchema, unitPathPrefix } from './application-item.js';
import {
  fromItem,
  type Item,
  inboxAttributes,
  keys,
  queryCount,
  type TableContext,
  tableDesign,
  toItem,
} from './table.js';

/** An application as an inbox index holds it: what an inbox line shows, not the whole record. */
export type WaitingApplication = Pick<Application, (typeof inboxAttributes)[number]>;

const waitingApplicationSchema = z.pick(
  storedApplicationSchema,
  Object.fromEntries(inboxAttributes.map((name) => [name, true])) as { [K in (typeof inboxAttributes)[number]]: true },
);

/** An inbox line from an index item, parsed. */
function waitingApplicationOf(item: Item): WaitingApplication {
  const parsed = z.safeParse(waitingApplicationSchema, item);
  if (!parsed.success) throw new MalformedItemError(`inbox item ${String(item.pk)}`, parsed.error);
  return parsed.data;
}

export interface InboxQuery {
  stage: Stage;
  unitId: string;
  programme?: string;
  communityId?: string;
  limit: number;
  cursor?: string;
}

export interface InboxPage {
  items: WaitingApplication[];
  /** Opaque; absent on the last page. */
  nextCursor?: string;
}

/** A cursor that does not belong to this inbox: someone else's, or made up. */
export class InvalidCursorError extends Error {
  constructor() {
    super('the cursor does not belong to this inbox');
    this.name = 'InvalidCursorError';
  }
}

const stages: Stage[] = ['community', 'street', 'district', 'city'];

/** A key attribute as a cursor may carry it: a non-empty string DynamoDB accepts as a key. */
const keyValue = z.string().check(z.minLength(1), z.maxLength(1024));
const cursorSchema = z
  .record(z.string(), keyValue)
  .check(z.refine((cursor) => cursor.pk !== undefined && cursor.sk !== undefined, 'a cursor names pk and sk'));

export function inboxRepository(table: TableContext) {
  const { client, tableName } = table;
  const { inbox, escalations, stageBacklog } = tableDesign.indexes;

  /** Reads one index partition in order, with optional filters, until `limit` items are found. */
  async function readOrdered(
    index: (typeof tableDesign.indexes)[keyof typeof tableDesign.indexes],
    partition: string,
    query: Pick<InboxQuery, 'programme' | 'communityId' | 'limit' | 'cursor'>,
  ): Promise<InboxPage> {
    let startKey: Record<string, AttributeValue> | undefined;
    if (query.cursor) {
      let decoded: unknown;
      try {
        decoded = JSON.parse(Buffer.from(query.cursor, 'base64url').toString('utf8'));
      } catch {
        throw new InvalidCursorError();
      }
      // A cursor is the client's to send back: every key it names is checked before DynamoDB sees it.
      const cursor = z.safeParse(cursorSchema, decoded);
      const sortKey = cursor.success ? cursor.data[index.sortKey] : undefined;
      if (!cursor.success || cursor.data[index.partitionKey] !== partition || !sortKey) throw new InvalidCursorError();
      startKey = toItem({
        pk: cursor.data.pk,
        sk: cursor.data.sk,
        [index.partitionKey]: partition,
        [index.sortKey]: sortKey,
      });
    }
    const filters: string[] = [];
    const values: Record<string, string> = { ':partition': partition };
    if (query.programme) {
      filters.push('programme = :programme');
      values[':programme'] = query.programme;
    }
    if (query.communityId) {
      filters.push('communityId = :community');
      values[':community'] = query.communityId;
    }
    const items: WaitingApplication[] = [];
    let last: Record<string, unknown> | undefined;
    let more = true;
    while (items.length < query.limit && more) {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: index.indexName,
          KeyConditionExpression: `${index.partitionKey} = :partition`,
          FilterExpression: filters.length ? filters.join(' AND ') : undefined,
          ExpressionAttributeValues: toItem(values),
          ExclusiveStartKey: startKey,
          Limit: filters.length ? Math.max(query.limit * 4, 100) : query.limit - items.length,
        }),
      );
      for (const raw of page.Items ?? []) {
        if (items.length === query.limit) break;
        const item = fromItem(raw);
        items.push(waitingApplicationOf(item));
        last = item;
      }
      startKey = page.LastEvaluatedKey;
      more = startKey !== undefined;
    }
    // The cursor points at the last item returned, not at where DynamoDB stopped reading, so a
    // filtered page never skips items it read but did not return.
    const reachedEnd = !more && items.length < query.limit;
    const nextCursor =
      last && !reachedEnd
        ? Buffer.from(
            JSON.stringify({
              pk: last.pk,
              sk: last.sk,
              [index.partitionKey]: partition,
              [index.sortKey]: last[index.sortKey],
            }),
          ).toString('base64url')
        : undefined;
    return { items, nextCursor };
  }

  return {
    /** Oldest due first. */
    waitingAt(query: InboxQuery): Promise<InboxPage> {
      return readOrdered(inbox, keys.inbox(query.stage, query.unitId), query);
    },

    /** Overdue stages escalated to this unit, oldest due first. */
    escalatedTo(
      unitId: string,
      query: Pick<InboxQuery, 'programme' | 'communityId' | 'limit' | 'cursor'>,
    ): Promise<InboxPage> {
      return readOrdered(escalations, keys.escalations(unitId), query);
    },

    /** How many applications are open at each stage anywhere under the unit with this path. */
    async countsUnder(unitPath: readonly string[]): Promise<Record<Stage, number>> {
      const prefix = unitPathPrefix(unitPath);
      const counts = await Promise.all(
        stages.map(async (stage) => {
          const count = await queryCount(table, {
            IndexName: stageBacklog.indexName,
            KeyConditionExpression: `${stageBacklog.partitionKey} = :stage AND begins_with(${stageBacklog.sortKey}, :prefix)`,
            ExpressionAttributeValues: toItem({ ':stage': keys.stageBacklog(stage), ':prefix': prefix }),
          });
          return [stage, count] as const;
        }),
      );
      return Object.fromEntries(counts) as Record<Stage, number>;
    },
  };
}
export type InboxRepository = ReturnType<typeof inboxRepository>;
