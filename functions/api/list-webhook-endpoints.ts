/** GET /webhook-endpoints?applicationId= — an application's endpoints, without their secrets. */
import {
  type EndpointDependencies,
  endpointsOfApplication,
  productionEndpointDependencies,
} from '../notify/endpoints.js';
import { builtOnFirstCall } from '../shared/lazy-handler.js';
import { type ActorResolution, productionActorResolver } from './actor-resolver.js';
import { httpHandler, json, validated } from './http.js';
import { webhookEndpointsQuerySchema } from './request-schemas.js';
import { endpointView } from './webhook-views.js';

export function makeListWebhookEndpoints(deps: EndpointDependencies & ActorResolution) {
  return httpHandler(async (event) => {
    const actor = await deps.resolveActor(event);
    const { applicationId } = validated(webhookEndpointsQuerySchema, event.queryStringParameters ?? {});
    const endpoints = await endpointsOfApplication(deps, actor, applicationId);
    return json(200, { items: endpoints.map(endpointView) });
  });
}

export const handler = builtOnFirstCall(() =>
  makeListWebhookEndpoints({ ...productionEndpointDependencies(), resolveActor: productionActorResolver() }),
);
