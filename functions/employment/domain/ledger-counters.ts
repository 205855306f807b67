/**
 * Counting the ledger: what one event adds to the month it took effect in, for every unit on its
 * path. Flows in the month and stock changes, summed from the start, give the stock at a month's
 * end; the scorecard and the evaluation read them (`full-employment.ts`).
 */
import type { LedgerEventBody, LedgerStatus } from './employment-ledger.js';

/** Flows in the month and stock changes (summed from the start they give the stock at a month's end). */
export const ledgerCounterNames = [
  'registered',
  'reemployed',
  'unemployedStock',
  'employedStock',
  'zeroFound',
  'zeroResolved',
  'recorded',
] as const;
export type LedgerCounterName = (typeof ledgerCounterNames)[number];

/**
 * Counters as flat numbers: the named ones, and `lag_NN`, how many events were recorded NN days
 * after they took effect (`lag_61` for later still). Fixed buckets merge by adding, and any
 * criterion of up to 60 days reads off them without counting the events again.
 */
export type LedgerCounters = Record<string, number>;
export const maxLagBucket = 61;
export const lagCounter = (days: number) => `lag_${String(Math.min(Math.max(days, 0), maxLagBucket)).padStart(2, '0')}`;

export const emptyLedgerCounters = (): LedgerCounters => Object.fromEntries(ledgerCounterNames.map((n) => [n, 0]));

const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;
/** Whole days from `from` to `to` (ISO dates). */
export const daysBetween = (from: string, to: string) => Math.round(dayNumber(to) - dayNumber(from));

/**
 * What a ledger event adds to the counters of the month it took effect in (`on`); `recordedOn` is
 * the Shanghai date of `at`. `recorded` and the lag buckets count only what staff recorded.
 */
export function ledgerCountsOf(
  event: Pick<LedgerEventBody, 'statusBefore' | 'status' | 'action' | 'householdEffect' | 'on' | 'applicationId'>,
  recordedOn: string,
): LedgerCounters {
  const counts = emptyLedgerCounters();
  // How promptly the community keeps its ledger is judged on what its staff record; a change an
  // approval recorded is dated from the grant's start, which the community could not have recorded then.
  if (!event.applicationId) {
    counts.recorded = 1;
    counts[lagCounter(daysBetween(event.on, recordedOn))] = 1;
  }
  if (event.action === 'registered') counts.registered = 1;
  const stock = (s: LedgerStatus | undefined, sign: number) => {
    if (s === 'unemployed') counts.unemployedStock = (counts.unemployedStock ?? 0) + sign;
    if (s === 'employed') counts.employedStock = (counts.employedStock ?? 0) + sign;
  };
  stock(event.statusBefore, -1);
  stock(event.status, 1);
  if (event.statusBefore === 'unemployed' && event.status === 'employed') counts.reemployed = 1;
  if (event.householdEffect === 'became-zero') counts.zeroFound = 1;
  if (event.householdEffect === 'resolved') counts.zeroResolved = 1;
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n !== 0));
}

export function addLedgerCounters(into: LedgerCounters, more: LedgerCounters): LedgerCounters {
  for (const [name, n] of Object.entries(more)) into[name] = (into[name] ?? 0) + n;
  return into;
}

/** Events recorded more than `days` after they took effect, from the lag buckets. */
export function recordedLaterThan(counters: LedgerCounters, days: number): number {
  let late = 0;
  for (let d = days + 1; d <= maxLagBucket; d++) late += counters[lagCounter(d)] ?? 0;
  return late;
}
