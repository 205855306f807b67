/**
 * What the webhook functions act on, passed in so tests hand over their own; production wiring
 * reads the environment once per container and throws on a missing or malformed variable.
 */
import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { tableFromEnvironment } from '../store/table.js';
import { webhookRepository, type WebhookRepository } from '../store/webhooks.js';
import { parseRetrySchedule } from './backoff.js';
import { webhookSender, type WebhookSender } from './sender.js';
import type { TargetPolicy } from './ssrf.js';

/** Hands "deliver X" messages to the worker; on AWS an SQS queue, on one machine nothing (the worker sweeps). */
export interface DeliveryQueue {
  enqueue(messages: { deliveryId: string; delaySeconds: number }[]): Promise<void>;
}

/** SQS delays stop at 15 minutes; anything later waits for the sweep of the due index. */
export const maxQueueDelaySeconds = 15 * 60;

export function sqsDeliveryQueue(client: SQSClient, queueUrl: string): DeliveryQueue {
  return {
    async enqueue(messages) {
      for (let i = 0; i < messages.length; i += 10) {
        const batch = messages.slice(i, i + 10);
        const answer = await client.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: batch.map((message, n) => ({
              Id: String(n),
              MessageBody: JSON.stringify({ deliveryId: message.deliveryId }),
              DelaySeconds: Math.min(Math.max(0, Math.round(message.delaySeconds)), maxQueueDelaySeconds),
            })),
          }),
        );
        // A message that did not make it is not lost: the delivery is in the due index and the sweep finds it.
        if (answer.Failed?.length) console.log(JSON.stringify({ level: 'warn', message: 'some delivery messages were not queued', failed: answer.Failed.length }));
      }
    },
  };
}

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

export function targetPolicyFromEnvironment(): TargetPolicy {
  return { allowLoopbackHttp: process.env.WEBHOOK_ALLOW_LOOPBACK_HTTP === 'true' };
}

export function webhookSecretKeyFromEnvironment(): string {
  const key = process.env.WEBHOOK_SECRET_KEY;
  if (!key || key.length < 32) throw new Error('WEBHOOK_SECRET_KEY is not set or shorter than 32 characters');
  return key;
}

/** The queue named by WEBHOOK_QUEUE_URL, or none: locally the worker sweeps the due index instead. */
export function deliveryQueueFromEnvironment(): DeliveryQueue | undefined {
  const queueUrl = process.env.WEBHOOK_QUEUE_URL;
  return queueUrl ? sqsDeliveryQueue(new SQSClient({}), queueUrl) : undefined;
}

/** The stream consumer's: it creates deliveries and never sees a secret. */
export function productionOutboxDependencies(): Pick<NotifyDependencies, 'webhooks' | 'queue' | 'now'> {
  return { webhooks: webhookRepository(tableFromEnvironment()), queue: deliveryQueueFromEnvironment(), now: () => new Date() };
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
