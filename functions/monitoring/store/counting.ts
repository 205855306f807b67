/**
 * Counting history events into one generation of counters, each event exactly once: a marker per
 * (consumer, event) in the same transaction as the `ADD`s of its changes, many events per
 * transaction with their changes summed per counter item, all of one transaction in one shard.
 */

import {
  BatchWriteItemCommand,
  type BatchWriteItemCommandOutput,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { applicationPartitionPrefix } from '../../applications/index.js';
import { fromItem, getAll, type Item, keys, shardOf, type TableContext, toItem } from '../../kernel/store/table.js';
import { cancellationReasonOf, type TransactionParts, transactItemsOf } from '../../kernel/store/transactions.js';
import type { CountableEvent } from '../domain/throughput.js';
import { type CounterChange, changeId, changesOf } from './counter-items.js';
import { counterShards, markerConsumer, shardsOf, storedKey } from './counter-layout.js';

/** The consumer name in exactly-once markers: the throughput aggregator. */
export const throughputConsumer = 'throughput';

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

export async function batchWrite(context: TableContext, requests: WriteRequest[]): Promise<void> {
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

/**
 * Which of these events the consumer (by its marker name) counted already, in one consistent
 * batch read per 100: a replayed batch is skipped without a transaction per event.
 */
export async function countedAlready(
  { client, tableName }: TableContext,
  events: readonly Pick<CountableEvent, 'applicationId' | 'seq'>[],
  markerName: string,
): Promise<Set<string>> {
  const counted = new Set<string>();
  const wanted = [
    ...new Map(
      events.map((e) => [`${e.applicationId}#${e.seq}`, keys.countedEvent(markerName, e.applicationId, e.seq)]),
    ).values(),
  ];
  for (const item of (await getAll({ client, tableName }, wanted, 'pk, sk')).map(fromItem)) {
    const applicationId = String(item.pk).slice(applicationPartitionPrefix.length);
    counted.add(`${applicationId}#${Number(String(item.sk).split('#').at(-1))}`);
  }
  return counted;
}

/**
 * Counts events into one generation, each exactly once, in as few transactions as fit: the
 * events' markers and their changes summed per counter item (a batch of one city's events shares
 * its city, district and street rows). Answers how many events it counted.
 *
 * A replayed batch (a Lambda retry on AWS) costs about what counting it did: the first
 * transaction that finds a marker already written makes one consistent batch read of the markers
 * of every event still to write, and those counted before are dropped from the rest of the batch
 * at once, not group by group. Each later refusal (another writer counting the same events
 * meanwhile) drops at least one event or throws, so the number of calls is bounded.
 */
export async function countInto(
  context: TableContext,
  events: readonly CountableEvent[],
  consumer: string,
  generation: number,
): Promise<number> {
  const { client, tableName } = context;
  const markerName = markerConsumer(consumer, generation);
  const marker = (event: CountableEvent): TransactWriteItem => ({
    Put: {
      TableName: tableName,
      Item: toItem({
        ...keys.countedEvent(markerName, event.applicationId, event.seq),
        type: 'counted',
        consumer: markerName,
      }),
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });
  /** A marker's part in a transaction: named by its event. */
  const markerPart = (event: CountableEvent) => `marker ${event.applicationId}#${event.seq}`;
  /** One group's markers and summed changes in one transaction, all in the shard its first event picks. */
  const transactionOf = (group: readonly EventChanges[]): TransactionParts => {
    const first = group[0]?.event;
    const shard = first ? shardOf(`${first.applicationId}#${first.seq}`, counterShards) : 0;
    const merged = new Map<string, CounterChange>();
    for (const change of group.flatMap((member) => member.changes)) {
      const id = changeId(change);
      const into = merged.get(id);
      if (!into) merged.set(id, { ...change, add: { ...change.add } });
      else for (const [name, value] of Object.entries(change.add)) into.add[name] = (into.add[name] ?? 0) + value;
    }
    return {
      ...Object.fromEntries(group.map((member) => [markerPart(member.event), marker(member.event)])),
      ...Object.fromEntries(
        [...merged].map(([id, change]) => [
          `counter ${id}`,
          updateOf(tableName, {
            ...change,
            key: storedKey(change.key, generation, shard % shardsOf(String(change.describe.unitId))),
          }),
        ]),
      ),
    };
  };

  let pending: EventChanges[] = events
    .map((event) => ({ event, changes: changesOf(event) }))
    .filter((member) => member.changes.length > 0);
  let counted = 0;
  while (pending.length) {
    const group = firstGroup(pending);
    const parts = transactionOf(group);
    try {
      await client.send(new TransactWriteItemsCommand({ TransactItems: transactItemsOf(parts) }));
      counted += group.length;
      pending = pending.slice(group.length);
    } catch (error) {
      const markerRefused =
        error instanceof TransactionCanceledException &&
        group.some(
          (member) => cancellationReasonOf(error, parts, markerPart(member.event))?.Code === 'ConditionalCheckFailed',
        );
      // Anything else (a conflict with another writer) throws, so the batch is retried.
      if (!markerRefused) throw error;
      // A cancellation may name only the first marker it found: ask which were counted, for the whole rest.
      const already = await countedAlready(
        context,
        pending.map((member) => member.event),
        markerName,
      );
      const rest = pending.filter((member) => !already.has(`${member.event.applicationId}#${member.event.seq}`));
      if (rest.length === pending.length) throw error;
      pending = rest;
    }
  }
  return counted;
}
