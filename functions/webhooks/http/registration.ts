/**
 * Registering a webhook endpoint: a receiver for one application's events, its secret shown once
 * (and again to a repeat under the same Idempotency-Key), the history so far sent on. Who may
 * register, and the dependencies, are those of every endpoint use case (`endpoints.ts`).
 */

import { createHash } from 'node:crypto';
import { assertInScope } from '../../applications/index.js';
import type { Actor } from '../../kernel/domain/actor.js';
import { ConflictError, InvalidRequestError } from '../../kernel/domain/errors.js';
import { decryptSecret, encryptSecret, newWebhookSecret } from '../domain/signing.js';
import type { WebhookEventType } from '../domain/webhook-events.js';
import type { WebhookEndpoint } from '../domain/webhook-records.js';
import { backfill } from '../events/outbox.js';
import { checkWebhookUrl, UnsafeWebhookTargetError } from '../events/ssrf.js';
import { EndpointIdTakenError, EndpointLimitReachedError } from '../store/webhook-endpoints.js';
import { applicationFor, assertMayManage, type EndpointDependencies } from './endpoints.js';

export interface Registration {
  url: string;
  events: WebhookEventType[];
  applicationId: string;
}

/**
 * The endpoint id a registration under an Idempotency-Key gets: the same for the same caller (the
 * person, the assignment they act under) and key, so a repeat finds what the first created.
 */
export function endpointIdForKey(actor: Actor, idempotencyKey: string): string {
  const caller = `${actor.sub}|${actor.role}@${actor.unit}|POST /webhook-endpoints|${idempotencyKey}`;
  return `ep_${createHash('sha256').update(caller).digest('hex').slice(0, 24)}`;
}

const sameRegistration = (endpoint: WebhookEndpoint, url: URL, registration: Registration) =>
  endpoint.applicationId === registration.applicationId &&
  endpoint.url === url.href &&
  [...endpoint.events].sort().join() === [...new Set(registration.events)].sort().join();

export interface Registered {
  endpoint: WebhookEndpoint;
  /** Its signing secret in clear: the answer is the one place it is shown. */
  secret: string;
  /** True when an earlier request under the same Idempotency-Key created it. */
  replayed: boolean;
}

/**
 * Registers a receiver for one application's events and sends it the history so far. Answers
 * the endpoint and its secret, which is shown only to whoever registers it.
 *
 * Under an Idempotency-Key the endpoint's id comes from the caller and the key: a repeat (a
 * client whose answer was lost: a timeout, a crash after the write) finds the endpoint the first
 * request created, and is answered it again, with its current secret, instead of a second
 * endpoint that would send every event twice under two ids, signed with a secret nobody holds.
 * The same key with another registration is refused (422 naming the key).
 */
export async function registerEndpoint(
  deps: EndpointDependencies,
  actor: Actor,
  registration: Registration,
  idempotencyKey?: string,
): Promise<Registered> {
  let url: URL;
  try {
    url = checkWebhookUrl(registration.url, deps.targetPolicy);
  } catch (error) {
    if (!(error instanceof UnsafeWebhookTargetError)) throw error;
    throw new InvalidRequestError('this URL cannot receive webhooks', [{ field: 'url', message: error.message }]);
  }
  // Role and unit first: an earlier registration is shown only to whom may manage it.
  const application = await applicationFor(deps, registration.applicationId);
  assertInScope(application, actor);
  assertMayManage(application, actor);

  const id = idempotencyKey === undefined ? deps.newEndpointId() : endpointIdForKey(actor, idempotencyKey);
  const replay = async (earlier: WebhookEndpoint): Promise<Registered> => {
    if (!sameRegistration(earlier, url, registration))
      throw new InvalidRequestError('this Idempotency-Key was used for a different registration', [
        { field: 'Idempotency-Key', message: 'already used with a different body' },
      ]);
    // The first request may have stopped before sending the history: creating it twice stores it once.
    await backfill(deps, earlier, await deps.applications.history(application.id));
    const current = earlier.secrets.find((s) => !s.expiresAt) ?? earlier.secrets[0];
    if (!current) throw new Error(`webhook endpoint ${earlier.id} has no secret`);
    return { endpoint: earlier, secret: decryptSecret(await deps.secretKey(), current.sealed), replayed: true };
  };
  if (idempotencyKey !== undefined) {
    const earlier = await deps.webhooks.getEndpoint(id);
    if (earlier) return replay(earlier);
  }

  const secret = newWebhookSecret();
  const now = deps.now().toISOString();
  const endpoint: WebhookEndpoint = {
    id,
    applicationId: application.id,
    url: url.href,
    events: [...new Set(registration.events)],
    status: 'active',
    secrets: [{ sealed: encryptSecret(await deps.secretKey(), secret) }],
    createdAt: now,
    createdBy: actor.sub,
    updatedAt: now,
  };
  const { webhookEndpointsPerApplication: limit } = await deps.policies.ofApplication(application);
  try {
    await deps.webhooks.createEndpoint(endpoint, limit);
  } catch (error) {
    if (error instanceof EndpointIdTakenError) {
      // A repeat that raced the first request to the write: answered as a repeat.
      const earlier = await deps.webhooks.getEndpoint(id);
      if (earlier) return replay(earlier);
      throw new ConflictError(
        'the webhook endpoint registered under this Idempotency-Key was deleted; register again under a new key',
      );
    }
    if (!(error instanceof EndpointLimitReachedError)) throw error;
    throw new ConflictError(
      `application ${application.id} already has ${limit} webhook endpoints, the most its city allows`,
      {
        limit,
        policyField: 'webhookEndpointsPerApplication',
      },
    );
  }
  // After the endpoint exists: an event written since is seen by the stream consumer, one
  // written before is in this read; a delivery both create is stored once.
  await backfill(deps, endpoint, await deps.applications.history(application.id));
  return { endpoint, secret, replayed: false };
}
