/**
 * The table a maintenance script works on (`npm run metrics:rebuild`, `ledger:rebuild`,
 * `lists:backfill`, `verify-history`): with TABLE_NAME set, that table wherever the AWS SDK points
 * (AWS with your credentials, or AWS_ENDPOINT_URL_DYNAMODB); otherwise the table kept by `npm start`
 * in .data/ (or SUBSIDY_DATA_DIR), on a DynamoDB Local of its own (so `npm start` must be stopped:
 * one per folder).
 */
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { TableContext } from '../functions/kernel/store/table.js';
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb-local.js';
import { repositoryRoot } from './entries.js';
import { ensureTable } from './table.js';
import { localRegion } from './template.js';

/** The data folder `npm start` keeps (its table, its keys), when no TABLE_NAME names another table. */
export function scriptDataDir(): string | undefined {
  if (process.env.TABLE_NAME) return undefined;
  return process.env.SUBSIDY_DATA_DIR ?? join(repositoryRoot, '.data');
}

export async function openScriptTable(): Promise<{ table: TableContext; close(): Promise<void> }> {
  let dynamo: DynamoDbLocal | undefined;
  let client: DynamoDBClient;
  const tableName = process.env.TABLE_NAME ?? 'employment-subsidy';
  const dataDir = scriptDataDir();
  if (!dataDir) {
    client = new DynamoDBClient({});
  } else {
    dynamo = await startDynamoDbLocal({ dataDir: join(dataDir, 'dynamodb') });
    client = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: localRegion,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    // As `npm start` does: a data folder it never ran on gets the empty table, and nothing to count.
    await ensureTable(client, tableName);
  }
  return {
    table: { client, tableName },
    async close() {
      client.destroy();
      await dynamo?.stop();
    },
  };
}
