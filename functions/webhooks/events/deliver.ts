/**
 * The delivery worker: sends what is due, signs it, records each attempt and decides what
 * happens next.
 *
 * 1. A delivery is sent only while it is pending, due, and its endpoint is active; a paused or
 *    disabled endpoint's deliveries are held until it is resumed.
 * 2. Per endpoint, events go out in order: while an earlier delivery is still pending, a later
 *    one waits behind it, and is woken as soon as the earlier one is settled.
 * 3. The delivery is claimed (a conditional write moving its due time past the send timeout)
 *    before sending, so two workers never send the same attempt.
 * 4. 2xx: delivered. 410: the receiver is gone; the endpoint is disabled. Otherwise the next
 *    attempt follows the retry schedule; when the schedule is spent the delivery has failed,
 *    and after 5 days of failures the endpoint is disabled with the reason for its owner.
 */

import { disableAfterFailingMs, retryDelayMs } from '../domain/backoff.js';
import { decryptSecret, signatureHeader } from '../domain/signing.js';
import type { DeliveryAttempt, WebhookDelivery, WebhookEndpoint } from '../domain/webhook-records.js';
import type { NotifyDependencies } from './dependencies.js';
import { maxQueueDelaySeconds } from './environment.js';
import { sendTimeoutMs } from './sender.js';

/** How long a claimed delivery is kept from other workers: the send's limit and some slack. */
const claimMs = sendTimeoutMs + 20_000;

const iso = (ms: number) => new Date(ms).toISOString();

/** The secrets that sign now: the current one and any replaced one still within its 24 hours. */
export function signingSecrets(endpoint: WebhookEndpoint, secretKey: string, now: Date): string[] {
  return endpoint.secrets
    .filter((s) => !s.expiresAt || Date.parse(s.expiresAt) > now.getTime())
    .map((s) => decryptSecret(secretKey, s.sealed));
}

export function deliveryWorker(deps: NotifyDependencies) {
  const { webhooks } = deps;

  /** Makes the endpoint's next pending delivery after `seq` due now: order kept, no wait for a sweep. */
  async function wakeNext(endpointId: string, seq: number): Promise<void> {
    const next = (await webhooks.deliveriesOf(endpointId)).find((d) => d.seq > seq && d.status === 'pending');
    // Only one that waits behind this event: one claimed by another worker is left alone.
    if (!next || next.waitingFor === undefined) return;
    const now = deps.now().toISOString();
    const woken = await webhooks.saveDelivery(next, { ...next, nextAttemptAt: now, waitingFor: undefined });
    if (woken) await deps.queue?.enqueue([{ deliveryId: next.id, delaySeconds: 0 }]);
  }

  async function attempt(delivery: WebhookDelivery): Promise<'sent' | 'skipped'> {
    const now = deps.now();
    if (
      delivery.status !== 'pending' ||
      !delivery.nextAttemptAt ||
      Date.parse(delivery.nextAttemptAt) > now.getTime() + 1000
    )
      return 'skipped';

    // The order of these two reads matters: an earlier event that disables the endpoint (410, five
    // days of failures) disables it before it settles, so once nothing blocks this one, the
    // endpoint read after that check is already disabled, and this one is held, not sent.
    const blocker = (await webhooks.deliveriesOf(delivery.endpointId)).find(
      (d) => d.seq < delivery.seq && d.status === 'pending',
    );
    if (blocker) {
      // Behind the earlier event: due when it is, and woken sooner when it is settled.
      const after =
        blocker.nextAttemptAt && blocker.nextAttemptAt > now.toISOString()
          ? blocker.nextAttemptAt
          : iso(now.getTime() + claimMs);
      const waiting = await webhooks.saveDelivery(delivery, {
        ...delivery,
        nextAttemptAt: after,
        waitingFor: blocker.seq,
      });
      // The earlier one may have settled between our read and our write: its wake-up then found
      // nothing waiting and this one would sit out the claim. Look again and wake ourselves.
      if (waiting && (await webhooks.getDelivery(blocker.id))?.status !== 'pending')
        await wakeNext(delivery.endpointId, blocker.seq);
      return 'skipped';
    }

    const endpoint = await webhooks.getEndpoint(delivery.endpointId);
    if (!endpoint) {
      await webhooks.saveDelivery(delivery, {
        ...delivery,
        status: 'failed',
        nextAttemptAt: undefined,
        reason: 'the endpoint was deleted',
      });
      return 'skipped';
    }
    if (endpoint.status !== 'active') {
      await webhooks.saveDelivery(delivery, {
        ...delivery,
        status: 'held',
        nextAttemptAt: undefined,
        reason: `the endpoint is ${endpoint.status}`,
      });
      return 'skipped';
    }
    const claimed = await webhooks.saveDelivery(delivery, {
      ...delivery,
      nextAttemptAt: iso(now.getTime() + claimMs),
      waitingFor: undefined,
    });
    if (!claimed) return 'skipped';

    const timestamp = Math.floor(now.getTime() / 1000);
    const result = await deps.send({
      url: endpoint.url,
      body: delivery.body,
      headers: {
        'webhook-id': delivery.id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signatureHeader(
          signingSecrets(endpoint, deps.secretKey, now),
          delivery.id,
          timestamp,
          delivery.body,
        ),
      },
    });
    const at = now.toISOString();
    const finished = deps.now();
    const logged: DeliveryAttempt = {
      at,
      durationMs: result.durationMs,
      ...(result.statusCode !== undefined ? { statusCode: result.statusCode } : {}),
      ...(result.error ? { error: result.error } : {}),
    };

    if (result.statusCode !== undefined && result.statusCode >= 200 && result.statusCode < 300) {
      await webhooks.saveDelivery(claimed, {
        ...claimed,
        status: 'delivered',
        nextAttemptAt: undefined,
        reason: undefined,
        attempts: [...claimed.attempts, logged],
      });
      if (endpoint.failingSince)
        await webhooks.updateEndpoint(endpoint, { updatedAt: finished.toISOString() }, ['failingSince']);
      await wakeNext(endpoint.id, delivery.seq);
      return 'sent';
    }

    /** Ends this delivery as `status` and disables the endpoint, both for `reason`. */
    const disableEndpoint = async (status: 'failed' | 'held', reason: string) => {
      // The endpoint first, then the delivery: see the order of reads above.
      await webhooks.updateEndpoint(endpoint, {
        status: 'disabled',
        disabledReason: reason,
        disabledAt: finished.toISOString(),
        updatedAt: finished.toISOString(),
      });
      await webhooks.saveDelivery(claimed, {
        ...claimed,
        status,
        nextAttemptAt: undefined,
        reason,
        attempts: [...claimed.attempts, logged],
      });
      // The next event finds the endpoint disabled and is held, instead of waiting out a claim.
      await wakeNext(endpoint.id, delivery.seq);
    };

    if (result.statusCode === 410) {
      await disableEndpoint('failed', 'the receiver answered 410 Gone');
      return 'sent';
    }

    const failingSince = await webhooks.markFailing(endpoint, at);
    if (finished.getTime() - Date.parse(failingSince) >= disableAfterFailingMs) {
      await disableEndpoint(
        'held',
        `every delivery failed for 5 days, since ${failingSince}; last: ${result.error ?? 'no answer'}`,
      );
      return 'sent';
    }

    const failures = claimed.failuresThisRound + 1;
    const delay = retryDelayMs(deps.retrySchedule, failures, deps.random);
    if (delay === undefined) {
      const reason = `no answer with 2xx after ${failures} attempts`;
      await webhooks.saveDelivery(claimed, {
        ...claimed,
        status: 'failed',
        failuresThisRound: failures,
        nextAttemptAt: undefined,
        reason,
        attempts: [...claimed.attempts, logged],
      });
      await wakeNext(endpoint.id, delivery.seq);
      return 'sent';
    }
    const nextRetryAt = iso(finished.getTime() + delay);
    await webhooks.saveDelivery(claimed, {
      ...claimed,
      failuresThisRound: failures,
      nextAttemptAt: nextRetryAt,
      attempts: [...claimed.attempts, { ...logged, nextRetryAt }],
    });
    // SQS can wait up to 15 minutes; a longer backoff is left to the sweep of the due index.
    if (delay / 1000 <= maxQueueDelaySeconds)
      await deps.queue?.enqueue([{ deliveryId: delivery.id, delaySeconds: delay / 1000 }]);
    return 'sent';
  }

  return {
    /** Sends every delivery due now (at most `limit`), a few at a time. */
    async sweep(limit = 50, parallel = 8): Promise<number> {
      const due = await webhooks.due(deps.now().toISOString(), limit);
      let sent = 0;
      for (let i = 0; i < due.length; i += parallel) {
        const results = await Promise.all(due.slice(i, i + parallel).map(attempt));
        sent += results.filter((r) => r === 'sent').length;
      }
      return sent;
    },

    /** Sends one delivery named by a queue message, if it is still due. */
    async deliverById(id: string): Promise<'sent' | 'skipped'> {
      const delivery = await webhooks.getDelivery(id);
      return delivery ? attempt(delivery) : 'skipped';
    },
  };
}
export type DeliveryWorker = ReturnType<typeof deliveryWorker>;
