/**
 * Inbox queries: what waits at one unit's stage, what was escalated to it, and how much is open
 * at each stage under it. All read the sparse indexes; none scans the table.
 */
import { type AttributeValue, QueryCommand } from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import type { Application, Stage } from '../domain/lifecycle.js';
import { MalformedItemError, storedApplicationSchema, unitPathPrefix } from './application-item.js';
import { InvalidCursorError, type PagingCursors, pagingCursorKey, pagingCursors } from './paging-cursor.js';
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

const stages: Stage[] = ['community', 'street', 'district', 'city'];

/** `cursors`: how paging cursors are sealed and opened (the production key by default). */
export function inboxRepository(table: TableContext, cursors: PagingCursors = pagingCursors(pagingCursorKey)) {
  const { client, tableName } = table;
  const { inbox, escalations, stageBacklog } = tableDesign.indexes;

  /** Reads one index partition in order, with optional filters, until `limit` items are found. */
  async function readOrdered(
    index: (typeof tableDesign.indexes)[keyof typeof tableDesign.indexes],
    partition: string,
    query: Pick<InboxQuery, 'programme' | 'communityId' | 'limit' | 'cursor'>,
  ): Promise<InboxPage> {
    let startKey: Record<string, AttributeValue> | undefined;
    // A cursor is authenticated for this index partition: nothing in it reaches DynamoDB unchecked.
    const scope = `${index.indexName}|${partition}`;
    if (query.cursor) {
      const position = await cursors.open(scope, query.cursor);
      if (!position.pk || !position.sk || !position.at) throw new InvalidCursorError();
      startKey = toItem({
        pk: position.pk,
        sk: position.sk,
        [index.partitionKey]: partition,
        [index.sortKey]: position.at,
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
        ? await cursors.seal(scope, { pk: String(last.pk), sk: String(last.sk), at: String(last[index.sortKey]) })
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
