/**
 * The full-employment scorecard and the annual evaluation of communities (充分就业社区), from the
 * ledger's counters and households: what they read (periods, months summed) and what they answer.
 * Pure: the store reads a unit's month rows (flows of each month, stock changes that summed from
 * the first month give the stock at a month's end) and the households; `scorecard.ts` turns them
 * into the figures a monitor reads, `evaluation.ts` into the standing a community earns, each
 * criterion with the figures it was judged on.
 */
import * as z from 'zod/mini';
import '../../kernel/domain/validation-messages.js';
import type { FullEmploymentCriteria } from '../../kernel/domain/policy.js';
import type { ProgrammeId } from '../../kernel/domain/programmes.js';
import { addLedgerCounters, emptyLedgerCounters, type LedgerCounters } from './ledger-counters.js';

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

/** Of the ledger's people in the labour force, the share in work (four decimals); null when there is nobody. */
export const rateOf = (employed: number, unemployed: number) =>
  employed + unemployed === 0 ? null : Math.round((employed / (employed + unemployed)) * 10_000) / 10_000;

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
