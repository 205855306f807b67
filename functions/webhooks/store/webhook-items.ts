/**
 * What the store keeps of webhooks, item by item: endpoints (beside their application, with a
 * pointer from their own id) and deliveries (one per endpoint and history event, under the
 * endpoint; one waiting for its next attempt carries the keys of the sparse `webhook-due` index).
 * Items read back are parsed, never cast.
 */

import * as z from 'zod/mini';
import { type Item, keys, MalformedItemError, tableDesign, toItem } from '../../kernel/store/table.js';
import type { WebhookDelivery, WebhookEndpoint } from '../domain/webhook-records.js';

const deliveryIdPattern = /^msg_([0-9a-f]{24})_(\d+)$/;
const endpointIdPattern = /^ep_([0-9a-f]{24})$/;

/** `msg_<endpoint>_<seq>`: derived from what makes a delivery unique, so a repeat creation collides. */
export function deliveryIdOf(endpointId: string, seq: number): string {
  const match = endpointIdPattern.exec(endpointId);
  if (!match) throw new Error(`not an endpoint id: ${endpointId}`);
  return `msg_${match[1]}_${seq}`;
}

export function parseDeliveryId(id: string): { endpointId: string; seq: number } | undefined {
  const match = deliveryIdPattern.exec(id);
  return match ? { endpointId: `ep_${match[1]}`, seq: Number(match[2]) } : undefined;
}

export const isEndpointId = (id: string) => endpointIdPattern.test(id);

export const { webhookDue } = tableDesign.indexes;
export const dueSortKey = (at: string, id: string) => `${at}#${id}`;
export function deliveryItem(delivery: WebhookDelivery) {
  return toItem({
    ...keys.webhookDelivery(delivery.endpointId, delivery.seq),
    type: 'webhook-delivery',
    ...delivery,
    ...(delivery.status === 'pending' && delivery.nextAttemptAt
      ? {
          [webhookDue.partitionKey]: keys.webhookDue,
          [webhookDue.sortKey]: dueSortKey(delivery.nextAttemptAt, delivery.id),
        }
      : {}),
  });
}

const endpointSchema = z.object({
  id: z.string(),
  applicationId: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  status: z.enum(['active', 'paused', 'disabled']),
  disabledReason: z.optional(z.string()),
  disabledAt: z.optional(z.string()),
  secrets: z.array(z.object({ sealed: z.string(), expiresAt: z.optional(z.string()) })),
  failingSince: z.optional(z.string()),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
});

const deliverySchema = z.object({
  id: z.string(),
  endpointId: z.string(),
  applicationId: z.string(),
  seq: z.number(),
  eventType: z.string(),
  revision: z.number(),
  body: z.string(),
  status: z.enum(['pending', 'delivered', 'failed', 'held']),
  attempts: z.array(
    z.object({
      at: z.string(),
      statusCode: z.optional(z.number()),
      durationMs: z.number(),
      error: z.optional(z.string()),
      nextRetryAt: z.optional(z.string()),
    }),
  ),
  failuresThisRound: z.number(),
  nextAttemptAt: z.optional(z.string()),
  waitingFor: z.optional(z.number()),
  reason: z.optional(z.string()),
  createdAt: z.string(),
});

// Every field is parsed: one missing from a schema would be dropped on read and lost on the next save.
const _everyEndpointField: Record<Exclude<keyof WebhookEndpoint, keyof z.output<typeof endpointSchema>>, never> = {};
const _everyDeliveryField: Record<Exclude<keyof WebhookDelivery, keyof z.output<typeof deliverySchema>>, never> = {};

/** An endpoint from its stored item, parsed (keys and bookkeeping dropped). */
export function endpointOf(item: Item): WebhookEndpoint {
  const parsed = z.safeParse(endpointSchema, item);
  if (!parsed.success) throw new MalformedItemError(`webhook endpoint ${String(item.sk)}`, parsed.error);
  return parsed.data;
}

/** A delivery from its stored item, parsed (keys and due-index keys dropped). */
export function deliveryOf(item: Item): WebhookDelivery {
  const parsed = z.safeParse(deliverySchema, item);
  if (!parsed.success) throw new MalformedItemError(`webhook delivery ${String(item.sk)}`, parsed.error);
  return parsed.data;
}
