/**
 * The deadlines that run while a stage is open (step 5 of `lifecycle.ts`): a deadline recounted
 * when the holiday schedules change, a reminder before it, overdue with escalation one level up
 * the unit tree once it has passed.
 */

import { isFinal, systemActor } from '../../kernel/domain/application-events.js';
import { type CityPolicy, calendarsOf } from '../../kernel/domain/policy.js';
import { unitAtLevel } from '../../kernel/domain/units.js';
import { deadlineAfter, workingDaysLeft } from './deadlines.js';
import { type Application, record, type Transition } from './lifecycle.js';

/** The unit an overdue stage is escalated to: one level up the unit tree from the unit holding it. */
export function supervisorOf(application: Application): string | undefined {
  const stage = application.stage;
  if (!stage) return undefined;
  const holder = stage === 'community' ? application.communityId : unitAtLevel(application.unitPath, stage);
  if (!holder) return undefined;
  const index = application.unitPath.indexOf(holder);
  return index > 0 ? application.unitPath[index - 1] : undefined;
}

/**
 * The next deadline event due for the open stage, if any: the deadline moved when the holiday
 * schedules now count it differently, a reminder once few working days are left, then overdue
 * with escalation once the deadline has passed. Call again after recording one: an application
 * woken late may owe more than one.
 */
export function deadlineEvent(application: Application, policy: CityPolicy, now: string): Transition | undefined {
  const { dueAt, stage, deadlineClock } = application;
  if (!dueAt || !stage || isFinal(application.status)) return undefined;
  // Once flagged and escalated, an overdue stage stays so: the escalation has been seen.
  if (deadlineClock && !application.overdue) {
    const recounted = deadlineAfter(deadlineClock.from, deadlineClock.workingDays, calendarsOf(policy));
    if (recounted !== dueAt) {
      return record(
        application,
        { ...application, dueAt: recounted },
        {
          at: now,
          action: 'rescheduled',
          stage,
          actor: systemActor,
          comment: `due ${recounted}, was ${dueAt}: the holiday schedule changed`,
        },
        false,
      );
    }
  }
  if (!application.overdue && now > dueAt) {
    const escalatedTo = supervisorOf(application);
    return record(
      application,
      { ...application, overdue: true, escalatedTo },
      { at: now, action: 'overdue', stage, actor: systemActor, comment: `due ${dueAt}`, escalatedTo },
      false,
    );
  }
  if (
    !application.remindedAt &&
    !application.overdue &&
    workingDaysLeft(now, dueAt, calendarsOf(policy)) <= policy.reminderWorkingDaysBefore
  ) {
    return record(
      application,
      { ...application, remindedAt: now },
      { at: now, action: 'reminded', stage, actor: systemActor, comment: `due ${dueAt}` },
      false,
    );
  }
  return undefined;
}
