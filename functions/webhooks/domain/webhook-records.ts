/**
 * What a webhook endpoint and a delivery are: the receiver an application's events go to (with
 * its sealed secrets and state), and one event's message to it with every attempt. The store keeps
 * them (`store/webhook-items.ts`); `webhook-views.ts` says how they are shown.
 */

export type EndpointStatus = 'active' | 'paused' | 'disabled';

export interface SealedSecret {
  /** The secret, encrypted under WEBHOOK_SECRET_KEY. */
  sealed: string;
  /** A replaced secret keeps signing until then (24 h after rotation); the current one has none. */
  expiresAt?: string;
}

export interface WebhookEndpoint {
  id: string;
  applicationId: string;
  url: string;
  events: string[];
  status: EndpointStatus;
  /** Why it was disabled, for its owner. */
  disabledReason?: string;
  disabledAt?: string;
  /** Current secret first. */
  secrets: SealedSecret[];
  /** Start of the current run of failed attempts; cleared by a success. */
  failingSince?: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'held';

export interface DeliveryAttempt {
  at: string;
  statusCode?: number;
  durationMs: number;
  error?: string;
  /** When it is tried again after this attempt, if it is. */
  nextRetryAt?: string;
}

export interface WebhookDelivery {
  /** The `webhook-id`: the same on every attempt and on replay, so receivers can deduplicate. */
  id: string;
  endpointId: string;
  applicationId: string;
  /** The history event's sequence number. */
  seq: number;
  eventType: string;
  /** Bumped by every save; a save is conditional on the revision it read. */
  revision: number;
  /** The exact body sent on every attempt. */
  body: string;
  status: DeliveryStatus;
  attempts: DeliveryAttempt[];
  /** Failed attempts since it was created or last replayed: the position in the retry schedule. */
  failuresThisRound: number;
  nextAttemptAt?: string;
  /** Set while it waits behind an earlier event of the same endpoint (that event's seq). */
  waitingFor?: number;
  /** Why it stopped, when it did without success. */
  reason?: string;
  createdAt: string;
}
