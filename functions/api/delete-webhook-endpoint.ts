/** DELETE /webhook-endpoints/{id} — nothing more is sent to it; its pending deliveries end as failed. */
import { deleteEndpoint, type EndpointDependencies, productionEndpointDependencies } from '../notify/endpoints.js';
import { builtOnFirstCall } from '../shared/lazy-handler.js';
import { type ActorResolution, productionActorResolver } from './actor-resolver.js';
import { httpHandler, pathParameter } from './http.js';

export function makeDeleteWebhookEndpoint(deps: EndpointDependencies & ActorResolution) {
  return httpHandler(async (event) => {
    await deleteEndpoint(deps, await deps.resolveActor(event), pathParameter(event, 'id'));
    return { statusCode: 204 };
  });
}

export const handler = builtOnFirstCall(() =>
  makeDeleteWebhookEndpoint({ ...productionEndpointDependencies(), resolveActor: productionActorResolver() }),
);
