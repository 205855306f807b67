/** The AWS side of the delivery worker: "deliver X" messages on SQS, delays capped at SQS's 15 minutes. */
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { makeDeliveryWorker } from '../../../functions/webhooks/events/delivery-worker.js';
import type { NotifyDependencies } from '../../../functions/webhooks/events/dependencies.js';
import { sqsDeliveryQueue } from '../../../functions/webhooks/events/environment.js';

const sqs = mockClient(SQSClient);
afterEach(() => sqs.reset());

describe('the delivery queue', () => {
  it('sends "deliver X" in batches of ten, each delay at most 15 minutes', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const queue = sqsDeliveryQueue(new SQSClient({ region: 'us-east-1' }), 'https://sqs.example/queue');

    await queue.enqueue(
      Array.from({ length: 11 }, (_, i) => ({ deliveryId: `msg_${i}`, delaySeconds: i === 0 ? 3600 : 5 })),
    );

    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 2);
    expect(sqs).toHaveReceivedNthCommandWith(SendMessageBatchCommand, 1, {
      QueueUrl: 'https://sqs.example/queue',
      Entries: expect.arrayContaining([{ Id: '0', MessageBody: '{"deliveryId":"msg_0"}', DelaySeconds: 900 }]),
    });
  });
});

describe('the worker handler', () => {
  const deps = (deliverById: (id: string) => void): NotifyDependencies =>
    ({
      webhooks: {
        getDelivery: async (id: string) => {
          deliverById(id);
          if (id === 'msg_broken') throw new Error('table unavailable');
          return undefined;
        },
        due: async () => [],
      },
    }) as unknown as NotifyDependencies; // Only the two reads these paths make.

  it('reports only the messages that failed, and drops malformed ones instead of retrying them', async () => {
    const asked: string[] = [];
    const handler = makeDeliveryWorker(deps((id) => asked.push(id)));
    const record = (messageId: string, body: string) => ({ messageId, body }) as never;

    const answer = await handler({
      Records: [
        record('1', '{"deliveryId":"msg_ok"}'),
        record('2', '{"deliveryId":"msg_broken"}'),
        record('3', '{"nope":1}'),
      ],
    });

    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: '2' }] });
    expect(asked).toEqual(['msg_ok', 'msg_broken']);
  });

  it('sweeps the due index when the schedule wakes it', async () => {
    const handler = makeDeliveryWorker({ ...deps(() => undefined), now: () => new Date() });

    expect(await handler({ source: 'aws.events', 'detail-type': 'Scheduled Event' })).toEqual({ sent: 0 });
  });
});
