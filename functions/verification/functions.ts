/** The verification functions, for the CDK stack and the local runtime (which runs the same modules in-process). */
export const verificationFunctions = {
  /** A snapshot file dropped into the exchange-snapshots bucket → its records, imported once. */
  snapshotImport: {
    entry: 'functions/verification/events/snapshot-files.ts',
    name: 'SnapshotImport',
    table: { actions: ['GetItem', 'PutItem', 'UpdateItem', 'BatchWriteItem'] },
  },
} as const;

/** Where the exchange drops its files in the bucket: the importer is notified of these keys only. */
export { snapshotPrefix } from './domain/snapshot-layout.js';
