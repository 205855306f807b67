/** GET /webhook-endpoints/{id}/deliveries — the delivery log: each attempt's time, status code, duration, error and next retry. */
import { actorOf, httpHandler, json, onFirstRequest, pathParameter } from './http.js';
import {
  deliveryView,
  endpointFor,
  endpointView,
  productionWebhookDependencies,
  type WebhookApiDependencies,
} from './webhook-endpoints.js';

export function makeListWebhookDeliveries(deps: WebhookApiDependencies) {
  return httpHandler(async (event) => {
    const { endpoint } = await endpointFor(deps, pathParameter(event, 'id'), actorOf(event), 'read');
    const deliveries = await deps.webhooks.deliveriesOf(endpoint.id);
    return json(200, { endpoint: endpointView(endpoint), items: deliveries.map(deliveryView) });
  });
}

export const handler = onFirstRequest(() => makeListWebhookDeliveries(productionWebhookDependencies()));
