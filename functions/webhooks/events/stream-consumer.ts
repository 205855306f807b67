/**
 * The table stream's consumer (Lambda event source mapping, filtered to inserted `EVT#` items;
 * locally fed by the runtime's stream poller): turns each new history event into deliveries.
 * A failure throws, so the batch is retried; retried records create nothing twice.
 */

import type { DynamoDBStreamEvent } from 'aws-lambda';
import { historyEventOfImage } from '../../applications/index.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { productionOutboxDependencies } from './dependencies.js';
import { type OutboxDependencies, recordDeliveries } from './outbox.js';

export function makeStreamConsumer(deps: OutboxDependencies) {
  return async (event: DynamoDBStreamEvent): Promise<{ created: number }> => {
    // A batch holds several events of one application: its endpoints are read once per batch.
    // Every record was written before the batch was read, so one read sees every endpoint any of
    // them needs (an endpoint registered later gets the earlier events by its backfill).
    const endpoints = new Map<string, ReturnType<OutboxDependencies['webhooks']['endpointsOf']>>();
    const endpointsOf = (id: string) => {
      const known = endpoints.get(id);
      if (known) return known;
      const read = deps.webhooks.endpointsOf(id);
      endpoints.set(id, read);
      return read;
    };
    const webhooks = { ...deps.webhooks, endpointsOf };
    let created = 0;
    for (const record of event.Records) {
      if (record.eventName !== 'INSERT' || !record.dynamodb?.NewImage) continue;
      const stored = historyEventOfImage(record.dynamodb.NewImage);
      if (stored) created += (await recordDeliveries({ ...deps, webhooks }, stored)).length;
    }
    return { created };
  };
}

export const handler = builtOnFirstCall(() => makeStreamConsumer(productionOutboxDependencies()));
