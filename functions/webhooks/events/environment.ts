/**
 * What the webhook functions read from the environment, and the queue that hands "deliver X" to
 * the worker. Kept apart from `dependencies.ts` (which builds the sender) so the webhook API
 * routes import this without the HTTP client they never use.
 */
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { environment } from '../../kernel/runtime/environment.js';
import { logger } from '../../kernel/runtime/logger.js';
import { secretValue } from '../../kernel/runtime/secrets.js';
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
        if (answer.Failed?.length)
          logger.warn('some delivery messages were not queued', { failed: answer.Failed.length });
      }
    },
  };
}

export function targetPolicyFromEnvironment(): TargetPolicy {
  return { allowLoopbackHttp: environment('WEBHOOK_ALLOW_LOOPBACK_HTTP').WEBHOOK_ALLOW_LOOPBACK_HTTP === 'true' };
}

/** The key that seals webhook secrets, from Secrets Manager (only the functions granted it can read it). */
export function webhookSecretKeyFromSecrets(): Promise<string> {
  return secretValue('webhookSecretKey');
}

/** The queue named by WEBHOOK_QUEUE_URL, or none: locally the worker sweeps the due index instead. */
export function deliveryQueueFromEnvironment(): DeliveryQueue | undefined {
  const queueUrl = environment('WEBHOOK_QUEUE_URL').WEBHOOK_QUEUE_URL;
  return queueUrl ? sqsDeliveryQueue(new SQSClient({}), queueUrl) : undefined;
}
