/** Creates the product's table on a local DynamoDB the way the CDK stack declares it. */
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  type TableDescription,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { tableDesign } from '../functions/kernel/store/table.js';

type Index = (typeof tableDesign.indexes)[keyof typeof tableDesign.indexes];

const attributesOf = (index: Index) => [
  { AttributeName: index.partitionKey, AttributeType: 'S' as const },
  { AttributeName: index.sortKey, AttributeType: 'S' as const },
];

const indexDefinition = (index: Index) => ({
  IndexName: index.indexName,
  KeySchema: [
    { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
    { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
  ],
  Projection:
    index.projection === 'all'
      ? { ProjectionType: 'ALL' as const }
      : index.projection === 'keys'
        ? { ProjectionType: 'KEYS_ONLY' as const }
        : { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...index.projection] },
});

const streamSpecification = { StreamEnabled: true, StreamViewType: tableDesign.stream.viewType };

async function describe(client: DynamoDBClient, tableName: string): Promise<TableDescription> {
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesReady = (Table?.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE');
    if (Table && Table.TableStatus === 'ACTIVE' && indexesReady) return Table;
    await new Promise((wait) => setTimeout(wait, 50));
  }
}

/**
 * Creates the table, or brings one kept in `.data/` by an earlier version up to `tableDesign`:
 * indexes added since, and the stream (webhooks read history events from it). `stream: false` is
 * for test tables nothing reads a stream from: DynamoDB Local keeps every stream record of a run
 * (of dropped tables too) in one unindexed store, and each write and stream read then costs more.
 */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  { stream = true }: { stream?: boolean } = {},
): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: tableDesign.partitionKey, AttributeType: 'S' },
          { AttributeName: tableDesign.sortKey, AttributeType: 'S' },
          ...Object.values(tableDesign.indexes).flatMap(attributesOf),
        ],
        GlobalSecondaryIndexes: Object.values(tableDesign.indexes).map(indexDefinition),
        KeySchema: [
          { AttributeName: tableDesign.partitionKey, KeyType: 'HASH' },
          { AttributeName: tableDesign.sortKey, KeyType: 'RANGE' },
        ],
        ...(stream ? { StreamSpecification: streamSpecification } : {}),
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  let table = await describe(client, tableName);
  for (const index of Object.values(tableDesign.indexes)) {
    if (table.GlobalSecondaryIndexes?.some((existing) => existing.IndexName === index.indexName)) continue;
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: attributesOf(index),
        GlobalSecondaryIndexUpdates: [{ Create: indexDefinition(index) }],
      }),
    );
    table = await describe(client, tableName);
  }
  if (stream && !table.StreamSpecification?.StreamEnabled) {
    await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: streamSpecification }));
    await describe(client, tableName);
  }
}
