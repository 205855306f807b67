/** GET /metrics/throughput.csv — the throughput rows as CSV (UTF-8 with BOM); see `throughput.ts`. */
import { onFirstRequest } from './http.js';
import { makeThroughputCsv, productionThroughputDependencies } from './throughput.js';

export const handler = onFirstRequest(() => makeThroughputCsv(productionThroughputDependencies()));
