/** Which history events are sent, as which type, and what a payload may carry. */

import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../../functions/kernel/domain/application-events.js';
import { webhookEventTypeOf, webhookPayloadOf } from '../../../functions/webhooks/domain/webhook-events.js';

const event = (fields: Partial<HistoryEvent>): HistoryEvent => ({
  seq: 2,
  at: '2026-11-28T03:00:00.000Z',
  action: 'approved',
  stage: 'street',
  actor: { sub: 'approver-gexin', role: 'street-approver', unit: 'street:gexin' },
  status: 'in_review',
  stageAfter: 'city',
  version: 2,
  prevHash: 'p',
  hash: 'h',
  ...fields,
});

describe('webhook events', () => {
  it.each([
    [{ action: 'submitted' }, 'application.submitted'],
    [{ action: 'approved', stageAfter: 'city' }, 'application.advanced'],
    [{ action: 'approved', stageAfter: null, status: 'approved' }, 'application.approved'],
    [{ action: 'rejected', stageAfter: null }, 'application.rejected'],
    [{ action: 'returned', stageAfter: 'community' }, 'application.returned'],
    [{ action: 'resubmitted' }, 'application.resubmitted'],
    [{ action: 'submitted', status: 'rejected', stageAfter: null, reason: 'ineligible' }, 'application.rejected'],
    // Only in history stored before resubmissions were refused instead: a replay still says rejected.
    [{ action: 'resubmitted', status: 'rejected', stageAfter: null, reason: 'ineligible' }, 'application.rejected'],
    [{ action: 'withdrawn', stageAfter: null }, 'application.withdrawn'],
    [{ action: 'reminded' }, undefined],
    [{ action: 'overdue' }, undefined],
    [{ action: 'rescheduled' }, undefined],
    [{ action: 'grant-suspended', stage: 'city', stageAfter: null, status: 'approved' }, 'grant.suspended'],
  ] as [Partial<HistoryEvent>, string | undefined][])('maps %o to %s', (fields, type) => {
    expect(webhookEventTypeOf(event(fields))).toBe(type);
  });

  it('sends the application id, status, stage, version and the reason or comment, and nothing about people', () => {
    const payload = webhookPayloadOf(
      'app-1',
      event({
        action: 'rejected',
        status: 'rejected',
        stageAfter: null,
        version: 3,
        reason: 'other',
        comment: '材料不全',
      }),
    );

    expect(payload).toEqual({
      type: 'application.rejected',
      timestamp: '2026-11-28T03:00:00.000Z',
      data: {
        applicationId: 'app-1',
        status: 'rejected',
        stage: null,
        version: 3,
        reason: 'other',
        comment: '材料不全',
      },
    });
    expect(JSON.stringify(payload)).not.toMatch(/approver-gexin|actor|hash/);
    expect(webhookPayloadOf('app-1', event({ action: 'overdue' }))).toBeUndefined();
  });

  it('tells of a suspension its month and reason code, never the comment naming what another office recorded', () => {
    const payload = webhookPayloadOf(
      'app-9',
      event({
        action: 'grant-suspended',
        actor: { sub: 'system', role: 'system', unit: 'system' },
        stage: 'city',
        stageAfter: null,
        status: 'approved',
        version: 3,
        reason: 'deceased',
        suspendedFrom: '2026-09',
        comment: '月度核查：本人已死亡，自 2026-09 起停发',
      }),
    );

    expect(payload).toEqual({
      type: 'grant.suspended',
      timestamp: '2026-11-28T03:00:00.000Z',
      data: {
        applicationId: 'app-9',
        status: 'approved',
        stage: null,
        version: 3,
        reason: 'deceased',
        suspendedFrom: '2026-09',
      },
    });
  });
});
