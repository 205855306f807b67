/**
 * Monitoring: throughput as city staff watch it. It owns the counters kept from the history's
 * stream, the month and year reports (JSON and CSV) and the backlog probe's metrics and alarms.
 *
 * This file is the module's face: other modules import it, and only it.
 */

export { monitoringRoutes } from './http/routes.js';
export { batchWrite } from './store/counting.js';
export type { MetricsRepository } from './store/metrics.js';
export { metricsRepository } from './store/metrics.js';
