/** POST /webhook-endpoints/{id}/resume — active again; every delivery held meanwhile is due now, in event order. */

import { type ActorResolution, productionActorResolver } from '../../administration/index.js';
import { httpHandler, json, pathParameter } from '../../kernel/http/http.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { endpointView } from '../domain/webhook-views.js';
import { type EndpointDependencies, productionEndpointDependencies, resumeEndpoint } from './endpoints.js';

export function makeResumeWebhookEndpoint(deps: EndpointDependencies & ActorResolution) {
  return httpHandler(async (event) =>
    json(200, endpointView(await resumeEndpoint(deps, await deps.resolveActor(event), pathParameter(event, 'id')))),
  );
}

export const handler = builtOnFirstCall(() =>
  makeResumeWebhookEndpoint({ ...productionEndpointDependencies(), resolveActor: productionActorResolver() }),
);
