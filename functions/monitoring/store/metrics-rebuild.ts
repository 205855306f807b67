/**
 * Rebuilding every throughput counter from the history events while events keep being counted:
 * into a new generation, then switched to (see `counter-layout.ts`). Nothing counted during the
 * rebuild is lost: from the moment the next generation is open every batch is counted into it as
 * well, and every event stored before that moment is in the rebuild's consistent scan; the
 * exactly-once markers of the new generation make the two count each event once between them.
 */

import { applicationPartitionPrefix } from '../../applications/index.js';
import { fromItem, keys, scanAll, type TableContext, toItem } from '../../kernel/store/table.js';
import type { CountableEvent } from '../domain/throughput.js';
import { changesOf, countableEventOf, itemsOf } from './counter-items.js';
import { counterGenerations, markerConsumer, parseStoredPk } from './counter-layout.js';
import { batchWrite, countInto } from './counting.js';

export interface RebuildResult {
  /** History events read. */
  events: number;
  /** Events that count for something (each now counted once in the new generation). */
  counted: number;
  /** Of those, the ones the rebuild itself counted (the rest were counted live into the new generation meanwhile). */
  countedByRebuild: number;
  /** Counter items of the new generation, by logical key. */
  items: number;
  generation: number;
}

export async function rebuildCounters(context: TableContext, consumer: string): Promise<RebuildResult> {
  const generations = counterGenerations(context);
  // From here on the aggregator counts every batch into `next` as well.
  const { next } = await generations.open();
  const eventItems = (
    await scanAll(context, {
      FilterExpression: 'begins_with(sk, :evt) AND begins_with(pk, :app)',
      ExpressionAttributeValues: toItem({ ':evt': keys.applicationEventPrefix, ':app': applicationPartitionPrefix }),
      // Every event written before `next` opened is here: those the aggregator counted only into the old generation.
      ConsistentRead: true,
    })
  ).map(fromItem);
  const counted = eventItems
    .map(countableEventOf)
    .filter((e): e is CountableEvent => e !== undefined && changesOf(e).length > 0);
  const countedByRebuild = await countInto(context, counted, consumer, next);
  await generations.switchTo(next);

  // The old generations' counters and markers are garbage now (a batch still writing to one is counted in `next` too).
  const marker = markerConsumer(consumer, next);
  const stale = (
    await scanAll(context, {
      FilterExpression:
        'begins_with(pk, :metric) OR (begins_with(sk, :counted) AND (#consumer = :consumer OR begins_with(#consumer, :family)))',
      ExpressionAttributeNames: { '#consumer': 'consumer' },
      ExpressionAttributeValues: toItem({
        ':metric': keys.metricPrefix,
        ':counted': keys.countedEventPrefix,
        ':consumer': consumer,
        ':family': `${consumer}@`,
      }),
      ProjectionExpression: 'pk, sk, #consumer',
    })
  )
    .map(fromItem)
    .filter((item) =>
      String(item.pk).startsWith(keys.metricPrefix)
        ? parseStoredPk(String(item.pk)).generation !== next
        : item.consumer !== marker,
    );
  await batchWrite(
    context,
    stale.map((item) => ({ DeleteRequest: { Key: toItem({ pk: item.pk, sk: item.sk }) } })),
  );
  return {
    events: eventItems.length,
    counted: counted.length,
    countedByRebuild,
    items: itemsOf(counted).size,
    generation: next,
  };
}
