/**
 * Which history events a receiver is told about, and what it is told. Pure: the stream consumer
 * and the tests share it. System events (reminders, overdue flags) are internal and not sent.
 */

import * as z from 'zod/mini';
import type { HistoryEvent } from '../../kernel/domain/application-events.js';
import '../../kernel/domain/validation-messages.js';

export const webhookEventTypes = [
  'application.submitted',
  'application.advanced',
  'application.returned',
  'application.resubmitted',
  'application.approved',
  'application.rejected',
  'application.withdrawn',
  'grant.suspended',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];
export const webhookEventTypeSchema = z.enum(webhookEventTypes);

export interface WebhookPayload {
  type: WebhookEventType;
  /** When the change happened (the history event's time), not when it was sent. */
  timestamp: string;
  data: {
    applicationId: string;
    status: string;
    stage: string | null;
    /** Bumped by every change: a receiver orders events by it. */
    version: number;
    reason?: string;
    comment?: string;
    /** `grant.suspended`: the first month (`YYYY-MM`) the grant no longer pays. */
    suspendedFrom?: string;
  };
}

/** The event type of a history event, or undefined for events receivers are not told about. */
export function webhookEventTypeOf(
  event: Pick<HistoryEvent, 'action' | 'stageAfter' | 'status'>,
): WebhookEventType | undefined {
  // An ineligible submission ends rejected in the same event: what the applicant needs to hear
  // is that it was rejected, and why (the payload carries reason `ineligible`). A resubmission
  // can no longer end so (it is refused with nothing recorded), but history written before that
  // holds such events, and a replayed delivery of one must still say rejected.
  if ((event.action === 'submitted' || event.action === 'resubmitted') && event.status === 'rejected')
    return 'application.rejected';
  switch (event.action) {
    case 'submitted':
      return 'application.submitted';
    case 'approved':
      // An approval that moves the application to the next level is an advance; the last one approves it.
      return event.stageAfter === null ? 'application.approved' : 'application.advanced';
    case 'rejected':
      return 'application.rejected';
    case 'returned':
      return 'application.returned';
    case 'resubmitted':
      return 'application.resubmitted';
    case 'withdrawn':
      return 'application.withdrawn';
    case 'grant-suspended':
      return 'grant.suspended';
    case 'reminded':
    case 'overdue':
    case 'rescheduled':
      return undefined;
    // An audit's suspicion is the office's own business until it decides: telling the applicant's
    // systems a flag was raised would warn the very people an audit means to check.
    case 'suspicion-raised':
    case 'suspicion-cleared':
    case 'suspicion-confirmed':
      return undefined;
  }
}

/**
 * The payload of a history event. Only fields named here leave the system: never the actor or
 * the applicant (and so never a resident ID, clear or masked).
 */
export function webhookPayloadOf(applicationId: string, event: HistoryEvent): WebhookPayload | undefined {
  const type = webhookEventTypeOf(event);
  if (!type) return undefined;
  // A suspension's reason is the check's code (`deceased`, …) and its month; its comment names what
  // another office recorded of the person (a death, a prison term), which no receiver is told.
  const suspension = type === 'grant.suspended';
  return {
    type,
    timestamp: event.at,
    data: {
      applicationId,
      status: event.status,
      stage: event.stageAfter,
      version: event.version,
      ...(event.reason ? { reason: event.reason } : {}),
      ...(suspension && event.suspendedFrom ? { suspendedFrom: event.suspendedFrom } : {}),
      ...(!suspension && event.comment ? { comment: event.comment } : {}),
    },
  };
}
