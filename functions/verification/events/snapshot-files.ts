/**
 * A snapshot file dropped into the exchange-snapshots bucket (S3 ObjectCreated; locally a file
 * dropped under `<dataDir>/exchange-snapshots/`, offered by `local/snapshot-files.ts`): each is
 * imported once (`snapshot-import.ts`). A refusal or a bad row is an answer, logged with its report;
 * only a fault (the table or the bucket not answering) throws, so that the invocation is retried.
 */
import type { S3Event } from 'aws-lambda';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { logger } from '../../kernel/runtime/logger.js';
import { secretValue } from '../../kernel/runtime/secrets.js';
import { tableFromEnvironment } from '../../kernel/store/table.js';
import { snapshotObjectsFromEnvironment } from '../store/snapshot-objects.js';
import { snapshotRepository } from '../store/snapshots.js';
import { type ImportOutcome, importSnapshotFile, type SnapshotImportDependencies } from './snapshot-import.js';

/** S3 writes keys in events URL-encoded, spaces as `+`. */
export const keyOfEvent = (encoded: string) => decodeURIComponent(encoded.replace(/\+/g, ' '));

export function makeSnapshotFiles(deps: SnapshotImportDependencies) {
  return async (event: Pick<S3Event, 'Records'>): Promise<ImportOutcome[]> => {
    const outcomes: ImportOutcome[] = [];
    for (const record of event.Records) {
      const outcome = await importSnapshotFile(deps, keyOfEvent(record.s3.object.key));
      const { report, ...rest } = 'report' in outcome ? outcome : { ...outcome, report: undefined };
      logger.info('snapshot file', {
        ...rest,
        ...(report && {
          key: report.key,
          status: report.status,
          refusal: report.refusal,
          rowsRead: report.rowsRead,
          rowsKept: report.rowsKept,
          badRowCount: report.badRowCount,
          current: report.current,
        }),
      });
      outcomes.push(outcome);
    }
    return outcomes;
  };
}

export const handler = builtOnFirstCall(async () =>
  makeSnapshotFiles({
    readObject: snapshotObjectsFromEnvironment(),
    snapshots: snapshotRepository(tableFromEnvironment()),
    residentIdSecret: await secretValue('residentIdKey'),
    now: () => new Date(),
  }),
);
