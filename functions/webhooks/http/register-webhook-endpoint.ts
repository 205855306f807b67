/**
 * POST /webhook-endpoints — community staff register a receiver for one application's events;
 * the answer shows the secret (again to a repeat under the same Idempotency-Key, never in a read).
 * The receiver is then sent the application's history so far.
 */

import { type ActorResolution, productionActorResolver } from '../../administration/index.js';
import { httpHandler, idempotencyKeyOf, json, jsonBody, validated } from '../../kernel/http/http.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { type EndpointWithSecret, endpointView } from '../domain/webhook-views.js';
import { type EndpointDependencies, productionEndpointDependencies } from './endpoints.js';
import { registerEndpoint } from './registration.js';
import { registrationSchema } from './request-schemas.js';

export function makeRegisterWebhookEndpoint(deps: EndpointDependencies & ActorResolution) {
  return httpHandler(async (event) => {
    const actor = await deps.resolveActor(event);
    const idempotencyKey = idempotencyKeyOf(event);
    const { endpoint, secret, replayed } = await registerEndpoint(
      deps,
      actor,
      validated(registrationSchema, jsonBody(event)),
      idempotencyKey,
    );
    return json(201, { ...endpointView(endpoint), secret } satisfies EndpointWithSecret, {
      location: `/webhook-endpoints/${endpoint.id}`,
      ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
    });
  });
}

export const handler = builtOnFirstCall(() =>
  makeRegisterWebhookEndpoint({ ...productionEndpointDependencies(), resolveActor: productionActorResolver() }),
);
