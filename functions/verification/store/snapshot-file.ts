/**
 * A snapshot file's rows as text cells, whatever its format: CSV in UTF-8 (with or without a BOM)
 * or GBK (the exchange's older exports; taken as GB 18030, its superset), parsed by csv-parse; or
 * the first sheet of an `.xlsx`, read by exceljs's streaming reader once the zip is known not to
 * inflate past the limit. Rows are read lazily and may be read twice (a count first, then the rows),
 * so a refused file is refused before anything of it is written.
 */
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { SnapshotFormat } from '../domain/snapshot-layout.js';
import { checkZipBounds } from './zip-bounds.js';

export interface FileRow {
  /** The line (CSV) or row number (sheet) in the file, from 1. */
  line: number;
  cells: string[];
  /** Why the row could not be read at all (a broken quote): reported, not parsed. */
  unreadable?: string;
}

export type RowReader = () => AsyncIterable<FileRow>;

/** The file's text: UTF-8 when its bytes are valid UTF-8 (a BOM dropped), GB 18030 otherwise. */
export function decodedText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return iconv.decode(Buffer.from(bytes), 'gb18030');
  }
}

function csvRows(bytes: Uint8Array): RowReader {
  const text = decodedText(bytes);
  return async function* () {
    const skipped: FileRow[] = [];
    const parser = parse({
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
    });
    parser.on('skip', (error: { lines?: number; message: string }) =>
      skipped.push({ line: error.lines ?? 0, cells: [], unreadable: error.message }),
    );
    Readable.from([text]).pipe(parser);
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      // The parser may have skipped rows ahead of those it has handed over: each comes in its place.
      while (skipped.length && (skipped[0] as FileRow).line < info.lines) yield skipped.shift() as FileRow;
      yield { line: info.lines, cells: record };
    }
    yield* skipped.splice(0);
  };
}

type Cell = ExcelJS.CellValue;

/** A cell as the text a clerk sees: dates as YYYY-MM-DD, formulas by their result, rich text joined. */
export function cellText(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value !== 'object') return String(value);
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as { result?: Cell }).result);
  if ('text' in value) return String(value.text);
  return '';
}

function xlsxRows(bytes: Uint8Array): RowReader {
  return async function* () {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([Buffer.from(bytes)]), {
      worksheets: 'emit',
      sharedStrings: 'cache',
      hyperlinks: 'ignore',
      styles: 'cache',
      entries: 'ignore',
    });
    for await (const sheet of reader) {
      for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
        const values = Array.isArray(row.values) ? row.values.slice(1) : [];
        const cells = Array.from(values, (value) => cellText(value as Cell));
        if (cells.some((cell) => cell.trim() !== '')) yield { line: row.number, cells };
      }
      // One file is one source's records: the first sheet holds them.
      return;
    }
  };
}

/** The file's rows, or why it cannot be read (an `.xlsx` that is no zip, or would inflate too far). */
export async function rowsOf(format: SnapshotFormat, bytes: Uint8Array): Promise<RowReader | { refusal: string }> {
  if (format === 'csv') return csvRows(bytes);
  const problem = await checkZipBounds(bytes);
  return problem ? { refusal: problem } : xlsxRows(bytes);
}
