/** The verification functions, for the CDK stack and the local runtime (which runs the same modules in-process). */
export const verificationFunctions = {
  /** A snapshot file dropped into the exchange-snapshots bucket → its records, imported once. */
  snapshotImport: {
    entry: 'functions/verification/events/snapshot-files.ts',
    name: 'SnapshotImport',
    table: { actions: ['GetItem', 'PutItem', 'UpdateItem', 'BatchWriteItem'] },
  },
} as const;

// What the stack alarms on: the sources asked over HTTP and the metric their answers are counted
// under (published by `store/data-exchange.ts`).
export { metricsNamespace } from '../kernel/runtime/metrics.js';
/** Where the exchange drops its files in the bucket: the importer is notified of these keys only. */
export { snapshotPrefix } from './domain/snapshot-layout.js';
export { sourceNames as dataExchangeSources } from './domain/sources.js';

/** The metric each answer publishes per source (`store/data-exchange.ts`): 1 for a failure, 0 for an answer. */
export const dataExchangeFailedMetricName = 'DataExchangeFailed';
/** A source failing every answer for this many one-minute periods in a row raises the alarm. */
export const dataExchangeAlarmMinutes = 15;
