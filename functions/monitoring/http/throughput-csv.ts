/** GET /metrics/throughput.csv — the throughput rows as CSV (UTF-8 with BOM); see `throughput.ts`. */

import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { makeThroughputCsv, productionThroughputDependencies } from './throughput.js';

export const handler = builtOnFirstCall(() => makeThroughputCsv(productionThroughputDependencies()));
