/**
 * Where counter items are stored, so that counting scales and a rebuild loses nothing.
 *
 * - **Shards.** A city's and a district's items take every event of their subtree: each is spread
 *   over `counterShards` partitions (`METRIC#<unit>#<generation>#<shard>`); a transaction writes
 *   all its changes to one shard, picked from its first event, and a read sums the shards.
 *   Streets and communities have one shard.
 * - **Generations.** Counters are read from and written to the `current` generation. A rebuild
 *   opens `next`; from then on every batch is counted into both (each with its own exactly-once
 *   markers), while the rebuild counts every stored event into `next` with the same markers, so an
 *   event counted live during the rebuild is counted there exactly once too. Then `next` becomes
 *   `current`, and the old generation is deleted.
 */
import { ConditionalCheckFailedException, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { unitLevel } from '../../kernel/domain/units.js';
import { fromItem, keys, type TableContext, toItem } from '../../kernel/store/table.js';

/**
 * Shards of a city's or district's counters. Counting one event updates up to 4 items of each
 * unit on its path (a day row and a backlog row, for all programmes and for its own), each ≤ 1 KB
 * in a transaction: 8 WCU. At 1,000 events/s that is 8,000 WCU/s on one unit; over 16 shards,
 * 500 WCU/s each: half of DynamoDB's 1,000 WCU/s per partition, before any batching merges events.
 */
export const counterShards = 16;

export function shardsOf(unitId: string): number {
  const level = unitLevel(unitId);
  return level === 'city' || level === 'district' ? counterShards : 1;
}

export interface CounterGenerations {
  current: number;
  /** Set while a rebuild fills it: every batch is counted into it as well. */
  next?: number;
}

/** The consumer name of a generation's exactly-once markers: generation 0 keeps the plain name markers had before generations. */
export const markerConsumer = (consumer: string, generation: number) =>
  generation === 0 ? consumer : `${consumer}@${generation}`;

/**
 * The stored key of a logical counter key in a generation and shard. Generation 0's shard 0 is
 * the logical key itself: counters stored before shards and generations are read as they are.
 */
export const storedKey = (key: { pk: string; sk: string }, generation: number, shard: number) => ({
  pk: generation === 0 && shard === 0 ? key.pk : keys.metricShard(key.pk, generation, shard),
  sk: key.sk,
});

/** The logical partition (`METRIC#<unit>`) and generation of a stored counter item's partition key. */
export function parseStoredPk(pk: string): { logicalPk: string; generation: number } {
  const [prefix, unit, generation] = pk.split('#');
  return { logicalPk: `${prefix}#${unit}`, generation: generation === undefined ? 0 : Number(generation) };
}

export function counterGenerations({ client, tableName }: TableContext) {
  const key = toItem(keys.metricGenerations);
  const generations = {
    /** The generations now (consistent: a batch counted after a rebuild opened `next` must see it). */
    async read(): Promise<CounterGenerations> {
      const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
      const item = Item ? fromItem(Item) : {};
      return {
        current: typeof item.current === 'number' ? item.current : 0,
        ...(typeof item.next === 'number' ? { next: item.next } : {}),
      };
    },

    /** Opens the next generation (or answers the one an interrupted rebuild opened, to carry on with it). */
    async open(): Promise<Required<CounterGenerations>> {
      const now = await generations.read();
      if (now.next !== undefined) return now as Required<CounterGenerations>;
      const next = now.current + 1;
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: key,
            UpdateExpression: 'SET #current = :current, #next = :next',
            ConditionExpression:
              'attribute_not_exists(#next) AND (attribute_not_exists(#current) OR #current = :current)',
            ExpressionAttributeNames: { '#current': 'current', '#next': 'next' },
            ExpressionAttributeValues: toItem({ ':current': now.current, ':next': next }),
          }),
        );
        return { current: now.current, next };
      } catch (error) {
        // Another rebuild opened or switched first: carry on from what it left.
        if (error instanceof ConditionalCheckFailedException) return generations.open();
        throw error;
      }
    },

    /** Makes the filled generation current; the counters are read from it from now on. */
    async switchTo(next: number): Promise<void> {
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: key,
            UpdateExpression: 'SET #current = :next REMOVE #next',
            ConditionExpression: '#next = :next',
            ExpressionAttributeNames: { '#current': 'current', '#next': 'next' },
            ExpressionAttributeValues: toItem({ ':next': next }),
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException) || (await generations.read()).current !== next)
          throw error;
      }
    },
  };
  return generations;
}
