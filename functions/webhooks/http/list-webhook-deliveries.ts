/** GET /webhook-endpoints/{id}/deliveries — the delivery log: each attempt's time, status code, duration, error and next retry. */

import { type ActorResolution, productionActorResolver } from '../../administration/index.js';
import { httpHandler, json, pathParameter } from '../../kernel/http/http.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { type DeliveryLog, deliveryView, endpointView } from '../domain/webhook-views.js';
import { deliveryLog, type EndpointDependencies, productionEndpointDependencies } from './endpoints.js';

export function makeListWebhookDeliveries(deps: EndpointDependencies & ActorResolution) {
  return httpHandler(async (event) => {
    const { endpoint, deliveries } = await deliveryLog(
      deps,
      await deps.resolveActor(event),
      pathParameter(event, 'id'),
    );
    return json(200, { endpoint: endpointView(endpoint), items: deliveries.map(deliveryView) } satisfies DeliveryLog);
  });
}

export const handler = builtOnFirstCall(() =>
  makeListWebhookDeliveries({ ...productionEndpointDependencies(), resolveActor: productionActorResolver() }),
);
