/** POST /webhook-endpoints/{id}/resume — active again; every delivery held meanwhile is due now, in event order. */
import { type EndpointDependencies, productionEndpointDependencies, resumeEndpoint } from '../notify/endpoints.js';
import { builtOnFirstCall } from '../shared/lazy-handler.js';
import { type ActorResolution, productionActorResolver } from './actor-resolver.js';
import { httpHandler, json, pathParameter } from './http.js';
import { endpointView } from './webhook-views.js';

export function makeResumeWebhookEndpoint(deps: EndpointDependencies & ActorResolution) {
  return httpHandler(async (event) =>
    json(200, endpointView(await resumeEndpoint(deps, await deps.resolveActor(event), pathParameter(event, 'id')))),
  );
}

export const handler = builtOnFirstCall(() =>
  makeResumeWebhookEndpoint({ ...productionEndpointDependencies(), resolveActor: productionActorResolver() }),
);
