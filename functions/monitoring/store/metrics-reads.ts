/**
 * Reading the throughput counters: a unit's day rows and what waits now, by key range in the
 * current generation (never a Scan, never the events), its shards summed; what waits at each
 * stage from the stage-backlog index; and every counter item, summed, for tests and the rebuild.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { ApprovalStage } from '../../kernel/domain/actor.js';
import {
  fromItem,
  type Item,
  keys,
  queryAll,
  scanAll,
  type TableContext,
  tableDesign,
  toItem,
} from '../../kernel/store/table.js';
import { addCounters, backlogStages, type Counters, emptyCounters, rowsOwnerOf } from '../domain/throughput.js';
import { addDays } from '../domain/throughput-periods.js';
import type { DayRow } from '../domain/throughput-report.js';
import { backlogOf, countersFromItem, itemId, numbersOf } from './counter-items.js';
import { type CounterGenerations, parseStoredPk, shardsOf, storedKey } from './counter-layout.js';

/** How many key ranges a long read of an unsharded unit is split into (a sharded one reads its shards at once). */
const readSegments = 4;
/** Ranges shorter than this are read in one go. */
const segmentMinDays = 45;

/** `from` … `to` cut into at most `parts` contiguous day ranges. */
export function splitDays(from: string, to: string, parts: number): [string, string][] {
  const days = Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1;
  const count = Math.max(1, Math.min(parts, Math.floor(days / segmentMinDays)));
  const size = Math.ceil(days / count);
  const segments: [string, string][] = [];
  for (let start = 0; start < days; start += size)
    segments.push([addDays(from, start), addDays(from, Math.min(start + size, days) - 1)]);
  return segments;
}

/** All items of one stored partition in a sort-key range, every page. */
const queryRange = (context: TableContext, pk: string, condition: string, values: Item) =>
  queryAll(context, {
    KeyConditionExpression: `pk = :pk AND ${condition}`,
    ExpressionAttributeValues: toItem({ ':pk': pk, ...values }),
  });

/**
 * A unit's day rows from `fromDay` to `toDay` (programme or all), one per (day, child) with its
 * shards summed, and what waits now per child. A community's are its street's rows for it.
 */
export async function readCounters(
  context: TableContext,
  { current: generation }: CounterGenerations,
  unitPath: readonly string[],
  programme: string,
  fromDay: string,
  toDay: string,
): Promise<{ rows: DayRow[]; backlogNow: Map<string, Record<ApprovalStage, number>> }> {
  const { owner, onlyChild } = rowsOwnerOf(unitPath);
  const wanted = (raw: Record<string, AttributeValue>) => onlyChild === undefined || raw.child?.S === onlyChild;
  const shards = Array.from({ length: shardsOf(owner) }, (_, shard) => shard);
  // A long range of one partition is read as a few shorter ones at once: a year of days is several
  // 1 MB pages, and reading them one after another is most of the answer's time.
  const segments = shards.length > 1 ? [[fromDay, toDay] as const] : splitDays(fromDay, toDay, readSegments);
  const backlogKey = keys.metricBacklog(owner, programme, '');
  const [backlogPages, dayPages] = await Promise.all([
    Promise.all(
      shards.map((shard) =>
        queryRange(context, storedKey(backlogKey, generation, shard).pk, 'begins_with(sk, :now)', {
          ':now': keys.metricBacklogPrefix(programme),
        }),
      ),
    ),
    Promise.all(
      shards.flatMap((shard) =>
        segments.map(([from, to]) => {
          const range = keys.metricDayRange(owner, programme, from, to);
          const pk = storedKey({ pk: range.pk, sk: '' }, generation, shard).pk;
          return queryRange(context, pk, 'sk BETWEEN :from AND :to', { ':from': range.from, ':to': range.to });
        }),
      ),
    ),
  ]);
  const rows = new Map<string, DayRow>();
  for (const raw of dayPages.flat().filter(wanted)) {
    const row = { day: String(raw.day?.S), child: String(raw.child?.S), counters: countersFromItem(numbersOf(raw)) };
    const id = `${row.day}\u0000${row.child}`;
    const into = rows.get(id);
    rows.set(id, into ? { ...into, counters: addCounters(into.counters, row.counters) } : row);
  }
  const backlogNow = new Map<string, Record<ApprovalStage, number>>();
  for (const raw of backlogPages.flat().filter(wanted)) {
    const child = String(raw.child?.S);
    const add = backlogOf(numbersOf(raw));
    const into = backlogNow.get(child);
    backlogNow.set(
      child,
      into
        ? (Object.fromEntries(backlogStages.map((s) => [s, into[s] + add[s]])) as Record<ApprovalStage, number>)
        : add,
    );
  }
  return { rows: [...rows.values()].sort((a, b) => a.day.localeCompare(b.day)), backlogNow };
}

/**
 * Every counter item of the current generation under its logical key, its shards summed: what a
 * reader sees, whatever the layout (tests compare it with `itemsOf` of the events).
 */
export async function allCounterItems(
  context: TableContext,
  { current }: CounterGenerations,
): Promise<Map<string, Item>> {
  const merged = new Map<string, Item>();
  const raw = await scanAll(context, {
    FilterExpression: 'begins_with(pk, :metric)',
    ExpressionAttributeValues: toItem({ ':metric': keys.metricPrefix }),
  });
  for (const item of raw.map(fromItem)) {
    const { logicalPk, generation } = parseStoredPk(String(item.pk));
    if (generation !== current) continue;
    const logical = { ...item, pk: logicalPk };
    const into = merged.get(itemId(logical));
    if (!into) merged.set(itemId(logical), logical);
    else
      for (const [name, value] of Object.entries(item))
        if (typeof value === 'number') into[name] = ((into[name] as number | undefined) ?? 0) + value;
  }
  return merged;
}

export interface StageWaiting {
  stage: ApprovalStage;
  waiting: number;
  overdue: number;
  /** When the application waiting longest arrived at the stage; absent when none waits. */
  oldestEnteredAt?: string;
}

/**
 * What waits at each approval stage right now, from the sparse stage-backlog index (only open
 * applications carry its keys), reading just the two attributes needed: the backlog probe's view.
 */
export async function waitingAtStages(table: TableContext): Promise<StageWaiting[]> {
  const { stageBacklog } = tableDesign.indexes;
  return Promise.all(
    backlogStages.map(async (stage) => {
      const summary: StageWaiting = { stage, waiting: 0, overdue: 0 };
      const items = await queryAll(table, {
        IndexName: stageBacklog.indexName,
        KeyConditionExpression: '#pk = :stage',
        ProjectionExpression: 'stageEnteredAt, overdue',
        ExpressionAttributeNames: { '#pk': stageBacklog.partitionKey },
        ExpressionAttributeValues: toItem({ ':stage': keys.stageBacklog(stage) }),
      });
      for (const item of items.map(fromItem)) {
        summary.waiting++;
        if (item.overdue === true) summary.overdue++;
        const entered = String(item.stageEnteredAt);
        if (!summary.oldestEnteredAt || entered < summary.oldestEnteredAt) summary.oldestEnteredAt = entered;
      }
      return summary;
    }),
  );
}

/** Sums day rows (tests use it to compare a unit's figures with its children's). */
export const sumRows = (rows: readonly DayRow[]): Counters =>
  rows.reduce((sum, row) => addCounters(sum, row.counters), emptyCounters());
