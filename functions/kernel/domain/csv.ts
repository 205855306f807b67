/**
 * The one CSV writer: every file the product hands out (throughput, scorecard, the published
 * full-employment list, the unit tree) is written here, so a cell is quoted and neutralised the
 * same way everywhere. Pure.
 *
 * Why neutralise: a spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and, in some,
 * a tab or carriage return first) as a formula, so a unit named `=HYPERLINK(...)` would become a
 * link or a command on a monitor's machine (OWASP, "CSV Injection"). Such a text cell is prefixed
 * with a single quote and quoted; numbers are written as numbers (`-5` stays a number), since only
 * text can carry a formula. Input refuses text that starts with `=` (`plainText` in
 * `free-text.ts`); this covers what was stored before, and the other triggers.
 */

/** A cell: text, a number, or empty. */
export type CsvCell = string | number | null | undefined;

/** What makes a spreadsheet read a cell as a formula. */
const formulaTrigger = /^[=+\-@\t\r]/;
/** What RFC 4180 requires a field to be quoted for. */
const needsQuotes = /[",\r\n]/;

/** One cell as written: numbers as they are, text neutralised when it could run, quoted when needed. */
export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const neutralised = formulaTrigger.test(value);
  const text = neutralised ? `'${value}` : value;
  return neutralised || needsQuotes.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The text a neutralised cell stood for (a file written by `csvOf` read back, as `PUT /units`
 * reads the file `GET /units?format=csv` gave): the single quote added before a formula trigger
 * is taken off again; any other text is as it was.
 */
export const csvCellText = (cell: string) =>
  cell.startsWith("'") && formulaTrigger.test(cell.slice(1)) ? cell.slice(1) : cell;

/**
 * Lines as CSV: CRLF line ends, a final CRLF, and by default a UTF-8 byte-order mark so Excel
 * opens the Chinese text intact (`bom: false` for a file meant to be edited and sent back).
 */
export function csvOf(lines: readonly (readonly CsvCell[])[], options: { bom?: boolean } = {}): string {
  const text = `${lines.map((line) => line.map(csvCell).join(',')).join('\r\n')}\r\n`;
  return options.bom === false ? text : `\uFEFF${text}`;
}
