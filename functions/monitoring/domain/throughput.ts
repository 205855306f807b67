/**
 * Throughput figures from the records: which history event counts towards what, the periods a
 * figure falls in (Asia/Shanghai dates), the time-in-stage histograms with their percentiles, and
 * how day rows merge into the answer a monitor reads. Pure: the store keeps the counters, the
 * stream aggregator feeds them, the query handler asks this module to merge them.
 */

import type { ApprovalStage } from '../../kernel/domain/actor.js';
import {
  type HistoryAction,
  isSuspicionAction,
  type Stage,
  type SuspicionAction,
} from '../../kernel/domain/application-events.js';
import { shanghaiDate } from '../../kernel/domain/dates.js';
import type { ProgrammeId } from '../../kernel/domain/programmes.js';
import { unitLevel } from '../../kernel/domain/units.js';
import '../../kernel/domain/validation-messages.js';

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

// Neither a suspicion's life nor a grant's suspension moves an application between stages or
// decides it: the throughput of decisions ignores them.
const isUncounted = (
  action: HistoryAction,
): action is 'reminded' | 'rescheduled' | 'grant-suspended' | SuspicionAction =>
  action === 'reminded' || action === 'rescheduled' || action === 'grant-suspended' || isSuspicionAction(action);

/** What one event adds to the counters of its day, for every unit on its path. */
export function countersOf(event: CountableEvent): Counters {
  const counters = emptyCounters();
  // Recorded on a finally approved application at the level that granted it: it leaves no stage.
  if (event.action === 'grant-suspended') return counters;
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
