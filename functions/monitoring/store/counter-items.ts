/**
 * What a history event adds to the throughput counters, and counter items as numbers: each
 * counter a flat numeric attribute (so `ADD` updates it in place), each item named by its logical
 * key (`keys.metricDay` / `keys.metricBacklog`: one unit's partition). Where an item is stored,
 * its generation and shard, is `counter-layout.ts`'s business.
 */

import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { historyEventOf } from '../../applications/index.js';
import type { ApprovalStage } from '../../kernel/domain/actor.js';
import type { ProgrammeId } from '../../kernel/domain/programmes.js';
import { type Item, keys } from '../../kernel/store/table.js';
import {
  backlogStages,
  type CountableEvent,
  type Counters,
  countedActions,
  countersOf,
  emptyCounters,
  histogramBuckets,
  isEmpty,
  placesOf,
} from '../domain/throughput.js';

/** The programme dimension that sums every programme. */
export const allProgrammes = '*';

// ── counters ↔ flat numeric attributes (so `ADD` can update each one) ─────────────────────

const eventAttribute = (action: string) => `n_${action}`;
export const backlogAttribute = (stage: ApprovalStage) => `b_${stage}`;
const histogramAttribute = (stage: ApprovalStage, bucket: number) => `t_${stage}_${String(bucket).padStart(2, '0')}`;
const grantedAttribute = (programme: string) => `g_${programme}`;

export function flatCounters(counters: Counters): Record<string, number> {
  const flat: Record<string, number> = {};
  for (const action of countedActions) flat[eventAttribute(action)] = counters.events[action];
  for (const stage of backlogStages) {
    flat[backlogAttribute(stage)] = counters.backlogChange[stage];
    counters.timeInStage[stage].forEach((n, i) => {
      flat[histogramAttribute(stage, i)] = n;
    });
  }
  for (const [programme, fen] of Object.entries(counters.grantedFen)) flat[grantedAttribute(programme)] = fen ?? 0;
  return Object.fromEntries(Object.entries(flat).filter(([, n]) => n !== 0));
}

export function countersFromItem(item: Item): Counters {
  const counters = emptyCounters();
  const number = (name: string) => (typeof item[name] === 'number' ? (item[name] as number) : 0);
  for (const action of countedActions) counters.events[action] = number(eventAttribute(action));
  for (const stage of backlogStages) {
    counters.backlogChange[stage] = number(backlogAttribute(stage));
    counters.timeInStage[stage] = Array.from({ length: histogramBuckets }, (_, i) =>
      number(histogramAttribute(stage, i)),
    );
  }
  for (const name of Object.keys(item)) {
    if (name.startsWith('g_') && number(name)) counters.grantedFen[name.slice(2) as ProgrammeId] = number(name);
  }
  return counters;
}

/**
 * The numeric attributes of a raw item. A year of a city is hundreds of rows of dozens of
 * counters each: reading the numbers straight from the wire format is several times cheaper than
 * unmarshalling every item, and that is most of the query's own time.
 */
export function numbersOf(raw: Record<string, AttributeValue>): Item {
  const numbers: Item = {};
  for (const name in raw) {
    const value = raw[name]?.N;
    if (value !== undefined) numbers[name] = Number(value);
  }
  return numbers;
}

export const backlogOf = (item: Item): Record<ApprovalStage, number> =>
  Object.fromEntries(
    backlogStages.map((stage) => [
      stage,
      typeof item[backlogAttribute(stage)] === 'number' ? item[backlogAttribute(stage)] : 0,
    ]),
  ) as Record<ApprovalStage, number>;

// ── from a stored history event to what it adds ──────────────────────────────────────────

/** The countable event of a stored history event item, or undefined for one written without its context. */
export function countableEventOf(item: Item): CountableEvent | undefined {
  const stored = historyEventOf(item);
  if (!stored?.context) return undefined;
  const { applicationId, event, context } = stored;
  return {
    applicationId,
    seq: event.seq,
    at: event.at,
    action: event.action,
    stage: event.stage,
    stageAfter: event.stageAfter,
    status: event.status,
    ...(event.grantedFen !== undefined ? { grantedFen: event.grantedFen } : {}),
    programme: context.programme,
    unitPath: context.unitPath,
    stageEnteredAt: context.stageEnteredAt,
  };
}

/** One counter item and what to add to it. */
export interface CounterChange {
  key: { pk: string; sk: string };
  /** Plain attributes that say what the row is (set, not added). */
  describe: Item;
  add: Record<string, number>;
}

/** Every counter item an event changes: a day row and, when what waits moved, a backlog row, per unit on its path, for all programmes and for its own. */
export function changesOf(event: CountableEvent): CounterChange[] {
  const counters = countersOf(event);
  if (isEmpty(counters)) return [];
  const day = flatCounters(counters);
  const backlog = Object.fromEntries(
    backlogStages.map((s) => [backlogAttribute(s), counters.backlogChange[s]]).filter(([, n]) => n !== 0),
  );
  const changes: CounterChange[] = [];
  for (const place of placesOf(event)) {
    for (const programme of [allProgrammes, event.programme]) {
      changes.push({
        key: keys.metricDay(place.unitId, programme, place.day, place.child),
        describe: { type: 'metric-day', unitId: place.unitId, child: place.child, day: place.day, programme },
        add: day,
      });
      if (Object.keys(backlog).length) {
        changes.push({
          key: keys.metricBacklog(place.unitId, programme, place.child),
          describe: { type: 'metric-backlog', unitId: place.unitId, child: place.child, programme },
          add: backlog,
        });
      }
    }
  }
  return changes;
}

/** An item's identity as one string, for sets and maps of items. */
export const itemId = (key: Item) => `${key.pk}\u0000${key.sk}`;
export const changeId = (change: CounterChange) => itemId(change.key);

/** Sums changes into whole items under their logical keys (the rebuild's arithmetic; the benchmark seeds with it). */
export function itemsOf(events: Iterable<CountableEvent>): Map<string, Item> {
  const items = new Map<string, Item>();
  for (const event of events) {
    for (const change of changesOf(event)) {
      const id = changeId(change);
      const item = items.get(id) ?? { ...change.key, ...change.describe };
      for (const [name, value] of Object.entries(change.add))
        item[name] = ((item[name] as number | undefined) ?? 0) + value;
      items.set(id, item);
    }
  }
  return items;
}

/** The attributes of a counter item that say what it is (set, not added): every other numeric one is a counter. */
export const describingAttributes = new Set(['pk', 'sk', 'type', 'unitId', 'child', 'day', 'programme']);
