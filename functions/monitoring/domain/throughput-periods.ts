/**
 * The periods throughput figures fall in (Asia/Shanghai days, ISO weeks, months) and the query a
 * monitor sends: its range, granularity and filters, validated.
 */
import * as z from 'zod/mini';
import { InvalidRequestError } from '../../kernel/domain/errors.js';
import { programmeIds } from '../../kernel/domain/programmes.js';

// ── periods ───────────────────────────────────────────────────────────────────────────────

export const granularities = ['day', 'week', 'month'] as const;
export type Granularity = (typeof granularities)[number];
/** The longest range each granularity may ask for, in days: a year of days, three of weeks, ten of months. */
export const maxRangeDays: Record<Granularity, number> = { day: 366, week: 3 * 366, month: 10 * 366 };
const dayMs = 86400000;
const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / dayMs;
const dayOf = (n: number) => new Date(n * dayMs).toISOString().slice(0, 10);

export function addDays(day: string, days: number): string {
  return dayOf(dayNumber(day) + days);
}

/** ISO 8601 week (`2026-W48`, weeks start on Monday; the week belongs to the year of its Thursday). */
export function isoWeekOf(day: string): string {
  const n = dayNumber(day);
  const weekday = (new Date(n * dayMs).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const thursday = dayOf(n - weekday + 3);
  const year = thursday.slice(0, 4);
  const week = Math.floor((dayNumber(thursday) - dayNumber(`${year}-01-01`)) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export function periodOf(day: string, granularity: Granularity): string {
  return granularity === 'day' ? day : granularity === 'week' ? isoWeekOf(day) : day.slice(0, 7);
}

/** The last day of the period that `day` falls in. */
export function periodEnd(day: string, granularity: Granularity): string {
  if (granularity === 'day') return day;
  if (granularity === 'week') return addDays(day, 6 - ((new Date(dayNumber(day) * dayMs).getUTCDay() + 6) % 7));
  const [year, month] = day.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}
// ── the query ─────────────────────────────────────────────────────────────────────────────
/** A calendar date written YYYY-MM-DD (2026-02-30 is not one). */
export const isCalendarDay = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && dayOf(dayNumber(value)) === value;
const isoDay = z
  .string({
    error: (issue) => (issue.input === undefined ? 'is required: a date YYYY-MM-DD' : 'must be a date YYYY-MM-DD'),
  })
  .check(z.refine(isCalendarDay, 'must be a calendar date YYYY-MM-DD'));

export const throughputQuerySchema = z.object({
  from: isoDay,
  to: isoDay,
  unit: z.optional(
    z
      .string()
      .check(
        z.regex(/^(city|district|street|community):[a-z0-9][a-z0-9-]*$/, 'must be a unit id such as street:gexin'),
      ),
  ),
  programme: z.optional(z.enum(programmeIds, `must be one of ${programmeIds.join(', ')}`)),
  granularity: z._default(z.enum(granularities, `must be one of ${granularities.join(', ')}`), 'day'),
});
export type ThroughputQuery = z.infer<typeof throughputQuerySchema>;
/** Range rules the schema cannot say field by field: `to` not before `from`, not longer than the granularity allows. */
export function assertRange(query: Pick<ThroughputQuery, 'from' | 'to' | 'granularity'>): void {
  if (query.from > query.to)
    throw new InvalidRequestError('the range ends before it starts', [
      { field: 'to', message: 'must not be before from' },
    ]);
  const days = dayNumber(query.to) - dayNumber(query.from) + 1;
  const max = maxRangeDays[query.granularity];
  if (days > max) {
    throw new InvalidRequestError(`a ${query.granularity} breakdown covers at most ${max} days`, [
      { field: 'to', message: `at most ${max} days after from at ${query.granularity} granularity` },
    ]);
  }
}
