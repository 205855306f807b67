/**
 * Throughput counters in the table: counting history events exactly once into the current
 * generation (and, while a rebuild fills it, the next), reading a unit's figures with its shards
 * summed, and rebuilding every counter from the events while counting goes on. The parts:
 * `counter-items.ts` (what an event adds), `counter-layout.ts` (shards and generations),
 * `counting.ts` (exactly-once transactions), `metrics-reads.ts`, `metrics-rebuild.ts`.
 */
import type { ApprovalStage } from '../../kernel/domain/actor.js';
import { type Item, type TableContext, toItem } from '../../kernel/store/table.js';
import type { CountableEvent } from '../domain/throughput.js';
import type { DayRow } from '../domain/throughput-report.js';
import type { CounterChange } from './counter-items.js';
import { counterGenerations, markerConsumer, storedKey } from './counter-layout.js';
import { batchWrite, countedAlready, countInto, throughputConsumer } from './counting.js';
import { allCounterItems, readCounters } from './metrics-reads.js';
import { type RebuildResult, rebuildCounters } from './metrics-rebuild.js';

export { allProgrammes, changesOf, countableEventOf, itemsOf } from './counter-items.js';
export { throughputConsumer } from './counting.js';
export { type StageWaiting, splitDays, sumRows, waitingAtStages } from './metrics-reads.js';
export type { CounterChange };

export function metricsRepository(context: TableContext) {
  const generations = counterGenerations(context);

  const repository = {
    /** Counts one event, once (`countMany` of one). Answers false when it was counted before or counts nothing. */
    async countOnce(event: CountableEvent, consumer = throughputConsumer): Promise<boolean> {
      return (await repository.countMany([event], consumer)) === 1;
    },

    /**
     * Counts many events, each exactly once, into the current generation and, while a rebuild is
     * filling the next one, into that too (`countInto` for each). The generations are read after
     * the events were: any event a rebuild's scan could miss is counted into its generation here.
     * Answers how many events were counted (into the current generation).
     */
    async countMany(events: readonly CountableEvent[], consumer = throughputConsumer): Promise<number> {
      const { current, next } = await generations.read();
      const counted = await countInto(context, events, consumer, current);
      if (next !== undefined) await countInto(context, events, consumer, next);
      return counted;
    },

    /** Which of these events this consumer counted already into the current generation (one consistent batch read). */
    async countedAlready(
      events: readonly Pick<CountableEvent, 'applicationId' | 'seq'>[],
      consumer = throughputConsumer,
    ): Promise<Set<string>> {
      const { current } = await generations.read();
      return countedAlready(context, events, markerConsumer(consumer, current));
    },

    /** A unit's day rows from `fromDay` to `toDay` (programme or all), and what waits now per child. */
    async read(
      unitPath: readonly string[],
      programme: string,
      fromDay: string,
      toDay: string,
    ): Promise<{ rows: DayRow[]; backlogNow: Map<string, Record<ApprovalStage, number>> }> {
      return readCounters(context, await generations.read(), unitPath, programme, fromDay, toDay);
    },

    /** Every counter item of the current generation under its logical key, shards summed (tests and the rebuild compare them). */
    async allCounterItems(): Promise<Map<string, Item>> {
      return allCounterItems(context, await generations.read());
    },

    /**
     * Recomputes every counter from the history events into a new generation and switches to it
     * (`metrics-rebuild.ts`); events counted while it runs are not lost.
     */
    async rebuild(consumer = throughputConsumer): Promise<RebuildResult> {
      return rebuildCounters(context, consumer);
    },

    /** Writes whole counter items as computed (`itemsOf`) into the current generation, one shard each (the benchmark seeds with it). */
    async putCounterItems(items: Iterable<Item>): Promise<void> {
      const { current } = await generations.read();
      await batchWrite(
        context,
        [...items].map((item) => ({
          PutRequest: { Item: toItem({ ...item, ...storedKey(item as { pk: string; sk: string }, current, 0) }) },
        })),
      );
    },
  };
  return repository;
}
export type MetricsRepository = ReturnType<typeof metricsRepository>;
