/**
 * The verification module's keys in the single table (kept beside \`table-design.ts\`, which spreads
 * them into \`keys\`): suspicions, applications whose checks wait on data, and snapshot files.
 */
export const verificationKeys = {
  /**
   * A suspicion (疑点) lives in its city's verification partition: the auditors' queue is one
   * query, newest first, because its id starts with the time it was raised (`sus_<base36 ms>_…`).
   */
  suspicion: (cityId: string, id: string) => ({ pk: `VERIFICATION#${cityId}`, sk: `SUSPICION#${id}` }),
  verificationPartition: (cityId: string) => `VERIFICATION#${cityId}`,
  suspicionPrefix: 'SUSPICION#',
  /**
   * An application whose checks wait on data (a source down, data too old, or a re-check due
   * before a decision): one small partition the re-runner reads whole, every few minutes, and
   * empties as the checks are answered. Few items at a time, and only while a source is down.
   */
  pendingChecks: (cityId: string, applicationId: string) => ({
    pk: 'VERIFICATION#PENDING',
    sk: `${cityId}#${applicationId}`,
  }),
  pendingChecksPartition: 'VERIFICATION#PENDING',
  /** Snapshot files (verification): the as-of date answering for a city's source (moved only forward); a snapshot's records, a partition per subject (keyed hash, credit code); each file's import by the hash of its key and content. */
  snapshotCurrent: (cityId: string, source: string) => ({ pk: `SNAPSHOT#${cityId}#${source}`, sk: 'CURRENT' }),
  snapshotRecords: (cityId: string, source: string, asOf: string, subject: string) =>
    `SNAPSHOT#${cityId}#${source}#${asOf}#${subject}`,
  snapshotRecordPrefix: 'RECORD#',
  snapshotImport: (importId: string) => ({ pk: `SNAPSHOT_IMPORT#${importId}`, sk: 'META' }),
} as const;
