/**
 * From day rows to the answer a monitor reads: figures per period and child unit, backlog wound
 * back from now to each period's end, time in stage as percentiles, and the same rows as CSV.
 */
import type { ApprovalStage } from '../../kernel/domain/actor.js';
import { csvOf } from '../../kernel/domain/csv.js';
import { type ProgrammeId, programmeIds } from '../../kernel/domain/programmes.js';
import { addCounters, backlogStages, type Counters, emptyCounters, isEmpty, percentile } from './throughput.js';
import { addDays, type Granularity, periodEnd, periodOf, type ThroughputQuery } from './throughput-periods.js';

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
/** The rows as CSV for Excel (the kernel's writer: a byte-order mark, formulas neutralised), Chinese headers. */
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
  return csvOf([header, ...lines]);
}
