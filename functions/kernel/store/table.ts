/**
 * The single table as the repositories use it: the client they share, item (un)marshalling and
 * the pager under every query and scan. Its key design is `table-design.ts`, re-exported here so a
 * repository imports the table from one place.
 */

import {
  type AttributeValue,
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  DescribeTableCommand,
  DynamoDBClient,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  type ScanCommandInput,
} from '@aws-sdk/client-dynamodb';
import { marshall, type NativeAttributeValue, unmarshall } from '@aws-sdk/util-dynamodb';
import type * as z from 'zod/mini';
import { environment } from '../runtime/environment.js';

export {
  communityListAttributes,
  deadlineDueShards,
  eventContextAttribute,
  inboxAttributes,
  keys,
  shardOf,
  tableDesign,
  waitingTaskShards,
} from './table-design.js';

export interface TableContext {
  client: DynamoDBClient;
  tableName: string;
}

let defaultContext: TableContext | undefined;

/** The production context: one client per container, the table named by TABLE_NAME. */
export function tableFromEnvironment(): TableContext {
  if (!defaultContext) {
    defaultContext = { client: new DynamoDBClient({}), tableName: environment('TABLE_NAME').TABLE_NAME };
  }
  return defaultContext;
}

export type Item = Record<string, NativeAttributeValue>;

export const toItem = (value: Item) =>
  marshall(value, { removeUndefinedValues: true, convertClassInstanceToMap: false });
export const fromItem = (item: Parameters<typeof unmarshall>[0]) => unmarshall(item) as Item;

/** A raw item as DynamoDB returns it; readers that only need a few numbers skip unmarshalling. */
export type RawItem = Record<string, AttributeValue>;

/** Reads page after page, each from where the last stopped, until DynamoDB says there is no more. */
async function everyPage<Page extends { LastEvaluatedKey?: RawItem }>(
  read: (cursor: RawItem | undefined) => Promise<Page>,
): Promise<Page[]> {
  const pages: Page[] = [];
  let cursor: RawItem | undefined;
  do {
    const page = await read(cursor);
    pages.push(page);
    cursor = page.LastEvaluatedKey;
  } while (cursor);
  return pages;
}

type PagedInput<Input> = Omit<Input, 'TableName' | 'ExclusiveStartKey'>;

/** Every item a query matches, page after page, raw. */
export async function queryAll(
  { client, tableName }: TableContext,
  input: PagedInput<QueryCommandInput>,
): Promise<RawItem[]> {
  const pages = await everyPage((cursor) =>
    client.send(new QueryCommand({ ...input, TableName: tableName, ExclusiveStartKey: cursor })),
  );
  return pages.flatMap((page) => page.Items ?? []);
}

/** How many items a query matches (`Select: COUNT`): page after page, no item read back. */
export async function queryCount(
  { client, tableName }: TableContext,
  input: PagedInput<Omit<QueryCommandInput, 'Select'>>,
): Promise<number> {
  const pages = await everyPage((cursor) =>
    client.send(new QueryCommand({ ...input, Select: 'COUNT', TableName: tableName, ExclusiveStartKey: cursor })),
  );
  return pages.reduce((count, page) => count + (page.Count ?? 0), 0);
}

/**
 * The items of these keys (strongly consistent), 100 to a call and again for any DynamoDB left
 * unprocessed; a key with no item is simply absent from the answer.
 */
export async function getAll(
  { client, tableName }: TableContext,
  itemKeys: readonly { pk: string; sk: string }[],
  projection?: string,
): Promise<RawItem[]> {
  const items: RawItem[] = [];
  for (let i = 0; i < itemKeys.length; i += 100) {
    let pending: RawItem[] | undefined = itemKeys.slice(i, i + 100).map((key) => toItem(key));
    while (pending?.length) {
      const answer: BatchGetItemCommandOutput = await client.send(
        new BatchGetItemCommand({
          RequestItems: {
            [tableName]: {
              Keys: pending,
              ConsistentRead: true,
              ...(projection ? { ProjectionExpression: projection } : {}),
            },
          },
        }),
      );
      items.push(...(answer.Responses?.[tableName] ?? []));
      pending = answer.UnprocessedKeys?.[tableName]?.Keys;
    }
  }
  return items;
}

/** Every item a scan matches, page after page, raw (rebuilds, restarts and the benchmark only: never on a request path). */
export async function scanAll(
  { client, tableName }: TableContext,
  input: PagedInput<ScanCommandInput>,
): Promise<RawItem[]> {
  const pages = await everyPage((cursor) =>
    client.send(new ScanCommand({ ...input, TableName: tableName, ExclusiveStartKey: cursor })),
  );
  return pages.flatMap((page) => page.Items ?? []);
}

/** True when the table answers; the health check uses it. */
export async function tableIsReachable({ client, tableName }: TableContext): Promise<boolean> {
  return client
    .send(new DescribeTableCommand({ TableName: tableName }))
    .then((answer) => answer.Table?.TableStatus === 'ACTIVE')
    .catch(() => false);
}

/** A stored item that is not what the store wrote: a fault of the data, never of a request. */
export class MalformedItemError extends Error {
  constructor(what: string, cause: z.core.$ZodError) {
    super(`${what} is malformed: ${cause.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`, {
      cause,
    });
    this.name = 'MalformedItemError';
  }
}
