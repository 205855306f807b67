/**
 * `npm run metrics:rebuild`: recomputes every throughput counter from the history events into a
 * new generation of counters and switches to it (each event marked counted there, so the stream
 * adds nothing twice). Safe while applications are being decided: from the moment the new
 * generation is open the aggregator counts into it too, and the rebuild's consistent scan holds
 * every event stored before (functions/monitoring/store/metrics-rebuild.ts).
 *
 * Which table: with TABLE_NAME set, that table on the endpoint the AWS SDK is configured for
 * (AWS itself with your credentials, or AWS_ENDPOINT_URL_DYNAMODB); otherwise the table kept by
 * `npm start` in .data/ (or SUBSIDY_DATA_DIR), with `npm start` stopped (one DynamoDB Local per data folder).
 */

import { metricsRepository } from '../functions/monitoring/store/metrics.js';
import { openScriptTable } from './script-table.js';

const { table, close } = await openScriptTable();
const { client, tableName } = table;
try {
  const started = Date.now();
  const result = await metricsRepository({ client, tableName }).rebuild();
  console.log(
    `rebuilt the throughput counters of ${tableName} from ${result.events} history events ` +
      `(${result.counted} counted, ${result.counted - result.countedByRebuild} of them live meanwhile) into ` +
      `${result.items} counter items of generation ${result.generation} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
} finally {
  await close();
}
