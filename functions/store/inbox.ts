/**
 * Inbox queries: what waits at one unit's stage, what was escalated to it, and how much is open
 * at each stage under it. All read the sparse indexes; none scans the table.
 */
import { type AttributeValue, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { Application, Stage } from '../domain/lifecycle.js';
import { toApplication, unitPathPrefix } from './applications.js';
import { fromItem, type inboxAttributes, keys, queryCount, type TableContext, tableDesign, toItem } from './table.js';

/** An application as an inbox index holds it: what an inbox line shows, not the whole record. */
export type WaitingApplication = Pick<Application, (typeof inboxAttributes)[number]>;

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
      try {
        const decoded = JSON.parse(Buffer.from(query.cursor, 'base64url').toString('utf8')) as Record<string, string>;
        if (decoded[index.partitionKey] !== partition) throw new InvalidCursorError();
        startKey = toItem({
          pk: decoded.pk,
          sk: decoded.sk,
          [index.partitionKey]: partition,
          [index.sortKey]: decoded[index.sortKey],
        });
      } catch {
        throw new InvalidCursorError();
      }
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
        items.push(toApplication(item).application);
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
