/**
 * The table stream's second consumer (its own Lambda event source mapping, filtered like the
 * webhooks' to inserted `EVT#` items; locally fed by the same stream poller): counts each new
 * history event into the throughput counters, exactly once per event. A failure throws, so the
 * batch is retried; retried records count nothing twice.
 */

import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { isHistoryEventKey } from '../../applications/index.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { fromItem, tableFromEnvironment } from '../../kernel/store/table.js';
import type { CountableEvent } from '../domain/throughput.js';
import { countableEventOf, type MetricsRepository, metricsRepository } from '../store/metrics.js';

export interface AggregatorDependencies {
  metrics: Pick<MetricsRepository, 'countMany'>;
}

export function makeThroughputAggregator(deps: AggregatorDependencies) {
  return async (event: DynamoDBStreamEvent): Promise<{ counted: number; skipped: number }> => {
    const events: (CountableEvent | undefined)[] = [];
    for (const record of event.Records) {
      if (record.eventName !== 'INSERT' || !record.dynamodb?.NewImage) continue;
      // The Lambda event's attribute values and the SDK's have the same JSON shape, typed apart.
      const item = fromItem(record.dynamodb.NewImage as Record<string, AttributeValue>);
      if (!isHistoryEventKey(item)) continue;
      events.push(countableEventOf(item));
    }
    const countable = events.filter((e): e is CountableEvent => e !== undefined);
    // A replayed batch is found out by countMany's markers, at about the cost of counting it once.
    const counted = await deps.metrics.countMany(countable);
    return { counted, skipped: events.length - counted };
  };
}

export const handler = builtOnFirstCall(() =>
  makeThroughputAggregator({ metrics: metricsRepository(tableFromEnvironment()) }),
);
