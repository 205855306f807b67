/**
 * Where the provincial exchange drops its snapshot files and what a file's import reports. One file
 * is one source's records in one city as of one date, at
 * `exchange-snapshots/<cityId>/<source>/<asOf YYYY-MM-DD>/<name>.csv|.xlsx`; several files under one
 * as-of date are parts of the same snapshot.
 */
import { boundedDate } from '../../kernel/domain/bounds.js';
import { type SourceName, sourceNames } from './sources.js';

export const snapshotPrefix = 'exchange-snapshots/';

/**
 * What one file may be: a bigger one is refused before it is parsed. The unzipped bound stops a zip
 * bomb (an `.xlsx` is a zip) before a spreadsheet reader inflates it; the bad rows listed are
 * capped so that one broken export does not make a report larger than an item may be.
 */
export const snapshotLimits = {
  maxBytes: 50 * 1024 * 1024,
  maxRows: 1_000_000,
  maxUnzippedBytes: 512 * 1024 * 1024,
  maxZipEntries: 10_000,
  maxBadRowsListed: 1_000,
} as const;
export type SnapshotLimits = { [Limit in keyof typeof snapshotLimits]: number };

export type SnapshotFormat = 'csv' | 'xlsx';

export interface SnapshotFile {
  key: string;
  cityId: string;
  source: SourceName;
  asOf: string;
  name: string;
  format: SnapshotFormat;
}

/** A bad row (or a bad file, with no line): where, and what is wrong, in the file's own column name. */
export interface RowProblem {
  line?: number;
  column?: string;
  message: string;
}

export interface ImportReport {
  key: string;
  cityId?: string;
  source?: SourceName;
  asOf?: string;
  /** SHA-256 of the file's bytes (hex). */
  sha256: string;
  status: 'imported' | 'refused';
  /** Why the whole file was refused (nothing of it kept). */
  refusal?: string;
  rowsRead: number;
  rowsKept: number;
  badRowCount: number;
  /** The first `maxBadRowsListed` bad rows; `badRowCount` counts them all. */
  badRows: RowProblem[];
  /** Columns the file has that no field of its source takes. */
  ignoredColumns: string[];
  /** Whether this as-of date now answers for the city and source (false: a newer one was imported before). */
  current: boolean;
  importedAt: string;
}

/**
 * The file an object key names, or why it names none. The city may be written with or without its
 * `city:` prefix (a colon is awkward in some tools' folder names).
 */
export function snapshotFileOf(key: string): SnapshotFile | { problem: string } {
  if (!key.startsWith(snapshotPrefix)) return { problem: `not under ${snapshotPrefix}` };
  const parts = key.slice(snapshotPrefix.length).split('/');
  if (parts.length !== 4)
    return { problem: `expected ${snapshotPrefix}<cityId>/<source>/<asOf YYYY-MM-DD>/<name>.csv|.xlsx` };
  const [city, source, asOf, name] = parts as [string, string, string, string];
  if (parts.some((part) => part === '' || part === '.' || part === '..'))
    return { problem: 'a path segment is empty or relative' };
  if (!/^(city:)?[a-z0-9-]{1,64}$/.test(city)) return { problem: `"${city}" is not a city id` };
  if (!(sourceNames as readonly string[]).includes(source))
    return { problem: `"${source}" is not a source (${sourceNames.join(', ')})` };
  if (!boundedDate.safeParse(asOf).success) return { problem: `"${asOf}" is not an as-of date (YYYY-MM-DD)` };
  const format = /\.csv$/i.test(name) ? 'csv' : /\.xlsx$/i.test(name) ? 'xlsx' : undefined;
  if (!format) return { problem: `"${name}" is neither .csv nor .xlsx` };
  return {
    key,
    cityId: city.startsWith('city:') ? city : `city:${city}`,
    source: source as SourceName,
    asOf,
    name,
    format,
  };
}
