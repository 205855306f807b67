/**
 * The table stream's second consumer (its own Lambda event source mapping, filtered like the
 * webhooks' to inserted `EVT#` items; locally fed by the same stream poller): counts each new
 * history event into the throughput counters, exactly once per event. A failure throws, so the
 * batch is retried; retried records count nothing twice.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import type { CountableEvent } from '../domain/throughput.js';
import { metricsRepository, countableEventOf, type MetricsRepository } from '../store/metrics.js';
import { fromItem, keys, tableFromEnvironment } from '../store/table.js';
import { onFirstInvocation } from '../steps/dependencies.js';

export interface AggregatorDependencies {
  metrics: Pick<MetricsRepository, 'countMany' | 'countedAlready'>;
}

export function makeThroughputAggregator(deps: AggregatorDependencies) {
  return async (event: DynamoDBStreamEvent): Promise<{ counted: number; skipped: number }> => {
    const events: (CountableEvent | undefined)[] = [];
    for (const record of event.Records) {
      if (record.eventName !== 'INSERT' || !record.dynamodb?.NewImage) continue;
      // The Lambda event's attribute values and the SDK's have the same JSON shape, typed apart.
      const item = fromItem(record.dynamodb.NewImage as Record<string, AttributeValue>);
      if (!String(item.pk).startsWith('APP#') || !String(item.sk).startsWith(keys.applicationEventPrefix)) continue;
      events.push(countableEventOf(item));
    }
    const countable = events.filter((e): e is CountableEvent => e !== undefined);
    // A replayed batch: skip what was counted without a transaction (countMany would refuse them anyway).
    const already = await deps.metrics.countedAlready(countable);
    const counted = await deps.metrics.countMany(countable.filter((e) => !already.has(`${e.applicationId}#${e.seq}`)));
    return { counted, skipped: events.length - counted };
  };
}

export const handler = onFirstInvocation(() =>
  makeThroughputAggregator({ metrics: metricsRepository(tableFromEnvironment()) }),
);
