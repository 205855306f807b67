/**
 * What the webhook functions act on, passed in so tests hand over their own; production wiring
 * reads the environment once per container and throws on a missing or malformed variable.
 */
import { tableFromEnvironment } from '../store/table.js';
import { webhookRepository, type WebhookRepository } from '../store/webhooks.js';
import { parseRetrySchedule } from './backoff.js';
import {
  deliveryQueueFromEnvironment,
  targetPolicyFromEnvironment,
  webhookSecretKeyFromEnvironment,
  type DeliveryQueue,
} from './environment.js';
import { webhookSender, type WebhookSender } from './sender.js';

// The environment and queue moved to environment.ts (no sender there); these names stay importable from here.
export {
  deliveryQueueFromEnvironment,
  maxQueueDelaySeconds,
  sqsDeliveryQueue,
  targetPolicyFromEnvironment,
  webhookSecretKeyFromEnvironment,
  type DeliveryQueue,
} from './environment.js';

export interface NotifyDependencies {
  webhooks: WebhookRepository;
  send: WebhookSender;
  queue?: DeliveryQueue;
  /** Seconds to wait after each failed attempt. */
  retrySchedule: readonly number[];
  /** Key that seals endpoint secrets in the table. */
  secretKey: string;
  now: () => Date;
  random: () => number;
}

/** The stream consumer's: it creates deliveries and never sees a secret. */
export function productionOutboxDependencies(): Pick<NotifyDependencies, 'webhooks' | 'queue' | 'now'> {
  return {
    webhooks: webhookRepository(tableFromEnvironment()),
    queue: deliveryQueueFromEnvironment(),
    now: () => new Date(),
  };
}

export function productionNotifyDependencies(): NotifyDependencies {
  return {
    webhooks: webhookRepository(tableFromEnvironment()),
    send: webhookSender(targetPolicyFromEnvironment()),
    queue: deliveryQueueFromEnvironment(),
    retrySchedule: parseRetrySchedule(process.env.WEBHOOK_RETRY_SCHEDULE_SECONDS),
    secretKey: webhookSecretKeyFromEnvironment(),
    now: () => new Date(),
    random: Math.random,
  };
}
