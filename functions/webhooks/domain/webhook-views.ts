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
export type EndpointView = ReturnType<typeof endpointView>;

/** The answer that creates a secret (`POST /webhook-endpoints`) or replaces it (`rotate-secret`): the only time it is shown. */
export type EndpointWithSecret = EndpointView & { secret: string; previousSecretExpiresAt?: string };

/** The answer of `GET /webhook-endpoints?applicationId=`. */
export interface EndpointList {
  items: EndpointView[];
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
export type DeliveryView = ReturnType<typeof deliveryView>;

/** The answer of `GET /webhook-endpoints/{id}/deliveries`: the endpoint and its delivery log. */
export interface DeliveryLog {
  endpoint: EndpointView;
  items: DeliveryView[];
}
