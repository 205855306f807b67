/**
 * The webhook endpoints of an application, as its people manage them: rotate the secret, pause,
 * resume, delete, replay a delivery, read the endpoints and the delivery log (registering one:
 * `registration.ts`). Endpoints belong to an application: its community's staff manage them (they
 * act for the applicant); anyone whose unit covers the application may read them and their log,
 * to help when a receiver misses news. The HTTP handlers only parse and answer; these use cases,
 * with the dependencies and the access rules they share, are the one door they use into webhooks.
 */

import { randomBytes } from 'node:crypto';
import { type PolicyOfApplication, policyRepository } from '../../administration/index.js';
import {
  type Application,
  type ApplicationRepository,
  applicationRepository,
  assertInScope,
  isInScope,
} from '../../applications/index.js';
import type { Actor } from '../../kernel/domain/actor.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../kernel/domain/errors.js';
import { tableFromEnvironment } from '../../kernel/store/table.js';
import { encryptSecret, newWebhookSecret } from '../domain/signing.js';
import type { WebhookDelivery, WebhookEndpoint } from '../domain/webhook-records.js';
import {
  type DeliveryQueue,
  deliveryQueueFromEnvironment,
  targetPolicyFromEnvironment,
  webhookSecretKeyFromSecrets,
} from '../events/environment.js';
import type { TargetPolicy } from '../events/ssrf.js';
import { type WebhookRepository, webhookRepository } from '../store/webhooks.js';

export interface EndpointDependencies {
  applications: Pick<ApplicationRepository, 'get' | 'history'>;
  /** The application's policy: how many endpoints its city allows. */
  policies: PolicyOfApplication;
  webhooks: WebhookRepository;
  /**
   * The key that seals endpoint secrets in the table. Read when needed: only the routes that
   * create secrets are given it (least privilege), and they fail loudly without it.
   */
  secretKey: () => Promise<string>;
  targetPolicy: TargetPolicy;
  /** Wakes the worker at once for a replayed or resumed delivery (AWS); without it the sweep finds them. */
  queue?: DeliveryQueue;
  now: () => Date;
  newEndpointId: () => string;
}

export function productionEndpointDependencies(): EndpointDependencies {
  const table = tableFromEnvironment();
  return {
    applications: applicationRepository(table),
    policies: policyRepository(table),
    webhooks: webhookRepository(table),
    secretKey: webhookSecretKeyFromSecrets,
    targetPolicy: targetPolicyFromEnvironment(),
    queue: deliveryQueueFromEnvironment(),
    now: () => new Date(),
    newEndpointId: () => `ep_${randomBytes(12).toString('hex')}`,
  };
}

/** How long a rotated-out secret keeps signing beside the new one. */
export const rotationOverlapMs = 24 * 3600 * 1000;

/** Only staff of the application's own community register and manage its endpoints. */
export function assertMayManage(application: Application, actor: Actor): void {
  if (actor.role !== 'community-staff' || actor.unit !== application.communityId) {
    throw new ForbiddenError(
      `only staff of ${application.communityId} manage webhooks of application ${application.id}`,
    );
  }
}

export async function applicationFor(deps: EndpointDependencies, applicationId: string): Promise<Application> {
  const stored = await deps.applications.get(applicationId);
  if (!stored) throw new NotFoundError(`no application ${applicationId}`);
  return stored.application;
}

/** The endpoint, once the actor is allowed to act on it (read, or manage). */
async function endpointFor(
  deps: EndpointDependencies,
  endpointId: string,
  actor: Actor,
  access: 'read' | 'manage',
  missing: () => NotFoundError = () => new NotFoundError(`no webhook endpoint ${endpointId}`),
): Promise<WebhookEndpoint> {
  const endpoint = await deps.webhooks.getEndpoint(endpointId);
  const stored = endpoint && (await deps.applications.get(endpoint.applicationId));
  // Out of scope is answered exactly as an id that does not exist: a 403 would confirm it to
  // another city's (or district's) staff.
  if (!endpoint || !stored || !isInScope(stored.application, actor)) throw missing();
  if (access === 'manage') assertMayManage(stored.application, actor);
  return endpoint;
}

/**
 * A new signing secret, shown once. The one it replaces keeps signing beside it for 24 hours
 * (both signatures are sent), so the receiver can switch without losing a message.
 */
export async function rotateSecret(
  deps: EndpointDependencies,
  actor: Actor,
  endpointId: string,
): Promise<{ endpoint: WebhookEndpoint; secret: string; previousSecretExpiresAt: string }> {
  const endpoint = await endpointFor(deps, endpointId, actor, 'manage');
  const now = deps.now();
  const secret = newWebhookSecret();
  const expiresAt = new Date(now.getTime() + rotationOverlapMs).toISOString();
  const stillSigning = endpoint.secrets.filter((s) => !s.expiresAt || Date.parse(s.expiresAt) > now.getTime());
  const secrets = [
    { sealed: encryptSecret(await deps.secretKey(), secret) },
    ...stillSigning.map((s) => ({ sealed: s.sealed, expiresAt: s.expiresAt ?? expiresAt })),
  ];
  // Conditional on the secrets read: two rotations at once cannot drop one another's secret.
  const updated = await deps.webhooks.updateEndpoint(endpoint, { secrets, updatedAt: now.toISOString() }, [], {
    field: 'secrets',
    equals: endpoint.secrets,
  });
  if (!updated) throw new ConflictError(`webhook endpoint ${endpoint.id} changed meanwhile; rotate again`);
  return { endpoint: { ...endpoint, updatedAt: now.toISOString() }, secret, previousSecretExpiresAt: expiresAt };
}

/** Stops sending; what happens meanwhile is held and sent on resume. */
export async function pauseEndpoint(
  deps: EndpointDependencies,
  actor: Actor,
  endpointId: string,
): Promise<WebhookEndpoint> {
  const endpoint = await endpointFor(deps, endpointId, actor, 'manage');
  if (endpoint.status !== 'active') return endpoint;
  const updatedAt = deps.now().toISOString();
  await deps.webhooks.updateEndpoint(endpoint, { status: 'paused', updatedAt });
  return { ...endpoint, status: 'paused', updatedAt };
}

/**
 * A paused (or disabled, once its owner fixed the receiver) endpoint is active again; every
 * delivery held meanwhile is due now, in event order.
 */
export async function resumeEndpoint(
  deps: EndpointDependencies,
  actor: Actor,
  endpointId: string,
): Promise<WebhookEndpoint> {
  const endpoint = await endpointFor(deps, endpointId, actor, 'manage');
  const now = deps.now().toISOString();
  await deps.webhooks.updateEndpoint(endpoint, { status: 'active', updatedAt: now }, [
    'disabledReason',
    'disabledAt',
    'failingSince',
  ]);
  const woken: string[] = [];
  for (const delivery of await deps.webhooks.deliveriesOf(endpoint.id)) {
    if (delivery.status !== 'held') continue;
    const saved = await deps.webhooks.saveDelivery(delivery, {
      ...delivery,
      status: 'pending',
      failuresThisRound: 0,
      nextAttemptAt: now,
      reason: undefined,
    });
    if (saved) woken.push(saved.id);
  }
  if (woken.length) await deps.queue?.enqueue(woken.map((deliveryId) => ({ deliveryId, delaySeconds: 0 })));
  const { disabledReason: _r, disabledAt: _a, failingSince: _f, ...rest } = endpoint;
  return { ...rest, status: 'active', updatedAt: now };
}

/** Nothing more is sent to it; its pending deliveries end as failed. */
export async function deleteEndpoint(deps: EndpointDependencies, actor: Actor, endpointId: string): Promise<void> {
  await deps.webhooks.deleteEndpoint(await endpointFor(deps, endpointId, actor, 'manage'));
}

/**
 * Delivers a message again, whatever became of it, with the same `webhook-id` (it is the same
 * message: a receiver that has it may ignore it) and a fresh retry schedule. Its earlier
 * attempts stay in the log.
 */
export async function replayDelivery(
  deps: EndpointDependencies,
  actor: Actor,
  deliveryId: string,
): Promise<WebhookDelivery> {
  const delivery = await deps.webhooks.getDelivery(deliveryId);
  if (!delivery) throw new NotFoundError(`no webhook delivery ${deliveryId}`);
  const endpoint = await endpointFor(
    deps,
    delivery.endpointId,
    actor,
    'manage',
    () => new NotFoundError(`no webhook delivery ${deliveryId}`),
  );
  if (endpoint.status !== 'active')
    throw new ConflictError(`webhook endpoint ${endpoint.id} is ${endpoint.status}: resume it first`, {
      endpointStatus: endpoint.status,
    });
  const replayed = await deps.webhooks.saveDelivery(delivery, {
    ...delivery,
    status: 'pending',
    failuresThisRound: 0,
    nextAttemptAt: deps.now().toISOString(),
    reason: undefined,
  });
  if (!replayed)
    throw new ConflictError(`webhook delivery ${delivery.id} is being sent right now; look at its log and try again`);
  await deps.queue?.enqueue([{ deliveryId: replayed.id, delaySeconds: 0 }]);
  return replayed;
}

/** An application's endpoints, for anyone whose unit covers it. */
export async function endpointsOfApplication(
  deps: EndpointDependencies,
  actor: Actor,
  applicationId: string,
): Promise<WebhookEndpoint[]> {
  const application = await applicationFor(deps, applicationId);
  assertInScope(application, actor);
  return deps.webhooks.endpointsOf(application.id);
}

/** An endpoint and its delivery log, for anyone whose unit covers its application. */
export async function deliveryLog(
  deps: EndpointDependencies,
  actor: Actor,
  endpointId: string,
): Promise<{ endpoint: WebhookEndpoint; deliveries: WebhookDelivery[] }> {
  const endpoint = await endpointFor(deps, endpointId, actor, 'read');
  return { endpoint, deliveries: await deps.webhooks.deliveriesOf(endpoint.id) };
}
