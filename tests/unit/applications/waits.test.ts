/**
 * When the next deadline event falls due, as `deadlineEvent` would record it (what the deadline
 * sweep's index is keyed by), and how long the workflow waits for a person: the longest wait.
 */
import { describe, expect, it } from 'vitest';
import { deadlineEvent } from '../../../functions/applications/domain/deadline-events.js';
import type { Application } from '../../../functions/applications/domain/lifecycle.js';
import {
  deadlineDueAt,
  longestWaitSeconds,
  nextDeadlineAt,
  routeOf,
} from '../../../functions/applications/domain/next-step.js';
import { policyInForce } from '../../../functions/kernel/domain/policies/index.js';
import type { CityPolicy } from '../../../functions/kernel/domain/policy.js';
import { takenIn } from '../../../tools/support/fixtures.js';

const policy = policyInForce('city:shijiazhuang', '2026-11-28') as CityPolicy;
const t0 = '2026-11-28T02:00:00.000Z'; // Saturday 28 November, 10:00 Shanghai

function submitted(): Application {
  return takenIn('app-w', policy, t0, 'k').application;
}

describe('the next moment a deadline event falls due', () => {
  it('is the reminder day, then the deadline, then never', () => {
    const app = submitted(); // due Friday 11 December, end of day Shanghai
    expect(app.dueAt).toBe('2026-12-11T15:59:59.999Z');

    const reminderAt = nextDeadlineAt(app, policy, t0);
    // Wednesday 9 December 00:00 Shanghai: 2 working days left.
    expect(reminderAt).toBe('2026-12-08T16:00:00.000Z');
    expect(deadlineEvent(app, policy, new Date(Date.parse(reminderAt!) - 1).toISOString())).toBeUndefined();
    const reminded = deadlineEvent(app, policy, reminderAt!)!.application;
    expect(reminded.remindedAt).toBe(reminderAt);

    const overdueAt = nextDeadlineAt(reminded, policy, reminderAt!);
    expect(overdueAt).toBe('2026-12-11T16:00:00.000Z');
    expect(deadlineEvent(reminded, policy, app.dueAt!)).toBeUndefined();
    const overdue = deadlineEvent(reminded, policy, overdueAt!)!.application;
    expect(overdue.overdue).toBe(true);

    expect(nextDeadlineAt(overdue, policy, overdueAt!)).toBeUndefined();
  });

  it("keys the sweep's index by the same moments, whenever it is asked", () => {
    const app = submitted();
    expect(deadlineDueAt(app, policy)).toBe('2026-12-08T16:00:00.000Z');
    const reminded = deadlineEvent(app, policy, '2026-12-08T16:00:00.000Z')!.application;
    expect(deadlineDueAt(reminded, policy)).toBe('2026-12-11T16:00:00.000Z');
    const overdue = deadlineEvent(reminded, policy, '2026-12-11T16:00:00.000Z')!.application;
    expect(deadlineDueAt(overdue, policy)).toBeUndefined();
    // Not reminded though the reminder day has passed (a sweep missed it): due at once, then overdue.
    const late = deadlineEvent(app, policy, '2026-12-12T02:00:00.000Z')!.application;
    expect(late.overdue).toBe(true);
    expect(deadlineDueAt({ ...app, remindedAt: undefined }, policy)! < '2026-12-12T02:00:00.000Z').toBe(true);
  });
});

describe('the wait for a person', () => {
  it('lasts the longest wait allowed, in whole seconds, at least one: deadlines do not wake it', () => {
    const app = submitted();
    expect(routeOf(app)).toEqual({
      action: 'await-decision',
      stage: 'street',
      version: 1,
      waitSeconds: longestWaitSeconds,
    });
    expect(routeOf(app, 3600.5)).toMatchObject({ waitSeconds: 3600 });
    expect(routeOf(app, 0)).toMatchObject({ waitSeconds: 1 });
  });
});
