/**
 * A snapshot file's rows, read: which column holds which field of its source (a header in Chinese
 * or in English, as `npm run exchange -- put` names the fields), each cell's text normalised (是/否,
 * the registry's labels, dates written with slashes), then the row validated with zod. A row that
 * does not validate is reported by its line and the file's own column name, and skipped.
 */
import * as z from 'zod/mini';
import '../../kernel/domain/validation-messages.js';
import { boundedDate, boundedMonth } from '../../kernel/domain/bounds.js';
import { programmeIds } from '../../kernel/domain/programmes.js';
import { residentIdProblem } from '../../kernel/domain/resident-id.js';
import type { RowProblem } from './snapshot-layout.js';
import type { SourceName } from './sources.js';

type Kind = 'text' | 'idNumber' | 'code' | 'date' | 'month' | 'integer' | 'boolean' | 'kind' | 'status';
interface Column {
  /** Header names that mean this field, compared without case, spaces or full-width brackets. */
  names: readonly string[];
  kind: Kind;
  required: boolean;
}

const idNumber: Column = {
  names: ['idNumber', '身份证号', '身份证号码', '公民身份号码'],
  kind: 'idNumber',
  required: true,
};
const period = {
  idNumber,
  from: { names: ['from', '起始', '起始日期', '开始日期'], kind: 'date', required: true },
  to: { names: ['to', '截止', '截止日期', '结束日期'], kind: 'date', required: false },
} as const satisfies Record<string, Column>;

/** Each source's fields, as the exchange's JSON names them. */
export const snapshotColumns = {
  contributions: {
    idNumber,
    month: { names: ['month', '月份', '缴费月份'], kind: 'month', required: true },
    employerCreditCode: { names: ['employerCreditCode', '单位统一社会信用代码'], kind: 'code', required: false },
    baseFen: { names: ['baseFen', '缴费基数(分)', '缴费基数'], kind: 'integer', required: true },
    paid: { names: ['paid', '是否缴费'], kind: 'boolean', required: true },
  },
  entities: {
    creditCode: { names: ['creditCode', '统一社会信用代码'], kind: 'code', required: true },
    name: { names: ['name', '名称', '企业名称'], kind: 'text', required: true },
    kind: { names: ['kind', '类型', '主体类型'], kind: 'kind', required: true },
    status: { names: ['status', '状态', '登记状态'], kind: 'status', required: true },
    deregisteredOn: { names: ['deregisteredOn', '注销日期'], kind: 'date', required: false },
    legalRepresentativeIdNumber: {
      names: ['legalRepresentativeIdNumber', '法定代表人身份证号', '法定代表人身份证号码'],
      kind: 'idNumber',
      required: false,
    },
  },
  deaths: { idNumber, on: { names: ['on', '死亡日期'], kind: 'date', required: true } },
  imprisonments: period,
  pensions: { idNumber, from: { names: ['from', '起始', '起始月份'], kind: 'month', required: true } },
  unemploymentBenefits: period,
  publicPayroll: period,
  grantsElsewhere: {
    idNumber,
    cityId: { names: ['cityId', '城市'], kind: 'text', required: true },
    programme: { names: ['programme', '项目'], kind: 'text', required: true },
    start: { names: ['start', '起始月份'], kind: 'month', required: true },
    months: { names: ['months', '月数'], kind: 'integer', required: true },
  },
} as const satisfies Record<SourceName, Record<string, Column>>;

const residentId = z.string().check(
  z.refine((value) => residentIdProblem(value) === undefined, {
    message: 'is not a resident ID number (18 characters, the last a check digit)',
  }),
);
const code = z.string().check(z.minLength(1), z.maxLength(32));
const fen = z.number().check(z.int(), z.nonnegative());
const periodRow = z.object({ idNumber: residentId, from: boundedDate, to: z.optional(boundedDate) });

/** What a kept row is, per source: the exchange's JSON shape (see issue 27). */
export const snapshotRowSchemas = {
  contributions: z.object({
    idNumber: residentId,
    month: boundedMonth,
    employerCreditCode: z.optional(code),
    baseFen: fen,
    paid: z.boolean(),
  }),
  entities: z.object({
    creditCode: code,
    name: z.string().check(z.minLength(1), z.maxLength(200)),
    kind: z.enum(['enterprise', 'individual-business']),
    status: z.enum(['active', 'deregistered']),
    deregisteredOn: z.optional(boundedDate),
    legalRepresentativeIdNumber: z.optional(residentId),
  }),
  deaths: z.object({ idNumber: residentId, on: boundedDate }),
  imprisonments: periodRow,
  pensions: z.object({ idNumber: residentId, from: boundedMonth }),
  unemploymentBenefits: periodRow,
  publicPayroll: periodRow,
  grantsElsewhere: z.object({
    idNumber: residentId,
    cityId: z.string().check(z.regex(/^city:[a-z0-9-]{1,64}$/, 'must be a city id such as city:baoding')),
    programme: z.enum(programmeIds),
    start: boundedMonth,
    months: z.number().check(z.int(), z.minimum(1), z.maximum(600)),
  }),
} as const;
export type SnapshotRow<S extends SourceName> = z.infer<(typeof snapshotRowSchemas)[S]>;

const comparable = (header: string) =>
  header.normalize('NFKC').replace(/\s+/g, '').replace(/（/g, '(').replace(/）/g, ')').toLowerCase();

export interface HeaderPlan {
  source: SourceName;
  /** Field → the index of its column and the column's name as the file writes it. */
  fields: { field: string; index: number; label: string; kind: Kind }[];
  missing: string[];
  ignored: string[];
}

/** Which column is which field; `missing` names the required fields no column holds. */
export function headerPlan(source: SourceName, header: readonly string[]): HeaderPlan {
  const columns: Record<string, Column> = snapshotColumns[source];
  const fields: HeaderPlan['fields'] = [];
  const used = new Set<number>();
  for (const [field, column] of Object.entries(columns)) {
    const wanted = new Set(column.names.map(comparable));
    const index = header.findIndex((name, i) => !used.has(i) && wanted.has(comparable(name)));
    if (index < 0) continue;
    used.add(index);
    fields.push({ field, index, label: (header[index] as string).trim(), kind: column.kind });
  }
  const found = new Set(fields.map(({ field }) => field));
  return {
    source,
    fields,
    missing: Object.entries(columns)
      .filter(([field, column]) => column.required && !found.has(field))
      .map(([field, column]) => `${field} (${column.names.filter((n) => n !== field).join('/')})`),
    // Kept short: the list goes into the import's report, an item of bounded size.
    ignored: header
      .filter((name, i) => !used.has(i) && name.trim() !== '')
      .slice(0, 50)
      .map((name) => name.trim().slice(0, 64)),
  };
}

const yes = new Set(['是', 'true', 'yes', 'y', '1', '已缴费', '已缴']);
const no = new Set(['否', 'false', 'no', 'n', '0', '未缴费', '未缴']);
const kinds: Record<string, string> = {
  企业: 'enterprise',
  个体工商户: 'individual-business',
  个体: 'individual-business',
};
const statuses: Record<string, string> = { 存续: 'active', 在业: 'active', 开业: 'active', 注销: 'deregistered' };

/** A cell's text as its field's schema takes it; text that cannot be read is passed on for zod to name. */
function normalised(kind: Kind, text: string): unknown {
  switch (kind) {
    case 'idNumber':
    case 'code':
      return text.toUpperCase();
    case 'integer':
      return /^-?\d+(\.0+)?$/.test(text) ? Number(text) : text;
    case 'boolean': {
      const lower = text.toLowerCase();
      return yes.has(lower) ? true : no.has(lower) ? false : text;
    }
    case 'kind':
      return kinds[text] ?? text.toLowerCase();
    case 'status':
      return statuses[text] ?? text.toLowerCase();
    case 'date': {
      const found = /^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?$/.exec(text);
      return found ? `${found[1]}-${found[2]?.padStart(2, '0')}-${found[3]?.padStart(2, '0')}` : text;
    }
    case 'month': {
      // A spreadsheet turns "2026-05" into a date: its first day is the month.
      const found = /^(\d{4})[-/.年]?(\d{1,2})月?(?:[-/.]0?1)?$/.exec(text);
      return found ? `${found[1]}-${found[2]?.padStart(2, '0')}` : text;
    }
    default:
      return text;
  }
}

export type RowResult<S extends SourceName> = { row: SnapshotRow<S> } | { problems: RowProblem[] };

/** One row of cells (already text, trimmed or not) read by the plan and validated; `line` is the file's. */
export function parseSnapshotRow<S extends SourceName>(
  plan: HeaderPlan & { source: S },
  cells: readonly string[],
  line: number,
): RowResult<S> {
  const candidate: Record<string, unknown> = {};
  for (const { field, index, kind } of plan.fields) {
    const text = (cells[index] ?? '').trim();
    if (text !== '') candidate[field] = normalised(kind, text);
  }
  const parsed = z.safeParse(snapshotRowSchemas[plan.source], candidate);
  if (parsed.success) return { row: parsed.data as SnapshotRow<S> };
  const labelOf = (field: unknown) => plan.fields.find((f) => f.field === field)?.label ?? String(field);
  return {
    problems: parsed.error.issues.map((issue) => {
      const field = issue.path[0];
      const absent = field !== undefined && candidate[String(field)] === undefined;
      return { line, column: labelOf(field), message: absent ? 'is required' : issue.message };
    }),
  };
}
