/**
 * The local data exchange's records: what the offices behind each source hold about made-up
 * people and firms, in the shape `npm run exchange -- put FILE.json` sends (each list optional),
 * kept as one JSON file under the data directory. Every answer is dated by the day the record set
 * last changed (`changedOn`): that is what an exchange's as-of date means.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as z from 'zod/mini';
import { boundedDate, boundedMonth } from '../functions/kernel/domain/bounds.js';
import { programmeIds } from '../functions/kernel/domain/programmes.js';
import {
  creditCode,
  type EntityQuery,
  type PersonQuery,
  residentIdNumber,
} from '../functions/verification/domain/exchange-queries.js';
import type { WireAnswerOf } from '../functions/verification/domain/exchange-wire.js';
import type { SourceName } from '../functions/verification/domain/sources.js';

const period = { idNumber: residentIdNumber, from: boundedDate, to: z.optional(boundedDate) };
const text = z.string().check(z.minLength(1), z.maxLength(200));

/** What `POST /v1/records` takes: each list optional, each record checked (ID check digits, credit-code check characters). */
export const recordsSchema = z.strictObject({
  contributions: z.optional(
    z.array(
      z.object({
        idNumber: residentIdNumber,
        month: boundedMonth,
        employerCreditCode: z.optional(creditCode),
        baseFen: z.number().check(z.int(), z.nonnegative()),
        paid: z.boolean(),
      }),
    ),
  ),
  entities: z.optional(
    z.array(
      z.object({
        creditCode,
        name: text,
        kind: z.enum(['enterprise', 'individual-business']),
        status: z.enum(['active', 'deregistered']),
        deregisteredOn: z.optional(boundedDate),
        legalRepresentativeIdNumber: z.optional(residentIdNumber),
      }),
    ),
  ),
  deaths: z.optional(z.array(z.object({ idNumber: residentIdNumber, on: boundedDate }))),
  imprisonments: z.optional(z.array(z.object(period))),
  pensions: z.optional(z.array(z.object({ idNumber: residentIdNumber, from: boundedMonth }))),
  unemploymentBenefits: z.optional(z.array(z.object(period))),
  publicPayroll: z.optional(z.array(z.object(period))),
  grantsElsewhere: z.optional(
    z.array(
      z.object({
        idNumber: residentIdNumber,
        cityId: z.string().check(z.startsWith('city:'), z.maxLength(69)),
        programme: z.enum(programmeIds),
        start: boundedMonth,
        months: z.number().check(z.int(), z.minimum(1), z.maximum(600)),
      }),
    ),
  ),
});
export type Records = z.infer<typeof recordsSchema>;
type Lists = { [K in keyof Records]-?: NonNullable<Records[K]> };
type ListName = keyof Lists;

/** The record set as kept: every list, and the day it last changed. */
export interface RecordSet extends Lists {
  changedOn: string;
}

const listNames: ListName[] = [
  'contributions',
  'entities',
  'deaths',
  'imprisonments',
  'pensions',
  'unemploymentBenefits',
  'publicPayroll',
  'grantsElsewhere',
];

export const emptyRecordSet = (changedOn: string): RecordSet => ({
  changedOn,
  ...(Object.fromEntries(listNames.map((name) => [name, []])) as unknown as Lists),
});

/** What makes two records the same record: a record put again with the same key replaces the one kept. */
const keyOf: { [K in ListName]: (record: Lists[K][number]) => string } = {
  contributions: (r) => `${r.idNumber}|${r.month}|${r.employerCreditCode ?? ''}`,
  entities: (r) => r.creditCode,
  deaths: (r) => r.idNumber,
  imprisonments: (r) => `${r.idNumber}|${r.from}`,
  pensions: (r) => r.idNumber,
  unemploymentBenefits: (r) => `${r.idNumber}|${r.from}`,
  publicPayroll: (r) => `${r.idNumber}|${r.from}`,
  grantsElsewhere: (r) => `${r.idNumber}|${r.cityId}|${r.programme}|${r.start}`,
};

export type MergeCounts = Partial<Record<ListName, { added: number; replaced: number }>>;

/** The set with `records` merged in (each replacing a kept one with the same key), and what was added or replaced. */
export function mergeRecords(set: RecordSet, records: Records, on: string): { set: RecordSet; counts: MergeCounts } {
  const next: RecordSet = { ...set };
  const counts: MergeCounts = {};
  for (const name of listNames) {
    const incoming = records[name];
    if (!incoming?.length) continue;
    const key = keyOf[name] as (record: unknown) => string;
    const kept = new Map<string, unknown>(set[name].map((record) => [key(record), record]));
    let replaced = 0;
    for (const record of incoming) {
      if (kept.has(key(record))) replaced++;
      kept.set(key(record), record);
    }
    (next[name] as unknown[]) = [...kept.values()];
    counts[name] = { added: incoming.length - replaced, replaced };
  }
  return { set: Object.keys(counts).length ? { ...next, changedOn: on } : set, counts };
}

const periodsOf = (records: { idNumber: string; from: string; to?: string | undefined }[], idNumber: string) =>
  records
    .filter((r) => r.idNumber === idNumber)
    .map(({ from, to }) => (to ? { from, to } : { from }))
    .sort((a, b) => a.from.localeCompare(b.from));

/** The answer a source gives, as it goes on the wire (firms naming their legal representative in clear). */
export function answerFrom(
  set: RecordSet,
  source: SourceName,
  query: PersonQuery | EntityQuery,
): WireAnswerOf<SourceName> {
  const asOf = set.changedOn;
  if (source === 'entities') {
    const { creditCode: code, legalRepresentativeIdNumber: person } = query as EntityQuery;
    const entities = set.entities
      .filter((e) => (code !== undefined ? e.creditCode === code : e.legalRepresentativeIdNumber === person))
      .map((e) => ({
        creditCode: e.creditCode,
        name: e.name,
        kind: e.kind,
        status: e.status,
        ...(e.deregisteredOn ? { deregisteredOn: e.deregisteredOn } : {}),
        ...(e.legalRepresentativeIdNumber ? { legalRepresentativeIdNumber: e.legalRepresentativeIdNumber } : {}),
      }));
    return { asOf, entities };
  }
  const { idNumber, months } = query as PersonQuery;
  switch (source) {
    case 'contributions':
      return {
        asOf,
        records: set.contributions
          .filter((r) => r.idNumber === idNumber && (!months || (r.month >= months.from && r.month <= months.to)))
          .map(({ idNumber: _, ...record }) => record)
          .sort((a, b) => a.month.localeCompare(b.month)),
      };
    case 'deaths': {
      const died = set.deaths.find((r) => r.idNumber === idNumber);
      return died ? { asOf, died: { on: died.on } } : { asOf };
    }
    case 'pensions': {
      const pension = set.pensions.find((r) => r.idNumber === idNumber);
      return pension ? { asOf, from: pension.from } : { asOf };
    }
    case 'imprisonments':
    case 'unemploymentBenefits':
    case 'publicPayroll':
      return { asOf, periods: periodsOf(set[source], idNumber) };
    case 'grantsElsewhere':
      return {
        asOf,
        grants: set.grantsElsewhere.filter((g) => g.idNumber === idNumber).map(({ idNumber: _, ...grant }) => grant),
      };
  }
}

/** The record set kept in `file` (undefined when there is none yet). */
export function loadRecordSet(file: string): RecordSet | undefined {
  if (!existsSync(file)) return undefined;
  const kept = JSON.parse(readFileSync(file, 'utf8')) as RecordSet;
  return { ...emptyRecordSet(kept.changedOn), ...kept };
}

/** Writes the set whole, through a temporary file, so a stop half-way leaves the last complete set. */
export function saveRecordSet(file: string, set: RecordSet): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, `${JSON.stringify(set, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}
