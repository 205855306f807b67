/**
 * Inbox queries: what waits at one unit's stage, what was escalated to it, and how much is open
 * at each stage under it. All read the sparse indexes; none scans the table.
 */

import {
  type AttributeValue,
  ConditionalCheckFailedException,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import {
  InvalidCursorError,
  type PagingCursors,
  pagingCursorKey,
  pagingCursors,
} from '../../kernel/adapters/paging-cursor.js';
import type { Stage } from '../../kernel/domain/application-events.js';
import {
  communityListAttributes,
  fromItem,
  type Item,
  inboxAttributes,
  keys,
  MalformedItemError,
  queryCount,
  scanAll,
  type TableContext,
  tableDesign,
  toItem,
} from '../../kernel/store/table.js';
import type { Application } from '../domain/lifecycle.js';
import { communityListKeys, storedApplicationSchema, unitPathPrefix } from './application-item.js';
import { applicationPartitionPrefix } from './history-events.js';

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

/** An application as the community-applications index holds it: a line of a community's list. */
export type ListedApplication = Pick<Application, (typeof communityListAttributes)[number]>;

const listedApplicationSchema = z.pick(
  storedApplicationSchema,
  Object.fromEntries(communityListAttributes.map((name) => [name, true])) as {
    [K in (typeof communityListAttributes)[number]]: true;
  },
);

function listedApplicationOf(item: Item): ListedApplication {
  const parsed = z.safeParse(listedApplicationSchema, item);
  if (!parsed.success) throw new MalformedItemError(`community list item ${String(item.pk)}`, parsed.error);
  return parsed.data;
}

export interface CommunityListQuery {
  communityId: string;
  status?: Application['status'];
  programme?: string;
  /** A part of the applicant's name (as written, case and all). */
  nameContains?: string;
  limit: number;
  cursor?: string;
}

export interface InboxQuery {
  stage: Stage;
  unitId: string;
  programme?: string;
  communityId?: string;
  limit: number;
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  /** Opaque; absent on the last page. */
  nextCursor?: string;
}
export type InboxPage = Page<WaitingApplication>;

/** How one index partition is read: its filters, its order and how an item is parsed. */
interface Reading<T> {
  parse: (item: Item) => T;
  programme?: string;
  communityId?: string;
  status?: string;
  nameContains?: string;
  /** Newest (highest sort key) first. */
  descending?: boolean;
  limit: number;
  cursor?: string;
}

const stages: Stage[] = ['community', 'street', 'district', 'city'];

/** `cursors`: how paging cursors are sealed and opened (the production key by default). */
export function inboxRepository(table: TableContext, cursors: PagingCursors = pagingCursors(pagingCursorKey)) {
  const { client, tableName } = table;
  const { inbox, escalations, stageBacklog, communityApplications } = tableDesign.indexes;

  /** Reads one index partition in order, with optional filters, until `limit` items are found. */
  async function readOrdered<T>(
    index: (typeof tableDesign.indexes)[keyof typeof tableDesign.indexes],
    partition: string,
    query: Reading<T>,
  ): Promise<Page<T>> {
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
    const names: Record<string, string> = {};
    if (query.status) {
      filters.push('#status = :status');
      names['#status'] = 'status';
      values[':status'] = query.status;
    }
    if (query.nameContains) {
      filters.push('contains(applicant.#name, :name)');
      names['#name'] = 'name';
      values[':name'] = query.nameContains;
    }
    if (query.programme) {
      filters.push('programme = :programme');
      values[':programme'] = query.programme;
    }
    if (query.communityId) {
      filters.push('communityId = :community');
      values[':community'] = query.communityId;
    }
    const items: T[] = [];
    let last: Record<string, unknown> | undefined;
    let more = true;
    while (items.length < query.limit && more) {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: index.indexName,
          KeyConditionExpression: `${index.partitionKey} = :partition`,
          FilterExpression: filters.length ? filters.join(' AND ') : undefined,
          ExpressionAttributeNames: Object.keys(names).length ? names : undefined,
          ExpressionAttributeValues: toItem(values),
          ScanIndexForward: !query.descending,
          ExclusiveStartKey: startKey,
          Limit: filters.length ? Math.max(query.limit * 4, 100) : query.limit - items.length,
        }),
      );
      for (const raw of page.Items ?? []) {
        if (items.length === query.limit) break;
        const item = fromItem(raw);
        items.push(query.parse(item));
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
      return readOrdered(inbox, keys.inbox(query.stage, query.unitId), { ...query, parse: waitingApplicationOf });
    },

    /** Everything the community took in, open or final, newest first. */
    ofCommunity(query: CommunityListQuery): Promise<Page<ListedApplication>> {
      const { communityId, ...filters } = query;
      return readOrdered(communityApplications, keys.communityApplications(communityId), {
        ...filters,
        parse: listedApplicationOf,
        descending: true,
      });
    },

    /** Overdue stages escalated to this unit, oldest due first. */
    escalatedTo(
      unitId: string,
      query: Pick<InboxQuery, 'programme' | 'communityId' | 'limit' | 'cursor'>,
    ): Promise<InboxPage> {
      return readOrdered(escalations, keys.escalations(unitId), { ...query, parse: waitingApplicationOf });
    },

    /**
     * Puts applications stored before the community list existed into it (`npm run
     * lists:backfill`): a scan, never on a request path. Each write is conditional on the item
     * still lacking the keys, so a run beside live traffic or a second run changes nothing twice.
     * Answers how many were added.
     */
    async addMissingToCommunityLists(): Promise<number> {
      const missing = await scanAll(table, {
        FilterExpression: 'sk = :meta AND begins_with(pk, :app) AND attribute_not_exists(#listPk)',
        ExpressionAttributeNames: { '#listPk': communityApplications.partitionKey, '#id': 'id' },
        ExpressionAttributeValues: toItem({ ':meta': keys.application('').sk, ':app': applicationPartitionPrefix }),
        ProjectionExpression: 'pk, sk, #id, communityId, submittedAt',
      });
      let added = 0;
      for (const raw of missing) {
        const item = fromItem(raw) as { pk: string; sk: string; id: string; communityId: string; submittedAt: string };
        const listKeys = communityListKeys(item);
        try {
          await client.send(
            new UpdateItemCommand({
              TableName: tableName,
              Key: toItem({ pk: item.pk, sk: item.sk }),
              UpdateExpression: 'SET #listPk = :listPk, #listSk = :listSk',
              ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#listPk)',
              ExpressionAttributeNames: {
                '#listPk': communityApplications.partitionKey,
                '#listSk': communityApplications.sortKey,
              },
              ExpressionAttributeValues: toItem({
                ':listPk': listKeys[communityApplications.partitionKey],
                ':listSk': listKeys[communityApplications.sortKey],
              }),
            }),
          );
          added++;
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
      }
      return added;
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
