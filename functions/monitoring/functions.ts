/** The monitoring functions, for the CDK stack and the local runtime (which runs the same modules in-process). */
export const monitoringFunctions = {
  aggregator: {
    entry: 'functions/monitoring/events/stream-aggregator.ts',
    name: 'ThroughputAggregator',
    table: { actions: ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem'] },
  },
  backlogProbe: {
    entry: 'functions/monitoring/scheduled/backlog-probe.ts',
    name: 'BacklogProbe',
    table: { actions: ['Query'], queries: ['stage-backlog'] },
  },
} as const;

// What the monitoring stack needs to know of the product: the namespace its metrics are published
// under, the stages it watches, and how early the holiday calendar alarm fires. Infra reads them
// from this manifest, never from the domain directly.
export { addNextCalendarHint, holidayCalendarWarningDays } from '../applications/index.js';
export { metricsNamespace } from '../kernel/runtime/metrics.js';
export { backlogStages } from './domain/throughput.js';
