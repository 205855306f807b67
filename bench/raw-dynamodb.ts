/**
 * DynamoDB Local's own ceiling, measured in the same run as the workload: the mix of calls the
 * workload made (same operations, in the same proportions, about as many), issued by the same
 * number of concurrent clients against a scratch table, with nothing else in between. The
 * workload's throughput is then reported as a share of this, which holds from machine to machine
 * where absolute figures do not.
 */
import {
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { ensureTable } from '../local/table.js';
import { type LatencySummary, summarize } from './model.js';

export interface RawCeiling {
  calls: number;
  concurrency: number;
  seconds: number;
  callsPerSecond: number;
  byOperation: Record<string, number>;
  transactWriteLatency: LatencySummary;
}

const filler = 'x'.repeat(900);

/** Issues `total` calls in the proportions of `mix` (calls per operation name) with `c` clients. */
export async function measureRawCeiling(
  endpoint: string,
  mix: Record<string, number>,
  total: number,
  c: number,
): Promise<RawCeiling> {
  const client = new DynamoDBClient({ endpoint });
  const tableName = `raw-ceiling-${Date.now()}`;
  await ensureTable(client, tableName);
  const weights = Object.entries(mix).filter(([operation]) => operation !== 'ScanCommand');
  const sum = weights.reduce((s, [, count]) => s + count, 0);
  const plan: string[] = [];
  for (const [operation, count] of weights)
    for (let i = 0; i < Math.round((count / sum) * total); i++) plan.push(operation);
  // Spread, not grouped: a fixed shuffle so runs compare.
  for (let i = plan.length - 1, seed = 7; i > 0; i--) {
    seed = (seed * 16807) % 2147483647;
    const j = seed % (i + 1);
    [plan[i], plan[j]] = [plan[j]!, plan[i]!];
  }
  let written = 0;
  const key = (n: number) => ({ pk: { S: `RAW#${n % 4096}` }, sk: { S: `ITEM#${n}` } });
  const item = (n: number) => ({ ...key(n), type: { S: 'raw' }, body: { S: filler }, n: { N: String(n) } });
  // Something to read from the start.
  for (let n = 0; n < 64; n++) await client.send(new PutItemCommand({ TableName: tableName, Item: item(n) }));
  written = 64;
  // Items surely stored: reads and updates pick among these, never a key a transaction has reserved but not yet written
  // (an update's ADD would create it first, and the transaction's put would then be refused).
  const stored = Array.from({ length: 64 }, (_, n) => n);
  const transactSamples: number[] = [];
  const byOperation: Record<string, number> = {};
  const one = async (operation: string) => {
    byOperation[operation] = (byOperation[operation] ?? 0) + 1;
    const known = stored[Math.floor(Math.random() * stored.length)] as number;
    switch (operation) {
      case 'GetItemCommand':
        return client.send(new GetItemCommand({ TableName: tableName, Key: key(known) }));
      case 'QueryCommand':
        return client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': key(known).pk },
            Limit: 20,
          }),
        );
      case 'UpdateItemCommand':
        return client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: key(known),
            UpdateExpression: 'ADD counted :one',
            ExpressionAttributeValues: { ':one': { N: '1' } },
          }),
        );
      case 'TransactWriteItemsCommand': {
        const first = written;
        written += 3;
        const started = performance.now();
        await client.send(
          new TransactWriteItemsCommand({
            TransactItems: [0, 1, 2].map((i) => ({
              Put: { TableName: tableName, Item: item(first + i), ConditionExpression: 'attribute_not_exists(pk)' },
            })),
          }),
        );
        transactSamples.push(performance.now() - started);
        stored.push(first, first + 1, first + 2);
        return;
      }
      default: {
        const n = written++;
        await client.send(new PutItemCommand({ TableName: tableName, Item: item(n) }));
        stored.push(n);
        return;
      }
    }
  };
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: c }, async () => {
      for (let index = next++; index < plan.length; index = next++) await one(plan[index]!);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  client.destroy();
  return {
    calls: plan.length,
    concurrency: c,
    seconds,
    callsPerSecond: plan.length / seconds,
    byOperation,
    transactWriteLatency: summarize(transactSamples),
  };
}
