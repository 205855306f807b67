/**
 * Throughput figures from the records: which history event counts towards what, the periods a
 * figure falls in (Asia/Shanghai dates), the time-in-stage histograms with their percentiles, and
 * how day rows merge into the answer a monitor reads. Pure: the store keeps the counters, the
 * stream aggregator feeds them, the query handler asks this module to merge them.
 */
import * as z from 'zod/mini';
import type { ApprovalStage } from './actor.js';
import { shanghaiDate } from './dates.js';
import { InvalidRequestError } from './errors.js';
import type { HistoryAction, Stage } from './lifecycle.js';
import { type ProgrammeId, programmeIds } from './programmes.js';
import { unitLevel } from './units.js';
import './validation-messages.js';

export const backlogStages: readonly ApprovalStage[] = ['street', 'district', 'city'];

/** The events counted one by one; a reminder or a moved deadline counts nothing. */
export const countedActions = [
  'submitted',
  'advanced',
  'approved',
  'rejected',
  'returned',
  'resubmitted',
  'withdrawn',
  'overdue',
] as const;
export type CountedAction = (typeof countedActions)[number];

/**
 * Upper bounds (hours) of the fixed time-in-stage buckets; one more bucket holds everything
 * longer. Fixed bounds make histograms of any two periods or units mergeable by adding counts.
 * They are finest where decisions usually fall (a working day or two) and reach past the
 * 10-working-day deadline. Changing them changes what stored bucket counts mean: run
 * `npm run metrics:rebuild` after.
 */
export const histogramBoundsHours = [
  0.25, 0.5, 1, 2, 4, 8, 12, 24, 36, 48, 72, 96, 120, 168, 240, 336, 504, 720,
] as const;
export const histogramBuckets = histogramBoundsHours.length + 1;

export interface Counters {
  /** Events in the period, by what happened. `advanced`: approved at a level before the last. */
  events: Record<CountedAction, number>;
  /** Net change of what waits at each approval stage (arrivals minus departures). */
  backlogChange: Record<ApprovalStage, number>;
  /** Time from arriving at a stage to its decision (approve, reject, return), bucketed. */
  timeInStage: Record<ApprovalStage, number[]>;
  /** Amounts granted by final approvals, by programme (integer fen). */
  grantedFen: Partial<Record<ProgrammeId, number>>;
}

export function emptyCounters(): Counters {
  return {
    events: Object.fromEntries(countedActions.map((a) => [a, 0])) as Record<CountedAction, number>,
    backlogChange: { street: 0, district: 0, city: 0 },
    timeInStage: { street: emptyHistogram(), district: emptyHistogram(), city: emptyHistogram() },
    grantedFen: {},
  };
}

export function emptyHistogram(): number[] {
  return Array.from({ length: histogramBuckets }, () => 0);
}

/** Adds `more` into `into` (and answers it): counters of any periods or units merge this way. */
export function addCounters(into: Counters, more: Counters): Counters {
  for (const action of countedActions) into.events[action] += more.events[action];
  for (const stage of backlogStages) {
    into.backlogChange[stage] += more.backlogChange[stage];
    const target = into.timeInStage[stage];
    more.timeInStage[stage].forEach((count, i) => {
      target[i] = (target[i] ?? 0) + count;
    });
  }
  for (const [programme, fen] of Object.entries(more.grantedFen) as [ProgrammeId, number][]) {
    into.grantedFen[programme] = (into.grantedFen[programme] ?? 0) + fen;
  }
  return into;
}

export function isEmpty(counters: Counters): boolean {
  return (
    countedActions.every((a) => counters.events[a] === 0) &&
    backlogStages.every((s) => counters.backlogChange[s] === 0 && counters.timeInStage[s].every((n) => n === 0)) &&
    Object.values(counters.grantedFen).every((fen) => !fen)
  );
}

export function bucketOf(hours: number): number {
  const index = histogramBoundsHours.findIndex((bound) => hours < bound);
  return index === -1 ? histogramBoundsHours.length : index;
}

/**
 * The p-th percentile (0 < p ≤ 1) estimated from a histogram: the bucket where the cumulative
 * count reaches p·n, interpolated linearly inside it. The open last bucket answers its lower
 * bound (a floor: "at least 30 days"). Null without samples.
 */
export function percentile(histogram: readonly number[], p: number): number | null {
  const total = histogram.reduce((sum, n) => sum + n, 0);
  if (total === 0) return null;
  const rank = p * total;
  let below = 0;
  for (let i = 0; i < histogram.length; i++) {
    const count = histogram[i] ?? 0;
    if (count > 0 && below + count >= rank) {
      const lower = i === 0 ? 0 : (histogramBoundsHours[i - 1] as number);
      const upper = histogramBoundsHours[i];
      if (upper === undefined) return lower;
      return Math.round((lower + ((rank - below) / count) * (upper - lower)) * 100) / 100;
    }
    below += count;
  }
  return null;
}

/** What the aggregator knows of one history event: the event, and the application's context the store wrote beside it. */
export interface CountableEvent {
  applicationId: string;
  seq: number;
  at: string;
  action: HistoryAction;
  stage: Stage;
  stageAfter: Stage | null;
  /** The application's status right after the event: a submission can end `rejected` (ineligible). */
  status?: string;
  grantedFen?: number;
  programme: ProgrammeId;
  /** City → … → community. */
  unitPath: readonly string[];
  /** When the application arrived at `stage` (before this event). */
  stageEnteredAt: string;
}

const isApprovalStage = (stage: Stage | null): stage is ApprovalStage => stage !== null && stage !== 'community';

const isUncounted = (action: HistoryAction): action is 'reminded' | 'rescheduled' =>
  action === 'reminded' || action === 'rescheduled';

/** What one event adds to the counters of its day, for every unit on its path. */
export function countersOf(event: CountableEvent): Counters {
  const counters = emptyCounters();
  const action: CountedAction | undefined =
    event.action === 'approved'
      ? event.stageAfter === null
        ? 'approved'
        : 'advanced'
      : isUncounted(event.action)
        ? undefined
        : event.action;
  if (action) counters.events[action] = 1;
  // An ineligible submission is taken in and rejected by one event: it counts as both, so
  // "rejected" is every application refused, by an approver or by the policy. A resubmission is
  // now refused before anything is recorded, but events stored before that may end rejected too,
  // and `npm run metrics:rebuild` must count them as they were counted.
  if ((event.action === 'submitted' || event.action === 'resubmitted') && event.status === 'rejected')
    counters.events.rejected = 1;
  // Leaving one stage for another: one fewer waits where it was, one more where it went.
  if (event.stage !== event.stageAfter) {
    if (isApprovalStage(event.stage)) counters.backlogChange[event.stage] -= 1;
    if (isApprovalStage(event.stageAfter)) counters.backlogChange[event.stageAfter] += 1;
  }
  if (
    (event.action === 'approved' || event.action === 'rejected' || event.action === 'returned') &&
    isApprovalStage(event.stage)
  ) {
    const hours = Math.max(0, Date.parse(event.at) - Date.parse(event.stageEnteredAt)) / 3_600_000;
    (counters.timeInStage[event.stage] as number[])[bucketOf(hours)] = 1;
  }
  if (action === 'approved' && event.grantedFen) counters.grantedFen[event.programme] = event.grantedFen;
  return counters;
}

/** A day row's place: the unit whose figures it is part of, and the child of that unit it breaks down to. */
export interface CounterPlace {
  unitId: string;
  /** The unit one level below `unitId` on the event's path. */
  child: string;
  day: string;
}

/**
 * Every (unit, child, day) an event counts for, the day in the city's time zone: each unit on
 * its path but the last, broken down to the next one down. The community at the end keeps no
 * rows of its own: its figures are its street's rows for it (`rowsOwnerOf`), which saves a
 * quarter of the counter writes of every event.
 */
export function placesOf(event: Pick<CountableEvent, 'unitPath' | 'at'>): CounterPlace[] {
  const day = shanghaiDate(new Date(event.at));
  const path = event.unitPath;
  if (path.length === 1) return [{ unitId: path[0] as string, child: path[0] as string, day }];
  return path.slice(0, -1).map((unitId, i) => ({ unitId, child: path[i + 1] as string, day }));
}

/** Whose rows hold a unit's figures: its own, or for the last unit of a path (a community), its parent's rows for it. */
export function rowsOwnerOf(unitPath: readonly string[]): { owner: string; onlyChild?: string } {
  const unitId = unitPath.at(-1) as string;
  const parent = unitPath.at(-2);
  return unitLevel(unitId) === 'community' && parent ? { owner: parent, onlyChild: unitId } : { owner: unitId };
}

// ── periods ───────────────────────────────────────────────────────────────────────────────

export const granularities = ['day', 'week', 'month'] as const;
export type Granularity = (typeof granularities)[number];

/** The longest range each granularity may ask for, in days: a year of days, three of weeks, ten of months. */
export const maxRangeDays: Record<Granularity, number> = { day: 366, week: 3 * 366, month: 10 * 366 };

const dayMs = 86_400_000;
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

/** A stored day row: the counters of one child of the queried unit on one day. */
export interface DayRow {
  day: string;
  child: string;
  counters: Counters;
}

export interface Figures {
  submitted: number;
  /** Approved at a level before the last (moved on to the next level). */
  advanced: number;
  approved: number;
  rejected: number;
  returned: number;
  resubmitted: number;
  withdrawn: number;
  /** What waited at each approval stage at the end of the period. */
  backlog: Record<ApprovalStage, number>;
  /** Deadlines that passed in the period. */
  overdue: number;
  timeInStageHours: Record<ApprovalStage, { p50: number | null; p90: number | null }>;
  grantedFen: Partial<Record<ProgrammeId, number>>;
}

export interface ThroughputRow extends Figures {
  period: string;
  unit: string;
  unitName?: string;
}

export interface Throughput {
  from: string;
  to: string;
  unit: string;
  programme?: ProgrammeId;
  granularity: Granularity;
  totals: Figures;
  rows: ThroughputRow[];
}

function figuresOf(counters: Counters, backlog: Record<ApprovalStage, number>): Figures {
  const { events } = counters;
  return {
    submitted: events.submitted,
    advanced: events.advanced,
    approved: events.approved,
    rejected: events.rejected,
    returned: events.returned,
    resubmitted: events.resubmitted,
    withdrawn: events.withdrawn,
    backlog,
    overdue: events.overdue,
    timeInStageHours: Object.fromEntries(
      backlogStages.map((stage) => [
        stage,
        { p50: percentile(counters.timeInStage[stage], 0.5), p90: percentile(counters.timeInStage[stage], 0.9) },
      ]),
    ) as Figures['timeInStageHours'],
    grantedFen: Object.fromEntries(Object.entries(counters.grantedFen).filter(([, fen]) => fen)),
  };
}

const zeroBacklog = (): Record<ApprovalStage, number> => ({ street: 0, district: 0, city: 0 });

/**
 * Merges day rows into the answer. `rows` cover `from` … `today` (later days have none yet):
 * the ones after a period are needed to wind the backlog back from `backlogNow` (per child) to
 * what waited at that period's end. A (period, child) with nothing counted and nothing waiting
 * has no row.
 */
export function assembleThroughput(input: {
  query: ThroughputQuery & { unit: string };
  rows: readonly DayRow[];
  backlogNow: ReadonlyMap<string, Record<ApprovalStage, number>>;
  unitNames?: ReadonlyMap<string, string>;
}): Throughput {
  const { query } = input;
  const granularity = query.granularity;
  const children = new Set<string>([...input.backlogNow.keys(), ...input.rows.map((r) => r.child)]);

  const inRange = new Map<string, Map<string, Counters>>(); // period → child → counters
  const totals = emptyCounters();
  const changesByChild = new Map<string, Map<string, Record<ApprovalStage, number>>>(); // child → day → backlog change
  for (const row of input.rows) {
    const byDay = changesByChild.get(row.child) ?? new Map<string, Record<ApprovalStage, number>>();
    const sameDay = byDay.get(row.day) ?? zeroBacklog();
    for (const stage of backlogStages) sameDay[stage] += row.counters.backlogChange[stage];
    byDay.set(row.day, sameDay);
    changesByChild.set(row.child, byDay);
    if (row.day < query.from || row.day > query.to) continue;
    addCounters(totals, row.counters);
    const period = periodOf(row.day, granularity);
    const byChild = inRange.get(period) ?? new Map<string, Counters>();
    byChild.set(row.child, addCounters(byChild.get(row.child) ?? emptyCounters(), row.counters));
    inRange.set(period, byChild);
  }

  // Per child: its change days in order, and what waited after each (now, wound back day by day).
  const windBack = new Map<string, { days: string[]; after: Record<ApprovalStage, number>[] }>();
  for (const child of children) {
    const byDay = changesByChild.get(child) ?? new Map<string, Record<ApprovalStage, number>>();
    const days = [...byDay.keys()].sort();
    const after: Record<ApprovalStage, number>[] = new Array(days.length);
    let backlog = { ...(input.backlogNow.get(child) ?? zeroBacklog()) };
    for (let i = days.length - 1; i >= 0; i--) {
      after[i] = backlog;
      const change = byDay.get(days[i] as string) as Record<ApprovalStage, number>;
      backlog = {
        street: backlog.street - change.street,
        district: backlog.district - change.district,
        city: backlog.city - change.city,
      };
    }
    windBack.set(child, { days, after });
  }

  /** What waited for `child` at the end of `day`: now, minus every change counted after it. */
  const backlogAt = (child: string, day: string): Record<ApprovalStage, number> => {
    const { days, after } = windBack.get(child) as { days: string[]; after: Record<ApprovalStage, number>[] };
    // The last change day not after `day` (binary search); before the first one, what waited then.
    let low = 0;
    let high = days.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((days[mid] as string) <= day) low = mid + 1;
      else high = mid;
    }
    if (low === 0) {
      const first = after[0];
      if (!first) return { ...(input.backlogNow.get(child) ?? zeroBacklog()) };
      const change = changesByChild.get(child)?.get(days[0] as string) as Record<ApprovalStage, number>;
      return {
        street: first.street - change.street,
        district: first.district - change.district,
        city: first.city - change.city,
      };
    }
    return { ...(after[low - 1] as Record<ApprovalStage, number>) };
  };

  const rows: ThroughputRow[] = [];
  const periods: { period: string; end: string }[] = [];
  for (let day = query.from; day <= query.to; day = addDays(periodEnd(day, granularity), 1)) {
    const end = periodEnd(day, granularity);
    periods.push({ period: periodOf(day, granularity), end: end < query.to ? end : query.to });
  }
  const sortedChildren = [...children].sort();
  for (const { period, end } of periods) {
    for (const child of sortedChildren) {
      const counters = inRange.get(period)?.get(child) ?? emptyCounters();
      const backlog = backlogAt(child, end);
      if (isEmpty(counters) && backlogStages.every((s) => backlog[s] === 0)) continue;
      const name = input.unitNames?.get(child);
      rows.push({ period, unit: child, ...(name ? { unitName: name } : {}), ...figuresOf(counters, backlog) });
    }
  }

  const totalBacklog = zeroBacklog();
  for (const child of children) {
    const backlog = backlogAt(child, query.to);
    for (const stage of backlogStages) totalBacklog[stage] += backlog[stage];
  }
  return {
    from: query.from,
    to: query.to,
    unit: query.unit,
    ...(query.programme ? { programme: query.programme } : {}),
    granularity,
    totals: figuresOf(totals, totalBacklog),
    rows,
  };
}

// ── CSV ───────────────────────────────────────────────────────────────────────────────────

const stageNames: Record<ApprovalStage, string> = { street: '街道', district: '区', city: '市' };

/** The rows as CSV for Excel: UTF-8 with a byte-order mark, CRLF line ends, Chinese headers. */
export function throughputCsv(throughput: Throughput): string {
  const header = [
    '期间',
    '单位代码',
    '单位名称',
    '受理',
    '逐级通过',
    '批准',
    '不予批准',
    '退回',
    '重新提交',
    '撤回',
    ...backlogStages.map((s) => `${stageNames[s]}待审`),
    '逾期',
    ...backlogStages.flatMap((s) => [`${stageNames[s]}用时P50(小时)`, `${stageNames[s]}用时P90(小时)`]),
    ...programmeIds.map((p) => `发放金额(分) ${p}`),
  ];
  const lines = throughput.rows.map((row) => [
    row.period,
    row.unit,
    row.unitName ?? '',
    row.submitted,
    row.advanced,
    row.approved,
    row.rejected,
    row.returned,
    row.resubmitted,
    row.withdrawn,
    ...backlogStages.map((s) => row.backlog[s]),
    row.overdue,
    ...backlogStages.flatMap((s) => [row.timeInStageHours[s].p50 ?? '', row.timeInStageHours[s].p90 ?? '']),
    ...programmeIds.map((p) => row.grantedFen[p] ?? 0),
  ]);
  const cell = (value: string | number) => {
    const text = String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return `\uFEFF${[header, ...lines].map((line) => line.map(cell).join(',')).join('\r\n')}\r\n`;
}
