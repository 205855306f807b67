/** GET /webhook-endpoints?applicationId= — an application's endpoints, without their secrets. */

import { type ActorResolution, productionActorResolver } from '../../administration/index.js';
import { httpHandler, json, validated } from '../../kernel/http/http.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { type EndpointList, endpointView } from '../domain/webhook-views.js';
import { type EndpointDependencies, endpointsOfApplication, productionEndpointDependencies } from './endpoints.js';
import { webhookEndpointsQuerySchema } from './request-schemas.js';

export function makeListWebhookEndpoints(deps: EndpointDependencies & ActorResolution) {
  return httpHandler(async (event) => {
    const actor = await deps.resolveActor(event);
    const { applicationId } = validated(webhookEndpointsQuerySchema, event.queryStringParameters ?? {});
    const endpoints = await endpointsOfApplication(deps, actor, applicationId);
    return json(200, { items: endpoints.map(endpointView) } satisfies EndpointList);
  });
}

export const handler = builtOnFirstCall(() =>
  makeListWebhookEndpoints({ ...productionEndpointDependencies(), resolveActor: productionActorResolver() }),
);
