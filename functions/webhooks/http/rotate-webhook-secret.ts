/** POST /webhook-endpoints/{id}/rotate-secret — a new signing secret, shown once; the old one signs beside it for 24 h. */

import { type ActorResolution, productionActorResolver } from '../../administration/index.js';
import { httpHandler, json, pathParameter } from '../../kernel/http/http.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { type EndpointWithSecret, endpointView } from '../domain/webhook-views.js';
import { type EndpointDependencies, productionEndpointDependencies, rotateSecret } from './endpoints.js';

export function makeRotateWebhookSecret(deps: EndpointDependencies & ActorResolution) {
  return httpHandler(async (event) => {
    const rotated = await rotateSecret(deps, await deps.resolveActor(event), pathParameter(event, 'id'));
    return json(200, {
      ...endpointView(rotated.endpoint),
      secret: rotated.secret,
      previousSecretExpiresAt: rotated.previousSecretExpiresAt,
    } satisfies EndpointWithSecret);
  });
}

export const handler = builtOnFirstCall(() =>
  makeRotateWebhookSecret({ ...productionEndpointDependencies(), resolveActor: productionActorResolver() }),
);
