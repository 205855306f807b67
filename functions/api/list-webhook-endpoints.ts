/** GET /webhook-endpoints?applicationId= — an application's endpoints, without their secrets. */
import {
  type EndpointDependencies,
  endpointsOfApplication,
  productionEndpointDependencies,
} from '../notify/endpoints.js';
import { builtOnFirstCall } from '../shared/lazy-handler.js';
import { type ActorResolution, productionActorResolver } from './actor-resolver.js';
import { HttpProblem, httpHandler, json } from './http.js';
import { endpointView } from './webhook-views.js';

export function makeListWebhookEndpoints(deps: EndpointDependencies & ActorResolution) {
  return httpHandler(async (event) => {
    const actor = await deps.resolveActor(event);
    const applicationId = event.queryStringParameters?.applicationId;
    if (!applicationId)
      throw new HttpProblem(422, 'Validation failed', 'some fields are missing or invalid', [
        { field: 'applicationId', message: 'required' },
      ]);
    const endpoints = await endpointsOfApplication(deps, actor, applicationId);
    return json(200, { items: endpoints.map(endpointView) });
  });
}

export const handler = builtOnFirstCall(() =>
  makeListWebhookEndpoints({ ...productionEndpointDependencies(), resolveActor: productionActorResolver() }),
);
