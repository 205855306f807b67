/** DELETE /webhook-endpoints/{id} — nothing more is sent to it; its pending deliveries end as failed. */

import { type ActorResolution, productionActorResolver } from '../../administration/index.js';
import { httpHandler, pathParameter } from '../../kernel/http/http.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { deleteEndpoint, type EndpointDependencies, productionEndpointDependencies } from './endpoints.js';

export function makeDeleteWebhookEndpoint(deps: EndpointDependencies & ActorResolution) {
  return httpHandler(async (event) => {
    await deleteEndpoint(deps, await deps.resolveActor(event), pathParameter(event, 'id'));
    return { statusCode: 204 };
  });
}

export const handler = builtOnFirstCall(() =>
  makeDeleteWebhookEndpoint({ ...productionEndpointDependencies(), resolveActor: productionActorResolver() }),
);
