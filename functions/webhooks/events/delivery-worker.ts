/**
 * The delivery worker's Lambda handler: SQS messages name one delivery each ("deliver X", sent
 * with the retry's delay when it is at most 15 minutes); the scheduled sweep (every minute)
 * sends whatever the due index says is due, which covers longer backoffs and lost messages.
 * Locally the runtime calls it with the scheduled event on a short timer.
 */
import type { ScheduledEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import '../../kernel/domain/validation-messages.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { logger } from '../../kernel/runtime/logger.js';
import { deliveryWorker } from './deliver.js';
import { type NotifyDependencies, productionNotifyDependencies } from './dependencies.js';

const messageSchema = z.object({ deliveryId: z.string().check(z.minLength(1)) });

export type WorkerEvent = SQSEvent | Pick<ScheduledEvent, 'source' | 'detail-type'>;

const isQueueEvent = (event: WorkerEvent): event is SQSEvent => 'Records' in event;

export function makeDeliveryWorker(deps: NotifyDependencies) {
  const worker = deliveryWorker(deps);
  return async (event: WorkerEvent): Promise<SQSBatchResponse | { sent: number }> => {
    if (!isQueueEvent(event)) return { sent: await worker.sweep() };
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      try {
        const parsed = messageSchema.safeParse(JSON.parse(record.body));
        // A malformed message can never succeed: drop it rather than retry it into the DLQ.
        if (parsed.success) await worker.deliverById(parsed.data.deliveryId);
      } catch (error) {
        logger.error('delivery failed in the worker', { messageId: record.messageId, error: String(error) });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
}

export const handler = builtOnFirstCall(async () => makeDeliveryWorker(await productionNotifyDependencies()));
