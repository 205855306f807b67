/** POST /webhook-endpoints/{id}/pause — stop sending; what happens meanwhile is held and sent on resume. */

import { type ActorResolution, productionActorResolver } from '../../administration/index.js';
import { httpHandler, json, pathParameter } from '../../kernel/http/http.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { endpointView } from '../domain/webhook-views.js';
import { type EndpointDependencies, pauseEndpoint, productionEndpointDependencies } from './endpoints.js';

export function makePauseWebhookEndpoint(deps: EndpointDependencies & ActorResolution) {
  return httpHandler(async (event) =>
    json(200, endpointView(await pauseEndpoint(deps, await deps.resolveActor(event), pathParameter(event, 'id')))),
  );
}

export const handler = builtOnFirstCall(() =>
  makePauseWebhookEndpoint({ ...productionEndpointDependencies(), resolveActor: productionActorResolver() }),
);
