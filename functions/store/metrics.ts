/**
 * Throughput counters in the table: counting one history event exactly once (a marker per
 * (consumer, event) in the same transaction as the `ADD`s), reading a unit's day rows and
 * backlog by key range (never a Scan, never the events), and rebuilding every counter from the
 * events. Counter items live in `METRIC#<unit>` partitions (keys in `table.ts`).
 */
import {
  type AttributeValue,
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  BatchWriteItemCommand,
  type BatchWriteItemCommandOutput,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import type { ApprovalStage } from '../domain/actor.js';
import type { HistoryAction, Stage } from '../domain/lifecycle.js';
import type { ProgrammeId } from '../domain/programmes.js';
import {
  addCounters,
  backlogStages,
  type CountableEvent,
  type Counters,
  countedActions,
  countersOf,
  emptyCounters,
  histogramBuckets,
  isEmpty,
  placesOf,
  rowsOwnerOf,
} from '../domain/throughput.js';
import { addDays } from '../domain/throughput-periods.js';
import type { DayRow } from '../domain/throughput-report.js';
import {
  eventContextAttribute,
  fromItem,
  type Item,
  keys,
  queryAll,
  scanAll,
  type TableContext,
  tableDesign,
  toItem,
} from './table.js';

/** The programme dimension that sums every programme. */
export const allProgrammes = '*';

/** The consumer name in exactly-once markers: the throughput aggregator. */
export const throughputConsumer = 'throughput';

// ── counters ↔ flat numeric attributes (so `ADD` can update each one) ─────────────────────

const eventAttribute = (action: string) => `n_${action}`;
const backlogAttribute = (stage: ApprovalStage) => `b_${stage}`;
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
function numbersOf(raw: Record<string, AttributeValue>): Item {
  const numbers: Item = {};
  for (const name in raw) {
    const value = raw[name]?.N;
    if (value !== undefined) numbers[name] = Number(value);
  }
  return numbers;
}

const backlogOf = (item: Item): Record<ApprovalStage, number> =>
  Object.fromEntries(
    backlogStages.map((stage) => [
      stage,
      typeof item[backlogAttribute(stage)] === 'number' ? item[backlogAttribute(stage)] : 0,
    ]),
  ) as Record<ApprovalStage, number>;

// ── from a stored history event to what it adds ──────────────────────────────────────────

/** The countable event of a stored history event item, or undefined for one written without its context. */
export function countableEventOf(item: Item): CountableEvent | undefined {
  const context = item[eventContextAttribute] as
    | { programme?: string; unitPath?: string[]; stageEnteredAt?: string }
    | undefined;
  if (!context?.programme || !Array.isArray(context.unitPath) || !context.stageEnteredAt) return undefined;
  return {
    applicationId: String(item.applicationId),
    seq: Number(item.seq),
    at: String(item.at),
    action: item.action as HistoryAction,
    stage: item.stage as Stage,
    stageAfter: (item.stageAfter ?? null) as Stage | null,
    ...(typeof item.status === 'string' ? { status: item.status } : {}),
    ...(typeof item.grantedFen === 'number' ? { grantedFen: item.grantedFen } : {}),
    programme: context.programme as ProgrammeId,
    unitPath: context.unitPath,
    stageEnteredAt: context.stageEnteredAt,
  };
}

/** One counter item and what to add to it. */
interface CounterChange {
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

function updateOf(tableName: string, change: CounterChange): TransactWriteItem {
  const names: Record<string, string> = {};
  const values: Item = {};
  const sets = Object.entries(change.describe).map(([name, value], i) => {
    names[`#d${i}`] = name;
    values[`:d${i}`] = value;
    return `#d${i} = :d${i}`;
  });
  const adds = Object.entries(change.add).map(([name, value], i) => {
    names[`#a${i}`] = name;
    values[`:a${i}`] = value;
    return `#a${i} :a${i}`;
  });
  return {
    Update: {
      TableName: tableName,
      Key: toItem(change.key),
      UpdateExpression: `SET ${sets.join(', ')} ADD ${adds.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: toItem(values),
    },
  };
}

/** DynamoDB's limit on the items of one transaction. */
const maxTransactionItems = 100;

/** An item's identity as one string, for sets and maps of items. */
const itemId = (key: Item) => `${key.pk}\u0000${key.sk}`;
const changeId = (change: CounterChange) => itemId(change.key);

/** An event and the counter changes it makes. */
interface EventChanges {
  event: CountableEvent;
  changes: CounterChange[];
}

/** The longest prefix of these events whose markers and distinct counter items fit one transaction. */
function firstGroup(pending: readonly EventChanges[]): EventChanges[] {
  const items = new Set<string>();
  let size = 0;
  for (const member of pending) {
    const fresh = member.changes.filter((c) => !items.has(changeId(c)));
    if (size && size + items.size + 1 + fresh.length > maxTransactionItems) break;
    size++;
    for (const change of fresh) items.add(changeId(change));
  }
  return pending.slice(0, size);
}

/** Sums changes into whole items, as the rebuild writes them. */
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

async function batchWrite(context: TableContext, requests: WriteRequest[]): Promise<void> {
  for (let i = 0; i < requests.length; i += 25) {
    let pending: WriteRequest[] | undefined = requests.slice(i, i + 25);
    while (pending?.length) {
      const answer: BatchWriteItemCommandOutput = await context.client.send(
        new BatchWriteItemCommand({ RequestItems: { [context.tableName]: pending } }),
      );
      pending = answer.UnprocessedItems?.[context.tableName];
    }
  }
}

/** How many key ranges a long read is split into. */
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

export function metricsRepository(context: TableContext) {
  const { client, tableName } = context;

  /** All items of one unit's partition in a sort-key range, every page. */
  const queryRange = (pk: string, condition: string, values: Item) =>
    queryAll(context, {
      KeyConditionExpression: `pk = :pk AND ${condition}`,
      ExpressionAttributeValues: toItem({ ':pk': pk, ...values }),
    });

  const repository = {
    /**
     * Counts one event, once (`countMany` of one). Answers false when the event was counted
     * before (a replayed stream record) or counts nothing.
     */
    async countOnce(event: CountableEvent, consumer = throughputConsumer): Promise<boolean> {
      return (await repository.countMany([event], consumer)) === 1;
    },

    /**
     * Counts many events, each exactly once, in as few transactions as fit: the events' markers
     * and their changes summed per counter item (a batch of one city's events shares its city,
     * district and street rows, so this writes a fraction of the items one transaction per event
     * would). Answers how many events it counted.
     *
     * A replayed batch (a Lambda retry on AWS) costs about what counting it did: the first
     * transaction that finds a marker already written makes one consistent batch read of the
     * markers of every event still to write, and those counted before are dropped from the rest
     * of the batch at once, not group by group. Each later refusal (another writer counting the
     * same events meanwhile) drops at least one event or throws, so the number of calls is bounded.
     */
    async countMany(events: readonly CountableEvent[], consumer = throughputConsumer): Promise<number> {
      const marker = (event: CountableEvent): TransactWriteItem => ({
        Put: {
          TableName: tableName,
          Item: toItem({ ...keys.countedEvent(consumer, event.applicationId, event.seq), type: 'counted', consumer }),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
      /** Writes one group's markers and summed changes in one transaction. */
      const write = async (group: readonly EventChanges[]): Promise<void> => {
        const merged = new Map<string, CounterChange>();
        for (const change of group.flatMap((member) => member.changes)) {
          const id = changeId(change);
          const into = merged.get(id);
          if (!into) merged.set(id, { ...change, add: { ...change.add } });
          else for (const [name, value] of Object.entries(change.add)) into.add[name] = (into.add[name] ?? 0) + value;
        }
        await client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              ...group.map((member) => marker(member.event)),
              ...[...merged.values()].map((c) => updateOf(tableName, c)),
            ],
          }),
        );
      };

      let pending: EventChanges[] = events
        .map((event) => ({ event, changes: changesOf(event) }))
        .filter((member) => member.changes.length > 0);
      let counted = 0;
      while (pending.length) {
        const group = firstGroup(pending);
        try {
          await write(group);
          counted += group.length;
          pending = pending.slice(group.length);
        } catch (error) {
          const reasons = error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
          // Anything else (a conflict with another writer) throws, so the batch is retried.
          if (!reasons.slice(0, group.length).some((r) => r.Code === 'ConditionalCheckFailed')) throw error;
          // A cancellation may name only the first marker it found: ask which were counted, for the whole rest.
          const already = await repository.countedAlready(
            pending.map((member) => member.event),
            consumer,
          );
          const rest = pending.filter((member) => !already.has(`${member.event.applicationId}#${member.event.seq}`));
          if (rest.length === pending.length) throw error;
          pending = rest;
        }
      }
      return counted;
    },

    /**
     * Which of these events this consumer counted already (one consistent batch read): a replayed
     * batch is skipped without a transaction per event. Only a shortcut: `countOnce` stays exact.
     */
    async countedAlready(
      events: readonly Pick<CountableEvent, 'applicationId' | 'seq'>[],
      consumer = throughputConsumer,
    ): Promise<Set<string>> {
      const counted = new Set<string>();
      const wanted = [
        ...new Map(
          events.map((e) => [`${e.applicationId}#${e.seq}`, keys.countedEvent(consumer, e.applicationId, e.seq)]),
        ).values(),
      ];
      for (let i = 0; i < wanted.length; i += 100) {
        let pending: Record<string, AttributeValue>[] | undefined = wanted.slice(i, i + 100).map((key) => toItem(key));
        while (pending?.length) {
          const answer: BatchGetItemCommandOutput = await client.send(
            new BatchGetItemCommand({
              RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true, ProjectionExpression: 'pk, sk' } },
            }),
          );
          for (const item of (answer.Responses?.[tableName] ?? []).map(fromItem)) {
            const applicationId = String(item.pk).slice('APP#'.length);
            counted.add(`${applicationId}#${Number(String(item.sk).split('#').at(-1))}`);
          }
          pending = answer.UnprocessedKeys?.[tableName]?.Keys;
        }
      }
      return counted;
    },

    /**
     * A unit's day rows from `fromDay` to `toDay` (programme or all), and what waits now per
     * child. A community's are its street's rows for it (`rowsOwnerOf`).
     */
    async read(
      unitPath: readonly string[],
      programme: string,
      fromDay: string,
      toDay: string,
    ): Promise<{ rows: DayRow[]; backlogNow: Map<string, Record<ApprovalStage, number>> }> {
      const { owner, onlyChild } = rowsOwnerOf(unitPath);
      const wanted = (raw: Record<string, AttributeValue>) => onlyChild === undefined || raw.child?.S === onlyChild;
      // A long range is read as a few shorter ones at once: a year of days is several 1 MB pages,
      // and reading them one after another is most of the answer's time.
      const segments = splitDays(fromDay, toDay, readSegments);
      const [backlogItems, ...dayPages] = await Promise.all([
        queryRange(keys.metricBacklog(owner, programme, '').pk, 'begins_with(sk, :now)', {
          ':now': keys.metricBacklogPrefix(programme),
        }),
        ...segments.map(([from, to]) => {
          const range = keys.metricDayRange(owner, programme, from, to);
          return queryRange(range.pk, 'sk BETWEEN :from AND :to', { ':from': range.from, ':to': range.to });
        }),
      ]);
      return {
        rows: dayPages
          .flat()
          .filter(wanted)
          .map((raw) => ({
            day: String(raw.day?.S),
            child: String(raw.child?.S),
            counters: countersFromItem(numbersOf(raw)),
          })),
        backlogNow: new Map(
          backlogItems.filter(wanted).map((raw) => [String(raw.child?.S), backlogOf(numbersOf(raw))]),
        ),
      };
    },

    /** Every counter item, keyed by pk and sk (tests and the rebuild compare them). */
    async allCounterItems(): Promise<Map<string, Item>> {
      const items = (
        await scanAll(context, {
          FilterExpression: 'begins_with(pk, :metric)',
          ExpressionAttributeValues: toItem({ ':metric': keys.metricPrefix }),
        })
      ).map(fromItem);
      return new Map(items.map((item) => [itemId(item), item]));
    },

    /**
     * Recomputes every counter from the history events (a Scan of event items) and replaces the
     * stored counters with the result, marking every event counted so a replayed stream adds
     * nothing. Run it while no events are being written: an event counted by the aggregator
     * between the scan and the write would be lost from the counters.
     */
    async rebuild(consumer = throughputConsumer): Promise<{ events: number; counted: number; items: number }> {
      const eventItems = (
        await scanAll(context, {
          FilterExpression: 'begins_with(sk, :evt) AND begins_with(pk, :app)',
          ExpressionAttributeValues: toItem({ ':evt': keys.applicationEventPrefix, ':app': 'APP#' }),
        })
      ).map(fromItem);
      const countable = eventItems.map(countableEventOf).filter((e): e is CountableEvent => e !== undefined);
      const counted = countable.filter((e) => changesOf(e).length > 0);
      const items = itemsOf(counted);
      const stale = (
        await scanAll(context, {
          FilterExpression: 'begins_with(pk, :metric) OR (begins_with(sk, :counted) AND #consumer = :consumer)',
          ExpressionAttributeValues: toItem({
            ':metric': keys.metricPrefix,
            ':counted': keys.countedEventPrefix,
            ':consumer': consumer,
          }),
          ProjectionExpression: 'pk, sk',
          ExpressionAttributeNames: { '#consumer': 'consumer' },
        })
      ).map(fromItem);
      const fresh = new Set(items.keys());
      await batchWrite(
        context,
        stale
          .filter((i) => !fresh.has(itemId(i)) && String(i.pk).startsWith(keys.metricPrefix))
          .map((i) => ({ DeleteRequest: { Key: toItem({ pk: i.pk, sk: i.sk }) } })),
      );
      await batchWrite(
        context,
        [...items.values()].map((item) => ({ PutRequest: { Item: toItem(item) } })),
      );
      const markers = new Set(stale.filter((i) => String(i.sk).startsWith(keys.countedEventPrefix)).map(itemId));
      await batchWrite(
        context,
        counted
          .map((e) => keys.countedEvent(consumer, e.applicationId, e.seq))
          .filter((key) => !markers.has(itemId(key)))
          .map((key) => ({ PutRequest: { Item: toItem({ ...key, type: 'counted', consumer }) } })),
      );
      return { events: eventItems.length, counted: counted.length, items: items.size };
    },

    /** Writes whole counter items as computed (the rebuild's last step; the benchmark seeds with it). */
    async putCounterItems(items: Iterable<Item>): Promise<void> {
      await batchWrite(
        context,
        [...items].map((item) => ({ PutRequest: { Item: toItem(item) } })),
      );
    },
  };
  return repository;
}
export type MetricsRepository = ReturnType<typeof metricsRepository>;

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
