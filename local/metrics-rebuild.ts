/**
 * `npm run metrics:rebuild`: recomputes every throughput counter from the history events into a
 * new generation of counters and switches to it (each event marked counted there, so the stream
 * adds nothing twice). Safe while applications are being decided: from the moment the new
 * generation is open the aggregator counts into it too, and the rebuild's consistent scan holds
 * every event stored before (functions/store/metrics-rebuild.ts).
 *
 * Which table: with TABLE_NAME set, that table on the endpoint the AWS SDK is configured for
 * (AWS itself with your credentials, or AWS_ENDPOINT_URL_DYNAMODB); otherwise the table kept by
 * `npm start` in .data/ (or SUBSIDY_DATA_DIR), with `npm start` stopped (one DynamoDB Local per data folder).
 */

import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { metricsRepository } from '../functions/store/metrics.js';
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
  // As `npm start` does: a data folder it never ran on gets the empty table, and nothing to count.
  await ensureTable(client, tableName);
}
try {
  const started = Date.now();
  const result = await metricsRepository({ client, tableName }).rebuild();
  console.log(
    `rebuilt the throughput counters of ${tableName} from ${result.events} history events ` +
      `(${result.counted} counted, ${result.counted - result.countedByRebuild} of them live meanwhile) into ` +
      `${result.items} counter items of generation ${result.generation} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
} finally {
  client.destroy();
  await dynamo?.stop();
}
