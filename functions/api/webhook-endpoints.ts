/**
 * What the webhook routes share: their dependencies, who may do what, and how endpoints and
 * deliveries are shown. Endpoints belong to an application: its community's staff register and
 * manage them (they act for the applicant); anyone whose unit covers the application may read
 * them and their delivery log, to help when a receiver misses news. Secrets are never shown
 * again after the answer that creates (or rotates) them.
 */
import { randomBytes } from 'node:crypto';
import type { Actor } from '../domain/actor.js';
import { ForbiddenError, NotFoundError } from '../domain/errors.js';
import { assertInScope, type Application } from '../domain/lifecycle.js';
// environment.js, not dependencies.js: the routes never send, so the sender stays out of their bundles.
import {
  deliveryQueueFromEnvironment,
  targetPolicyFromEnvironment,
  webhookSecretKeyFromEnvironment,
  type DeliveryQueue,
} from '../notify/environment.js';
import type { TargetPolicy } from '../notify/ssrf.js';
import { applicationRepository, type ApplicationRepository } from '../store/applications.js';
import { tableFromEnvironment } from '../store/table.js';
import {
  webhookRepository,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookRepository,
} from '../store/webhooks.js';

export interface WebhookApiDependencies {
  applications: ApplicationRepository;
  webhooks: WebhookRepository;
  /**
   * The key that seals endpoint secrets in the table. Read when needed: only the routes that
   * create secrets are given it (least privilege), and they fail loudly without it.
   */
  secretKey: () => string;
  targetPolicy: TargetPolicy;
  /** Wakes the worker at once for a replayed or resumed delivery (AWS); without it the sweep finds them. */
  queue?: DeliveryQueue;
  now: () => Date;
  newEndpointId: () => string;
}

export function productionWebhookDependencies(): WebhookApiDependencies {
  const table = tableFromEnvironment();
  return {
    applications: applicationRepository(table),
    webhooks: webhookRepository(table),
    secretKey: webhookSecretKeyFromEnvironment,
    targetPolicy: targetPolicyFromEnvironment(),
    queue: deliveryQueueFromEnvironment(),
    now: () => new Date(),
    newEndpointId: () => `ep_${randomBytes(12).toString('hex')}`,
  };
}

/** Only staff of the application's own community register and manage its endpoints. */
export function assertMayManage(application: Application, actor: Actor): void {
  if (actor.role !== 'community-staff' || actor.unit !== application.communityId) {
    throw new ForbiddenError(
      `only staff of ${application.communityId} manage webhooks of application ${application.id}`,
    );
  }
}

export async function applicationFor(deps: WebhookApiDependencies, applicationId: string): Promise<Application> {
  const stored = await deps.applications.get(applicationId);
  if (!stored) throw new NotFoundError(`no application ${applicationId}`);
  return stored.application;
}

/** The endpoint and its application, once the actor is allowed to act on it (read, or manage). */
export async function endpointFor(
  deps: WebhookApiDependencies,
  endpointId: string,
  actor: Actor,
  access: 'read' | 'manage',
) {
  const endpoint = await deps.webhooks.getEndpoint(endpointId);
  if (!endpoint) throw new NotFoundError(`no webhook endpoint ${endpointId}`);
  const application = await applicationFor(deps, endpoint.applicationId);
  assertInScope(application, actor);
  if (access === 'manage') assertMayManage(application, actor);
  return { endpoint, application };
}

export function endpointView(endpoint: WebhookEndpoint) {
  return {
    id: endpoint.id,
    applicationId: endpoint.applicationId,
    url: endpoint.url,
    events: endpoint.events,
    status: endpoint.status,
    ...(endpoint.disabledReason ? { disabledReason: endpoint.disabledReason, disabledAt: endpoint.disabledAt } : {}),
    ...(endpoint.failingSince ? { failingSince: endpoint.failingSince } : {}),
    createdAt: endpoint.createdAt,
    updatedAt: endpoint.updatedAt,
  };
}

export function deliveryView(delivery: WebhookDelivery) {
  return {
    id: delivery.id,
    endpointId: delivery.endpointId,
    applicationId: delivery.applicationId,
    eventType: delivery.eventType,
    seq: delivery.seq,
    status: delivery.status,
    ...(delivery.reason ? { reason: delivery.reason } : {}),
    ...(delivery.status === 'pending' && delivery.nextAttemptAt ? { nextAttemptAt: delivery.nextAttemptAt } : {}),
    attempts: delivery.attempts,
    createdAt: delivery.createdAt,
  };
}
