/**
 * A city's unit tree as its administrator imports it (`PUT /units`): rows of `id, name, parent,
 * level`, as JSON or CSV, judged as a whole before anything is stored. One root (the city), each
 * level under the one before it (city → district → street → community), no cycle, no orphan, no id
 * twice, and every id of the version in force kept (applications, staff and counters name them:
 * a unit may be renamed or moved, never dropped). Pure: the store keeps the versions.
 */
import * as z from 'zod/mini';
import '../../kernel/domain/validation-messages.js';
import { csvCellText } from '../../kernel/domain/csv.js';
import type { FieldError } from '../../kernel/domain/errors.js';
import { notFormula } from '../../kernel/domain/free-text.js';
import { isUnitId, type Unit, type UnitLevel, unitLevel, unitLevels } from '../../kernel/domain/units.js';

/** One version of a city's tree as kept: its number, who made it and when, and its units. */
export interface UnitTreeVersion {
  cityId: string;
  version: number;
  at: string;
  by: string;
  units: Unit[];
}

export const unitRowSchema = z.object({
  id: z.string().check(z.refine(isUnitId, 'must be a unit id such as street:gexin')),
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(64), notFormula()),
  /** The unit above; empty (or absent) for the city itself. */
  parent: z.optional(z.nullable(z.string())),
  level: z.enum(unitLevels),
});
export type UnitRow = z.infer<typeof unitRowSchema>;

/** The JSON body: `{units: [{id, name, parent, level}]}`. */
export const unitTreeBodySchema = z.object({
  units: z.array(unitRowSchema).check(z.minLength(1), z.maxLength(20_000)),
});

export const unitCsvColumns = ['id', 'name', 'parent', 'level'] as const;

/** A row that could not be read, named by its line (1 is the header) and column (1-based). */
export interface CsvRowError extends FieldError {
  line: number;
  column: number;
}

/** Splits one CSV line (RFC 4180 quoting, no line breaks inside a field). */
function csvFields(line: string): string[] | undefined {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= line.length) return undefined;
        if (line[i] === '"' && line[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else value += line[i++];
      }
      fields.push(value);
      if (i < line.length && line[i] !== ',') return undefined;
    } else {
      const end = line.indexOf(',', i);
      fields.push((end === -1 ? line.slice(i) : line.slice(i, end)).trim());
      i = end === -1 ? line.length : end;
    }
    if (i >= line.length) return fields;
    i++; // the comma
  }
}

/**
 * Reads `id,name,parent,level` CSV (a header line first, a BOM tolerated, blank lines skipped).
 * Every bad cell is reported with its line and column; rows are returned only when all are good.
 */
export function parseUnitCsv(text: string): { rows: UnitRow[]; lines: number[] } | { errors: CsvRowError[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = csvFields(lines[0] ?? '')?.map((h) => h.toLowerCase());
  if (!header || unitCsvColumns.some((name, i) => header[i] !== name) || header.length !== unitCsvColumns.length)
    return {
      errors: [{ line: 1, column: 1, field: 'header', message: `the first line must be ${unitCsvColumns.join(',')}` }],
    };
  const rows: UnitRow[] = [];
  const lineOfRow: number[] = [];
  const errors: CsvRowError[] = [];
  lines.slice(1).forEach((text, index) => {
    const line = index + 2;
    if (!text.trim()) return;
    const cells = csvFields(text);
    if (!cells || cells.length !== unitCsvColumns.length) {
      const column = Math.min((cells?.length ?? 0) + 1, unitCsvColumns.length);
      errors.push({
        line,
        column,
        field: unitCsvColumns[column - 1] as string,
        message: `expected ${unitCsvColumns.length} columns (${unitCsvColumns.join(',')}), found ${cells?.length ?? 'an unclosed quote'}`,
      });
      return;
    }
    // A cell the export neutralised (`'-东区`) reads back as the text it stood for.
    const [id, name, parent, level] = cells.map(csvCellText) as [string, string, string, string];
    const parsed = unitRowSchema.safeParse({ id, name, parent: parent || null, level });
    if (parsed.success) {
      rows.push(parsed.data);
      lineOfRow.push(line);
    } else
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? 'id');
        errors.push({
          line,
          column: unitCsvColumns.indexOf(field as (typeof unitCsvColumns)[number]) + 1,
          field,
          message: issue.message,
        });
      }
  });
  if (errors.length) return { errors };
  if (!rows.length) return { errors: [{ line: 2, column: 1, field: 'id', message: 'the file lists no units' }] };
  return { rows, lines: lineOfRow };
}

/**
 * Judges a whole tree. `current` is the version in force (absent for a city's first import);
 * `cityId`, when given, is the only root allowed (an administrator imports their own city);
 * `lineOf` maps a row to its CSV line, so an error names line and column instead of `units.N.field`.
 */
export function validateUnitTree(
  rows: readonly UnitRow[],
  options: { cityId?: string; current?: readonly Unit[]; lineOf?: (index: number) => number } = {},
): { units: Unit[] } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const at = (index: number, field: keyof UnitRow, message: string) => {
    const line = options.lineOf?.(index);
    const cell: CsvRowError = { field, message, line: line ?? 0, column: unitCsvColumns.indexOf(field) + 1 };
    errors.push(line ? cell : { field: `units.${index}.${field}`, message });
  };
  const byId = new Map<string, { row: UnitRow; index: number }>();
  rows.forEach((row, index) => {
    if (byId.has(row.id)) at(index, 'id', `${row.id} appears twice`);
    else byId.set(row.id, { row, index });
    if (unitLevel(row.id) !== row.level) at(index, 'level', `${row.id} is a ${unitLevel(row.id)}, not a ${row.level}`);
  });
  const roots = rows.flatMap((row, index) => (row.parent ? [] : [{ row, index }]));
  if (roots.length !== 1)
    errors.push({ field: 'units', message: `a tree has exactly one root (the city); found ${roots.length}` });
  for (const { row, index } of roots) {
    if (row.level !== 'city') at(index, 'parent', `only the city has no parent; ${row.id} needs one`);
    if (options.cityId && row.id !== options.cityId) at(index, 'id', `the root must be ${options.cityId}`);
  }
  rows.forEach((row, index) => {
    if (!row.parent) return;
    const parent = byId.get(row.parent);
    if (!parent) {
      at(index, 'parent', `${row.parent} is not in the file (an orphan)`);
      return;
    }
    const expected = unitLevels[unitLevels.indexOf(row.level) - 1] as UnitLevel | undefined;
    if (parent.row.level !== expected)
      at(index, 'parent', `a ${row.level} sits under a ${expected ?? 'nothing'}, not under a ${parent.row.level}`);
  });
  for (const old of options.current ?? []) {
    if (!byId.has(old.id))
      errors.push({ field: 'units', message: `${old.id} (${old.name}) is missing: units may move, never go` });
  }
  if (errors.length) return { errors };

  // Levels strictly increase down every parent link, so no walk can cycle; paths follow directly.
  const paths = new Map<string, string[]>();
  const pathOf = (id: string): string[] => {
    const known = paths.get(id);
    if (known) return known;
    const row = (byId.get(id) as { row: UnitRow }).row;
    const path = row.parent ? [...pathOf(row.parent), id] : [id];
    paths.set(id, path);
    return path;
  };
  return { units: rows.map((row) => ({ id: row.id, name: row.name, path: pathOf(row.id) })) };
}

/** The rows a stored tree came from (for `GET /units` and CSV round trips). */
export function rowsOfUnits(units: readonly Unit[]): UnitRow[] {
  return units.map((u) => ({ id: u.id, name: u.name, parent: u.path.at(-2) ?? null, level: unitLevel(u.id) }));
}

/** What a new version changes: units added, renamed and moved (with their old and new parent). */
export function unitTreeChanges(before: readonly Unit[], after: readonly Unit[]) {
  const old = new Map(before.map((u) => [u.id, u]));
  const added: string[] = [];
  const renamed: { id: string; from: string; to: string }[] = [];
  const moved: { id: string; from: string | undefined; to: string | undefined }[] = [];
  for (const unit of after) {
    const prior = old.get(unit.id);
    if (!prior) added.push(unit.id);
    else {
      if (prior.name !== unit.name) renamed.push({ id: unit.id, from: prior.name, to: unit.name });
      if (prior.path.at(-2) !== unit.path.at(-2))
        moved.push({ id: unit.id, from: prior.path.at(-2), to: unit.path.at(-2) });
    }
  }
  return { added, renamed, moved };
}
