/**
 * Imports one snapshot file, once whatever the retries:
 * 1. the key names the city, the source and the as-of date (or the file is ignored, and said so);
 * 2. a file over the size limit is refused before it is read;
 * 3. the import's id is the hash of the key and the file's content: one already recorded answers
 *    `already-imported` with its report, and nothing is written;
 * 4. the header is read (a required column missing refuses the file), the rows counted (too many
 *    refuses it), then each row validated: a bad one is reported by line and column and skipped,
 *    the good ones written with keys derived from their content;
 * 5. the snapshot's as-of date answers from now on, unless a newer one already does;
 * 6. only then is the import recorded, so a crash anywhere before re-runs to the same items.
 */
import { createHash } from 'node:crypto';
import {
  type ImportReport,
  type RowProblem,
  type SnapshotFile,
  type SnapshotLimits,
  snapshotFileOf,
  snapshotLimits,
} from '../domain/snapshot-layout.js';
import { type StoredRecord, storedRecordsOf } from '../domain/snapshot-records.js';
import { headerPlan, parseSnapshotRow } from '../domain/snapshot-rows.js';
import { type RowReader, rowsOf } from '../store/snapshot-file.js';
import type { ObjectReader } from '../store/snapshot-objects.js';
import type { SnapshotRepository } from '../store/snapshots.js';

export interface SnapshotImportDependencies {
  readObject: ObjectReader;
  snapshots: SnapshotRepository;
  /** The key of the keyed hash under which people are stored (never their number). */
  residentIdSecret: string;
  now: () => Date;
  limits?: Partial<SnapshotLimits>;
}

export type ImportOutcome =
  | { outcome: 'imported' | 'refused' | 'already-imported'; report: ImportReport }
  | { outcome: 'ignored'; key: string; reason: string };

/** Rows written per call of `putRecords`: bounded memory whatever the file's length. */
const writeChunk = 500;

const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

export async function importSnapshotFile(deps: SnapshotImportDependencies, key: string): Promise<ImportOutcome> {
  const limits = { ...snapshotLimits, ...deps.limits };
  const file = snapshotFileOf(key);
  if ('problem' in file) return { outcome: 'ignored', key, reason: file.problem };
  const object = await deps.readObject(key);
  const base = {
    key,
    cityId: file.cityId,
    source: file.source,
    asOf: file.asOf,
    rowsRead: 0,
    rowsKept: 0,
    badRowCount: 0,
    badRows: [] as RowProblem[],
    ignoredColumns: [] as string[],
    current: false,
  };
  const at = () => deps.now().toISOString();
  if (object.size > limits.maxBytes)
    return {
      outcome: 'refused',
      report: {
        ...base,
        sha256: '',
        status: 'refused',
        refusal: `the file is ${object.size} bytes, more than the ${limits.maxBytes} a snapshot file may be`,
        importedAt: at(),
      },
    };
  const bytes = await object.bytes();
  const digest = sha256(bytes);
  const importId = sha256(`${key}\n${digest}`);
  const recorded = await deps.snapshots.importOf(importId);
  if (recorded) return { outcome: 'already-imported', report: recorded };

  const report = await readAndWrite(deps, file, bytes, limits, { ...base, sha256: digest });
  if (!(await deps.snapshots.recordImport(importId, report)))
    return { outcome: 'already-imported', report: (await deps.snapshots.importOf(importId)) ?? report };
  return { outcome: report.status, report };
}

type Draft = Omit<ImportReport, 'status' | 'importedAt'>;

async function readAndWrite(
  deps: SnapshotImportDependencies,
  file: SnapshotFile,
  bytes: Uint8Array,
  limits: SnapshotLimits,
  draft: Draft,
): Promise<ImportReport> {
  const refuse = (refusal: string): ImportReport => ({
    ...draft,
    status: 'refused',
    refusal,
    importedAt: deps.now().toISOString(),
  });
  const rows = await rowsOf(file.format, bytes);
  if ('refusal' in rows) return refuse(rows.refusal);
  const counted = await countRows(rows, limits.maxRows);
  if (counted.rows > limits.maxRows) return refuse(`the file has more than ${limits.maxRows} rows`);
  if (!counted.header) return refuse('the file is empty: no header row');
  const plan = headerPlan(file.source, counted.header);
  if (plan.missing.length) return refuse(`required columns are missing: ${plan.missing.join('; ')}`);
  draft.ignoredColumns = plan.ignored;

  const snapshot = { cityId: file.cityId, source: file.source, asOf: file.asOf };
  // Each problem kept short (a parser's message may quote the row): the report is one item of bounded size.
  const listed = ({ line, column, message }: RowProblem): RowProblem => ({
    line,
    ...(column === undefined ? {} : { column: column.slice(0, 64) }),
    message: message.slice(0, 200),
  });
  const bad = (problems: RowProblem[]) => {
    draft.badRowCount++;
    const room = limits.maxBadRowsListed - draft.badRows.length;
    if (room > 0) draft.badRows.push(...problems.slice(0, room).map(listed));
  };
  let pending: StoredRecord[] = [];
  let header = true;
  for await (const row of rows()) {
    if (header && !row.unreadable) {
      header = false;
      continue;
    }
    draft.rowsRead++;
    if (row.unreadable) {
      bad([{ line: row.line, message: row.unreadable }]);
      continue;
    }
    const parsed = parseSnapshotRow(plan, row.cells, row.line);
    if ('problems' in parsed) {
      bad(parsed.problems);
      continue;
    }
    draft.rowsKept++;
    pending.push(...storedRecordsOf(file.source, parsed.row, deps.residentIdSecret));
    if (pending.length >= writeChunk) {
      await deps.snapshots.putRecords(snapshot, pending);
      pending = [];
    }
  }
  if (pending.length) await deps.snapshots.putRecords(snapshot, pending);
  // A file with no good row would make every person look clear: it is kept, never made current.
  draft.current = draft.rowsKept > 0 && (await deps.snapshots.advance(snapshot, deps.now()));
  return { ...draft, status: 'imported', importedAt: deps.now().toISOString() };
}

/** The header (the first row) and how many rows follow it, counting no further than past the limit. */
async function countRows(rows: RowReader, maxRows: number): Promise<{ header?: string[]; rows: number }> {
  let header: string[] | undefined;
  let count = 0;
  for await (const row of rows()) {
    if (!header && !row.unreadable) {
      header = row.cells;
      continue;
    }
    if (++count > maxRows) break;
  }
  return { header, rows: count };
}
