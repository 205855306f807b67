/**
 * `npm run ledger:rebuild`: recomputes the employment ledger's month counters from the ledger's
 * history events and replaces the stored ones, then says whether they had differed. Unlike the
 * throughput rebuild it is an offline repair: run it while nobody records ledger changes
 * (functions/store/employment-ledger.ts, `rebuildLedgerCounters`).
 *
 * Which table: as `npm run metrics:rebuild` (TABLE_NAME, or the `.data/` kept by `npm start`, stopped).
 */

import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  ledgerCountersFromEvents,
  rebuildLedgerCounters,
  storedLedgerCounters,
} from '../functions/store/employment-ledger.js';
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb-local.js';
import { repositoryRoot } from './runtime.js';
import { ensureTable } from './table.js';
import { localRegion } from './template.js';

let dynamo: DynamoDbLocal | undefined;
let client: DynamoDBClient;
const tableName = process.env.TABLE_NAME ?? 'employment-subsidy';
if (process.env.TABLE_NAME) {
  client = new DynamoDBClient({});
} else {
  const dataDir = process.env.SUBSIDY_DATA_DIR ?? join(repositoryRoot, '.data');
  dynamo = await startDynamoDbLocal({ dataDir: join(dataDir, 'dynamodb') });
  client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: localRegion,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureTable(client, tableName);
}
try {
  const table = { client, tableName };
  const started = Date.now();
  const same = isDeepStrictEqual(await storedLedgerCounters(table), await ledgerCountersFromEvents(table));
  const { items } = await rebuildLedgerCounters(table);
  console.log(
    `rebuilt ${items} ledger counter items of ${tableName} from the ledger's events in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
      (same ? 'they equalled the stored ones' : 'the stored ones had differed and were replaced'),
  );
} finally {
  client.destroy();
  await dynamo?.stop();
}
