/** GET /webhook-endpoints/{id}/deliveries — the delivery log: each attempt's time, status code, duration, error and next retry. */
import { deliveryLog, type EndpointDependencies, productionEndpointDependencies } from '../notify/endpoints.js';
import { builtOnFirstCall } from '../shared/lazy-handler.js';
import { type ActorResolution, productionActorResolver } from './actor-resolver.js';
import { httpHandler, json, pathParameter } from './http.js';
import { deliveryView, endpointView } from './webhook-views.js';

export function makeListWebhookDeliveries(deps: EndpointDependencies & ActorResolution) {
  return httpHandler(async (event) => {
    const { endpoint, deliveries } = await deliveryLog(
      deps,
      await deps.resolveActor(event),
      pathParameter(event, 'id'),
    );
    return json(200, { endpoint: endpointView(endpoint), items: deliveries.map(deliveryView) });
  });
}

export const handler = builtOnFirstCall(() =>
  makeListWebhookDeliveries({ ...productionEndpointDependencies(), resolveActor: productionActorResolver() }),
);
