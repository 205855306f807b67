/** A table of this test file's own on the run's shared DynamoDB Local. */

import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import type { TableContext } from '../../functions/store/table.js';
import { unitRepository } from '../../functions/store/units.js';
import { seedDemoCity } from '../../local/demo-city.js';
import { ensureTable } from '../../local/table.js';

export async function freshTable(): Promise<TableContext> {
  const client = new DynamoDBClient({
    endpoint: inject('dynamoEndpoint'),
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const table = { client, tableName: `test-${randomUUID()}` };
  await ensureTable(client, table.tableName);
  await seedDemoCity(unitRepository(table));
  return table;
}
