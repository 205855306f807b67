/**
 * What the webhook functions act on, passed in so tests hand over their own; production wiring
 * reads the environment once per container and throws on a missing or malformed variable.
 */

import { environment } from '../../kernel/runtime/environment.js';
import { tableFromEnvironment } from '../../kernel/store/table.js';
import { parseRetrySchedule } from '../domain/backoff.js';
import { type WebhookRepository, webhookRepository } from '../store/webhooks.js';
import {
  type DeliveryQueue,
  deliveryQueueFromEnvironment,
  targetPolicyFromEnvironment,
  webhookSecretKeyFromSecrets,
} from './environment.js';
import { type WebhookSender, webhookSender } from './sender.js';

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

export async function productionNotifyDependencies(): Promise<NotifyDependencies> {
  return {
    webhooks: webhookRepository(tableFromEnvironment()),
    send: webhookSender(targetPolicyFromEnvironment()),
    queue: deliveryQueueFromEnvironment(),
    retrySchedule: parseRetrySchedule(environment('WEBHOOK_RETRY_SCHEDULE_SECONDS').WEBHOOK_RETRY_SCHEDULE_SECONDS),
    secretKey: await webhookSecretKeyFromSecrets(),
    now: () => new Date(),
    random: Math.random,
  };
}
