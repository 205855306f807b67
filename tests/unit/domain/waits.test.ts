/** How long the workflow waits: until the next deadline event falls due, as `deadlineEvent` would record it. */
import { describe, expect, it } from 'vitest';
import { deadlineEvent } from '../../../functions/domain/deadline-events.js';
import type { Application } from '../../../functions/domain/lifecycle.js';
import { longestWaitSeconds, nextDeadlineAt, routeOf, waitSecondsFor } from '../../../functions/domain/next-step.js';
import { policyInForce } from '../../../functions/domain/policies/index.js';
import type { CityPolicy } from '../../../functions/domain/policy.js';
import { takenIn } from '../../support/fixtures.js';

const policy = policyInForce('city:shijiazhuang', '2026-11-28') as CityPolicy;
const t0 = '2026-11-28T02:00:00.000Z'; // Saturday 28 November, 10:00 Shanghai

function submitted(): Application {
  return takenIn('app-w', policy, t0, 'k').application;
}

describe('the wait until something is due', () => {
  it('ends at the reminder day, then at the deadline, then never (the longest wait)', () => {
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
    expect(waitSecondsFor(overdue, policy, overdueAt!)).toBe(longestWaitSeconds);
  });

  it('answers whole seconds, at least one, at most the longest wait allowed', () => {
    const app = submitted();
    expect(waitSecondsFor(app, policy, t0)).toBe((Date.parse('2026-12-08T16:00:00.000Z') - Date.parse(t0)) / 1000);
    expect(waitSecondsFor(app, policy, t0, 3600)).toBe(3600);
    expect(routeOf(app, policy, t0)).toMatchObject({ action: 'await-decision', stage: 'street', version: 1 });
    // A reminder already due (routing records it first): wake again at once.
    expect(waitSecondsFor(app, policy, '2026-12-10T02:00:00.000Z')).toBe(1);
  });
});
