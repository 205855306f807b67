/**
 * The exchange's snapshot bucket on one machine: a folder (SNAPSHOT_DIR, the data directory) whose
 * `exchange-snapshots/` holds the dropped files under the same keys as on S3. Every few seconds each
 * new or changed `.csv`/`.xlsx` there is offered to the importer, the same handler S3's ObjectCreated
 * invokes on AWS, as an S3 event; its report is written beside the file (`<name>.report.json`). A
 * file still being written (changed in the last second) waits for the next look. After a restart
 * every file is offered again and answered `already-imported`: the import is idempotent.
 */
import { readdir, stat, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { ImportOutcome } from '../functions/verification/index.js';

export type SnapshotFilesHandler = (event: {
  Records: { s3: { object: { key: string } } }[];
}) => Promise<ImportOutcome[]>;

export interface LocalSnapshotFiles {
  /** Offers every new or changed file now; answers what each import said. */
  scanNow(): Promise<ImportOutcome[]>;
  /** Where files are dropped: `<dir>/exchange-snapshots/<cityId>/<source>/<asOf>/<name>`. */
  dir: string;
  stop(): Promise<void>;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(
    entries.map((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)])),
  );
  return nested.flat();
}

export function startLocalSnapshotFiles(
  handler: SnapshotFilesHandler,
  root: string,
  intervalMs: number,
): LocalSnapshotFiles {
  const offered = new Map<string, string>();
  let scanning: Promise<ImportOutcome[]> = Promise.resolve([]);

  async function scan(): Promise<ImportOutcome[]> {
    const outcomes: ImportOutcome[] = [];
    for (const path of await filesUnder(join(root, 'exchange-snapshots'))) {
      if (!/\.(csv|xlsx)$/i.test(path)) continue;
      const { size, mtimeMs } = await stat(path);
      const version = `${size}:${mtimeMs}`;
      if (offered.get(path) === version || Date.now() - mtimeMs < 1_000) continue;
      const key = relative(root, path).split(sep).map(encodeURIComponent).join('/');
      const [outcome] = await handler({ Records: [{ s3: { object: { key } } }] });
      offered.set(path, version);
      if (!outcome) continue;
      outcomes.push(outcome);
      if (outcome.outcome !== 'already-imported')
        await writeFile(`${path}.report.json`, `${JSON.stringify(outcome, null, 2)}\n`);
      if (outcome.outcome !== 'already-imported')
        console.log(
          'report' in outcome
            ? `snapshot ${outcome.report.key}: ${outcome.outcome}, ${outcome.report.rowsKept} of ${outcome.report.rowsRead} rows kept${outcome.report.refusal ? ` (${outcome.report.refusal})` : ''}`
            : `snapshot ${outcome.key}: ignored (${outcome.reason})`,
        );
    }
    return outcomes;
  }

  const scanNow = () => {
    const run = scanning.then(scan);
    scanning = run.catch((error: unknown) => {
      console.error(`snapshot files: ${String(error)}`);
      return [];
    });
    return run;
  };
  const timer = intervalMs > 0 ? setInterval(() => void scanNow().catch(() => undefined), intervalMs) : undefined;
  timer?.unref();
  return {
    scanNow,
    dir: root,
    async stop() {
      clearInterval(timer);
      await scanning;
    },
  };
}
