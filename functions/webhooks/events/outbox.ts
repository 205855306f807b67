/**
 * From history to deliveries: each new history event (read from the table's stream, where it
 * arrived in the same transaction as the change it records) becomes one delivery per endpoint
 * of its application that asked for its type. A stream record seen twice creates nothing new:
 * a delivery's key is (endpoint, event) and it is written only if absent. A newly registered
 * endpoint is given the application's history so far (`backfill`), so its receiver learns the
 * whole story in order, `application.submitted` included, whichever of the stream consumer and
 * the registration gets to an event first.
 */

import type { StoredHistoryEvent } from '../../applications/index.js';
import type { HistoryEvent } from '../../kernel/domain/application-events.js';
import { webhookPayloadOf } from '../domain/webhook-events.js';
import type { WebhookDelivery, WebhookEndpoint } from '../domain/webhook-records.js';
import { deliveryIdOf } from '../store/webhook-items.js';
import type { WebhookRepository } from '../store/webhooks.js';
import type { DeliveryQueue } from './environment.js';

export interface OutboxDependencies {
  webhooks: WebhookRepository;
  queue?: DeliveryQueue;
  now: () => Date;
}

/** The delivery of one history event to one endpoint, or undefined if the endpoint did not ask for it. */
export function deliveryFor(endpoint: WebhookEndpoint, event: HistoryEvent, now: string): WebhookDelivery | undefined {
  const payload = webhookPayloadOf(endpoint.applicationId, event);
  if (!payload || !endpoint.events.includes(payload.type)) return undefined;
  // A paused or disabled endpoint keeps what it missed; resuming sends it, in order.
  const held = endpoint.status !== 'active';
  return {
    id: deliveryIdOf(endpoint.id, event.seq),
    endpointId: endpoint.id,
    applicationId: endpoint.applicationId,
    seq: event.seq,
    eventType: payload.type,
    revision: 0,
    body: JSON.stringify(payload),
    status: held ? 'held' : 'pending',
    attempts: [],
    failuresThisRound: 0,
    ...(held ? {} : { nextAttemptAt: now }),
    createdAt: now,
  };
}

async function create(deps: OutboxDependencies, deliveries: WebhookDelivery[]): Promise<string[]> {
  const created: string[] = [];
  for (const delivery of deliveries) {
    if ((await deps.webhooks.createDelivery(delivery)) && delivery.status === 'pending') created.push(delivery.id);
  }
  if (created.length && deps.queue)
    await deps.queue.enqueue(created.map((deliveryId) => ({ deliveryId, delaySeconds: 0 })));
  return created;
}

/** Creates the deliveries one stored history event calls for; answers the ids it created. */
export async function recordDeliveries(
  deps: OutboxDependencies,
  { applicationId, event }: Pick<StoredHistoryEvent, 'applicationId' | 'event'>,
): Promise<string[]> {
  const now = deps.now().toISOString();
  const endpoints = await deps.webhooks.endpointsOf(applicationId);
  return create(
    deps,
    endpoints.flatMap((endpoint) => deliveryFor(endpoint, event, now) ?? []),
  );
}

/** Creates a new endpoint's deliveries for the history its application already has. */
export async function backfill(
  deps: OutboxDependencies,
  endpoint: WebhookEndpoint,
  history: HistoryEvent[],
): Promise<string[]> {
  const now = deps.now().toISOString();
  return create(
    deps,
    history.flatMap((event) => deliveryFor(endpoint, event, now) ?? []),
  );
}
