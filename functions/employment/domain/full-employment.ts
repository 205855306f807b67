/**
 * The full-employment scorecard and the annual evaluation of communities (充分就业社区), from the
 * ledger's counters and households. Pure: the store reads a unit's month rows (flows of each month,
 * stock changes that summed from the first month give the stock at a month's end) and the
 * households; this module turns them into the figures a monitor reads and the standing a
 * community earns, each criterion with the figures it was judged on.
 */
import * as z from 'zod/mini';
import '../../kernel/domain/validation-messages.js';
import type { FullEmploymentCriteria } from '../../kernel/domain/policy.js';
import type { ProgrammeId } from '../../kernel/domain/programmes.js';
import type { Household } from './employment-ledger.js';
import {
  addLedgerCounters,
  daysBetween,
  emptyLedgerCounters,
  type LedgerCounters,
  recordedLaterThan,
} from './ledger-counters.js';

/** A year (`2026`) or a month (`2026-03`). */
export const periodSchema = z
  .string()
  .check(z.regex(/^\d{4}(-(0[1-9]|1[0-2]))?$/, 'must be a year (2026) or a month (2026-03)'));

export const scorecardQuerySchema = z.object({
  period: periodSchema,
  unit: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
});
export type ScorecardQuery = z.infer<typeof scorecardQuerySchema>;

export const yearSchema = z.string().check(z.maxLength(4), z.regex(/^\d{4}$/, 'must be a year such as 2026'));

/** The first and last month of a period. */
export function monthsOf(period: string): { from: string; to: string } {
  return period.length === 4 ? { from: `${period}-01`, to: `${period}-12` } : { from: period, to: period };
}

/** The last day of a period (month or year). */
export function lastDayOf(period: string): string {
  const { to } = monthsOf(period);
  const [y, m] = to.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** The counters of the months in [from, to], summed. */
export function sumMonths(rows: ReadonlyMap<string, LedgerCounters>, from: string, to: string): LedgerCounters {
  const sum = emptyLedgerCounters();
  for (const [month, counters] of rows) if (month >= from && month <= to) addLedgerCounters(sum, counters);
  return sum;
}

export interface GrantedFigures {
  count: number;
  fen: number;
}

export interface OpenFamily {
  householdId: string;
  since: string;
  daysOpen: number;
}

export interface Scorecard {
  unit: string;
  unitName?: string;
  period: string;
  /** The day the stocks are taken: the period's last day, or today while it runs. */
  asOf: string;
  registeredUnemployed: number;
  employed: number;
  registeredInPeriod: number;
  reemployedInPeriod: number;
  /** Of the ledger's people in the labour force at `asOf`, the share in work; null when there is nobody. */
  rate: number | null;
  targetRate: number;
  meetsTarget: boolean;
  zeroEmployment: { found: number; resolved: number; open: number; openFamilies: OpenFamily[] };
  subsidies: Partial<Record<ProgrammeId, GrantedFigures>>;
  children?: Scorecard[];
}

const rateOf = (employed: number, unemployed: number) =>
  employed + unemployed === 0 ? null : Math.round((employed / (employed + unemployed)) * 10_000) / 10_000;

/**
 * One unit's scorecard for a period: flows summed over the period's months, stocks over every
 * month up to its end. `households` are the unit's open zero-employment families now (days open
 * are counted to `asOf`).
 */
export function scorecardOf(input: {
  unit: string;
  unitName?: string;
  period: string;
  today: string;
  rows: ReadonlyMap<string, LedgerCounters>;
  /** The unit's households (their zero-employment episodes): the families open at `asOf`, with days open. */
  households: readonly Pick<Household, 'id' | 'episodes'>[];
  subsidies: Partial<Record<ProgrammeId, GrantedFigures>>;
  targetRate: number;
}): Scorecard {
  const { from, to } = monthsOf(input.period);
  const last = lastDayOf(input.period);
  const asOf = last < input.today ? last : input.today;
  const flows = sumMonths(input.rows, from, to);
  const stocks = sumMonths(input.rows, '0000-00', to);
  const registeredUnemployed = stocks.unemployedStock ?? 0;
  const employed = stocks.employedStock ?? 0;
  const rate = rateOf(employed, registeredUnemployed);
  const openFamilies = input.households
    .flatMap((h) =>
      h.episodes
        .filter((e) => e.from <= asOf && (e.to === undefined || e.to > asOf))
        .map((e) => ({ householdId: h.id, since: e.from, daysOpen: daysBetween(e.from, asOf) })),
    )
    .sort((a, b) => b.daysOpen - a.daysOpen);
  return {
    unit: input.unit,
    ...(input.unitName ? { unitName: input.unitName } : {}),
    period: input.period,
    asOf,
    registeredUnemployed,
    employed,
    registeredInPeriod: flows.registered ?? 0,
    reemployedInPeriod: flows.reemployed ?? 0,
    rate,
    targetRate: input.targetRate,
    meetsTarget: rate !== null && rate >= input.targetRate,
    zeroEmployment: {
      found: flows.zeroFound ?? 0,
      resolved: flows.zeroResolved ?? 0,
      open: (stocks.zeroFound ?? 0) - (stocks.zeroResolved ?? 0),
      openFamilies,
    },
    subsidies: input.subsidies,
  };
}

// ── the annual evaluation ──────────────────────────────────────────────────────────────

export type CriterionResult =
  | {
      criterion: 'employment-rate';
      passed: boolean;
      figures: { rate: number | null; targetRate: number; employed: number; registeredUnemployed: number };
      reason: string;
    }
  | {
      criterion: 'zero-employment-families';
      passed: boolean;
      figures: { longestOpenDays: number; maxOpenDays: number; familiesOverLimit: string[] };
      reason: string;
    }
  | {
      criterion: 'ledger-timeliness';
      passed: boolean;
      figures: { recorded: number; recordedLate: number; withinDays: number };
      reason: string;
    };

export interface CommunityStanding {
  communityId: string;
  communityName?: string;
  fullEmployment: boolean;
  criteria: CriterionResult[];
}

/** A city's annual evaluation: computed (again, while it waits), then approved once and published. */
export interface Evaluation {
  cityId: string;
  year: string;
  status: 'computed' | 'approved';
  version: number;
  asOf: string;
  criteria: FullEmploymentCriteria;
  standings: CommunityStanding[];
  computedAt: string;
  computedBy: string;
  approvedAt?: string;
  approvedBy?: string;
}

const percent = (rate: number) => `${Math.round(rate * 1000) / 10} %`;

/**
 * A community's standing for `year`: every criterion of the city's policy, passed or failed, with
 * its figures. `asOf` is the year's last day, or today while the year runs. A family's episode
 * counts where it overlaps the year; an open one runs to `asOf`.
 */
export function standingOf(input: {
  communityId: string;
  communityName?: string;
  year: string;
  asOf: string;
  rows: ReadonlyMap<string, LedgerCounters>;
  households: readonly Pick<Household, 'id' | 'episodes'>[];
  criteria: FullEmploymentCriteria;
}): CommunityStanding {
  const { criteria, year, asOf } = input;
  const stocks = sumMonths(input.rows, '0000-00', `${year}-12`);
  const flows = sumMonths(input.rows, `${year}-01`, `${year}-12`);
  const employed = stocks.employedStock ?? 0;
  const registeredUnemployed = stocks.unemployedStock ?? 0;
  const rate = rateOf(employed, registeredUnemployed);
  const ratePassed = rate !== null && rate >= criteria.targetRate;

  const yearStart = `${year}-01-01`;
  const lengths = input.households.flatMap((h) =>
    h.episodes
      .filter((e) => e.from <= asOf && (e.to ?? asOf) >= yearStart)
      .map((e) => ({ id: h.id, days: daysBetween(e.from, e.to && e.to < asOf ? e.to : asOf) })),
  );
  const longestOpenDays = Math.max(0, ...lengths.map((l) => l.days));
  const over = [...new Set(lengths.filter((l) => l.days > criteria.maxZeroEmploymentOpenDays).map((l) => l.id))];

  const recorded = flows.recorded ?? 0;
  const recordedLate = recordedLaterThan(flows, criteria.ledgerUpdatedWithinDays);

  const criteriaResults: CriterionResult[] = [
    {
      criterion: 'employment-rate',
      passed: ratePassed,
      figures: { rate, targetRate: criteria.targetRate, employed, registeredUnemployed },
      reason:
        rate === null
          ? 'the ledger holds nobody in the labour force: there is nothing to judge the rate on'
          : `${percent(rate)} of the ledger's people in the labour force are in work; the target is ${percent(criteria.targetRate)}`,
    },
    {
      criterion: 'zero-employment-families',
      passed: over.length === 0,
      figures: { longestOpenDays, maxOpenDays: criteria.maxZeroEmploymentOpenDays, familiesOverLimit: over },
      reason:
        over.length === 0
          ? `no zero-employment family stayed open longer than ${criteria.maxZeroEmploymentOpenDays} days (longest ${longestOpenDays})`
          : `${over.length} zero-employment ${over.length === 1 ? 'family' : 'families'} stayed open longer than ${criteria.maxZeroEmploymentOpenDays} days (longest ${longestOpenDays})`,
    },
    {
      criterion: 'ledger-timeliness',
      passed: recordedLate === 0,
      figures: { recorded, recordedLate, withinDays: criteria.ledgerUpdatedWithinDays },
      reason: `${recordedLate} of ${recorded} changes the community recorded in ${year} were recorded more than ${criteria.ledgerUpdatedWithinDays} days after they took effect`,
    },
  ];
  return {
    communityId: input.communityId,
    ...(input.communityName ? { communityName: input.communityName } : {}),
    fullEmployment: criteriaResults.every((c) => c.passed),
    criteria: criteriaResults,
  };
}

// ── CSV ────────────────────────────────────────────────────────────────────────────────

const cell = (value: string | number | null) => {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};
/** Lines as CSV for Excel: UTF-8 with a byte-order mark, CRLF line ends (as the throughput CSV). */
export const csvOf = (lines: (string | number | null)[][]) =>
  `\uFEFF${lines.map((line) => line.map(cell).join(',')).join('\r\n')}\r\n`;

/** The scorecard (and its children) as CSV rows with Chinese headers. */
export function scorecardCsv(card: Scorecard, programmes: readonly ProgrammeId[]): string {
  const header = [
    '期间',
    '单位代码',
    '单位名称',
    '登记失业人员',
    '已就业',
    '本期登记',
    '本期再就业',
    '就业率',
    '目标',
    '达标',
    '零就业家庭新发现',
    '零就业家庭已消除',
    '零就业家庭未消除',
    ...programmes.flatMap((p) => [`补贴笔数 ${p}`, `补贴金额(分) ${p}`]),
  ];
  const line = (c: Scorecard) => [
    c.period,
    c.unit,
    c.unitName ?? '',
    c.registeredUnemployed,
    c.employed,
    c.registeredInPeriod,
    c.reemployedInPeriod,
    c.rate,
    c.targetRate,
    c.meetsTarget ? '是' : '否',
    c.zeroEmployment.found,
    c.zeroEmployment.resolved,
    c.zeroEmployment.open,
    ...programmes.flatMap((p) => [c.subsidies[p]?.count ?? 0, c.subsidies[p]?.fen ?? 0]),
  ];
  return csvOf([header, line(card), ...(card.children ?? []).map(line)]);
}

/** The published list of full-employment communities as CSV. */
export function fullEmploymentCsv(year: string, standings: readonly CommunityStanding[]): string {
  return csvOf([
    ['年度', '社区代码', '社区名称', '就业率'],
    ...standings
      .filter((s) => s.fullEmployment)
      .map((s) => {
        const rate = s.criteria.find((c) => c.criterion === 'employment-rate');
        return [
          year,
          s.communityId,
          s.communityName ?? '',
          rate?.criterion === 'employment-rate' ? rate.figures.rate : null,
        ];
      }),
  ]);
}
