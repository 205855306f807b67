/** POST /webhook-deliveries/{id}/replay — deliver a message again (same `webhook-id`), with a fresh retry schedule. */

import { type ActorResolution, productionActorResolver } from '../../administration/index.js';
import { httpHandler, json, pathParameter } from '../../kernel/http/http.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { deliveryView } from '../domain/webhook-views.js';
import { type EndpointDependencies, productionEndpointDependencies, replayDelivery } from './endpoints.js';

export function makeReplayWebhookDelivery(deps: EndpointDependencies & ActorResolution) {
  return httpHandler(async (event) =>
    json(202, deliveryView(await replayDelivery(deps, await deps.resolveActor(event), pathParameter(event, 'id')))),
  );
}

export const handler = builtOnFirstCall(() =>
  makeReplayWebhookDelivery({ ...productionEndpointDependencies(), resolveActor: productionActorResolver() }),
);
