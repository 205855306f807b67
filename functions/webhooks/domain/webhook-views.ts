/** How webhook endpoints and deliveries are shown: never a secret after the answer that creates (or rotates) it. */
import type { WebhookDelivery, WebhookEndpoint } from './webhook-records.js';

export function endpointView(endpoint: WebhookEndpoint) {
  return {
    id: endpoint.id,
    applicationId: endpoint.applicationId,
    url: endpoint.url,
    events: endpoint.events,
    status: endpoint.status,
    ...(endpoint.disabledReason ? { disabledReason: endpoint.disabledReason, disabledAt: endpoint.disabledAt } : {}),
    ...(endpoint.failingSince ? { failingSince: endpoint.failingSince } : {}),
    createdAt: endpoint.createdAt,
    updatedAt: endpoint.updatedAt,
  };
}

export function deliveryView(delivery: WebhookDelivery) {
  return {
    id: delivery.id,
    endpointId: delivery.endpointId,
    applicationId: delivery.applicationId,
    eventType: delivery.eventType,
    seq: delivery.seq,
    status: delivery.status,
    ...(delivery.reason ? { reason: delivery.reason } : {}),
    ...(delivery.status === 'pending' && delivery.nextAttemptAt ? { nextAttemptAt: delivery.nextAttemptAt } : {}),
    attempts: delivery.attempts,
    createdAt: delivery.createdAt,
  };
}
