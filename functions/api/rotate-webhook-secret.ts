/**
 * POST /webhook-endpoints/{id}/rotate-secret — a new signing secret, shown once. The one it
 * replaces keeps signing beside it for 24 hours (both signatures are sent), so the receiver can
 * switch without losing a message.
 */
import { ConflictError } from '../domain/errors.js';
import { encryptSecret, newWebhookSecret } from '../notify/signing.js';
import { actorOf, httpHandler, json, onFirstRequest, pathParameter } from './http.js';
import {
  endpointFor,
  endpointView,
  productionWebhookDependencies,
  type WebhookApiDependencies,
} from './webhook-endpoints.js';

export const rotationOverlapMs = 24 * 3600 * 1000;

export function makeRotateWebhookSecret(deps: WebhookApiDependencies) {
  return httpHandler(async (event) => {
    const { endpoint } = await endpointFor(deps, pathParameter(event, 'id'), actorOf(event), 'manage');
    const now = deps.now();
    const secret = newWebhookSecret();
    const expiresAt = new Date(now.getTime() + rotationOverlapMs).toISOString();
    const stillSigning = endpoint.secrets.filter((s) => !s.expiresAt || Date.parse(s.expiresAt) > now.getTime());
    const secrets = [
      { sealed: encryptSecret(deps.secretKey(), secret) },
      ...stillSigning.map((s) => ({ sealed: s.sealed, expiresAt: s.expiresAt ?? expiresAt })),
    ];
    // Conditional on the secrets read: two rotations at once cannot drop one another's secret.
    const updated = await deps.webhooks.updateEndpoint(endpoint, { secrets, updatedAt: now.toISOString() }, [], {
      field: 'secrets',
      equals: endpoint.secrets,
    });
    if (!updated) throw new ConflictError(`webhook endpoint ${endpoint.id} changed meanwhile; rotate again`);
    return json(200, {
      ...endpointView({ ...endpoint, updatedAt: now.toISOString() }),
      secret,
      previousSecretExpiresAt: expiresAt,
    });
  });
}

export const handler = onFirstRequest(() => makeRotateWebhookSecret(productionWebhookDependencies()));
