/**
 * POST /webhook-endpoints — community staff register a receiver for one application's events;
 * the answer shows the secret once. The receiver is then sent the application's history so far.
 */
import * as z from 'zod/mini';
import { InvalidRequestError } from '../domain/errors.js';
import { assertInScope } from '../domain/lifecycle.js';
import { backfill } from '../notify/outbox.js';
import { encryptSecret, newWebhookSecret } from '../notify/signing.js';
import { checkWebhookUrl, UnsafeWebhookTargetError } from '../notify/ssrf.js';
import { webhookEventTypeSchema } from '../domain/webhook-events.js';
import type { WebhookEndpoint } from '../store/webhooks.js';
import { actorOf, httpHandler, json, jsonBody, onFirstRequest, validated } from './http.js';
import {
  applicationFor,
  assertMayManage,
  endpointView,
  productionWebhookDependencies,
  type WebhookApiDependencies,
} from './webhook-endpoints.js';

export const registrationSchema = z.object({
  url: z.string().check(z.trim(), z.minLength(1), z.maxLength(2048)),
  events: z.array(webhookEventTypeSchema).check(z.minLength(1), z.maxLength(20)),
  applicationId: z.string().check(z.trim(), z.minLength(1), z.maxLength(128)),
});

export function makeRegisterWebhookEndpoint(deps: WebhookApiDependencies) {
  return httpHandler(async (event) => {
    const actor = actorOf(event);
    const registration = validated(registrationSchema, jsonBody(event));
    let url: URL;
    try {
      url = checkWebhookUrl(registration.url, deps.targetPolicy);
    } catch (error) {
      if (!(error instanceof UnsafeWebhookTargetError)) throw error;
      throw new InvalidRequestError('this URL cannot receive webhooks', [{ field: 'url', message: error.message }]);
    }
    const application = await applicationFor(deps, registration.applicationId);
    assertInScope(application, actor);
    assertMayManage(application, actor);

    const secret = newWebhookSecret();
    const now = deps.now().toISOString();
    const endpoint: WebhookEndpoint = {
      id: deps.newEndpointId(),
      applicationId: application.id,
      url: url.href,
      events: [...new Set(registration.events)],
      status: 'active',
      secrets: [{ sealed: encryptSecret(deps.secretKey(), secret) }],
      createdAt: now,
      createdBy: actor.sub,
      updatedAt: now,
    };
    await deps.webhooks.createEndpoint(endpoint);
    // After the endpoint exists: an event written since is seen by the stream consumer, one
    // written before is in this read; a delivery both create is stored once.
    await backfill(deps, endpoint, await deps.applications.history(application.id));
    return json(201, { ...endpointView(endpoint), secret }, { location: `/webhook-endpoints/${endpoint.id}` });
  });
}

export const handler = onFirstRequest(() => makeRegisterWebhookEndpoint(productionWebhookDependencies()));
