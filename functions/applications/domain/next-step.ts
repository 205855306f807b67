/**
 * What the workflow does next for an application and how long a wait for a person lasts at most;
 * the next moment a deadline event falls due (what the deadline sweep's index is keyed by); and
 * which stage an actor's inbox shows.
 */

import { type Actor, type ApprovalStage, approverRoleOf } from '../../kernel/domain/actor.js';
import type { ApplicationStatus, Stage } from '../../kernel/domain/application-events.js';
import { isFinal } from '../../kernel/domain/application-events.js';
import { type CityPolicy, calendarsOf } from '../../kernel/domain/policy.js';
import { unitLevel } from '../../kernel/domain/units.js';
import { workingDaysLeft } from './deadlines.js';
import type { Application } from './lifecycle.js';

/** What the workflow does next for an application; the state machine only follows this. */
export type NextStep =
  | { action: 'await-decision'; stage: ApprovalStage; version: number }
  | { action: 'await-resubmission'; stage: 'community'; version: number }
  | { action: 'finish'; status: ApplicationStatus; version: number };

export function nextStep(application: Application): NextStep {
  switch (application.status) {
    case 'in_review':
      return { action: 'await-decision', stage: application.stage as ApprovalStage, version: application.version };
    case 'returned':
      return { action: 'await-resubmission', stage: 'community', version: application.version };
    default:
      return { action: 'finish', status: application.status, version: application.version };
  }
}

/** The level of the unit an inbox belongs to decides which stage it shows. */
export function inboxStageOf(actor: Actor): Stage | undefined {
  const level = unitLevel(actor.unit);
  if (actor.role === 'community-staff') return 'community';
  return actor.role === approverRoleOf[level as ApprovalStage] ? (level as ApprovalStage) : undefined;
}

/**
 * The longest a wait for a person lasts: Step Functions allows far longer, but the local engine's
 * timers overflow past ≈24.8 days, and a wait this long costs one wake-up (3 state transitions)
 * per 24 days of an application left waiting.
 */
export const longestWaitSeconds = 24 * 24 * 60 * 60;

const dayMs = 24 * 60 * 60 * 1000;
const shanghaiOffsetMs = 8 * 60 * 60 * 1000;

/**
 * The next moment a deadline event falls due for the open stage, strictly after `now`: the
 * start of the Shanghai day on which the reminder is due, or the instant the deadline passes
 * (overdue and escalation). Undefined when nothing more will fall due (final, already overdue).
 * A holiday schedule or policy changed later is not foreseen: that re-routes explicitly.
 */
export function nextDeadlineAt(application: Application, policy: CityPolicy, now: string): string | undefined {
  const { dueAt, stage } = application;
  if (!dueAt || !stage || isFinal(application.status) || application.overdue) return undefined;
  const overdueAt = new Date(Date.parse(dueAt) + 1).toISOString();
  if (overdueAt <= now) return undefined;
  if (!application.remindedAt) {
    // Shanghai midnights from today's to the deadline's: the first on which few enough working days are left.
    const today = Math.floor((Date.parse(now) + shanghaiOffsetMs) / dayMs) * dayMs - shanghaiOffsetMs;
    for (let day = today; day <= Date.parse(dueAt); day += dayMs) {
      const midnight = new Date(day).toISOString();
      if (workingDaysLeft(midnight, dueAt, calendarsOf(policy)) <= policy.reminderWorkingDaysBefore)
        return midnight > now ? midnight : now < overdueAt ? nextSecond(now) : overdueAt;
    }
  }
  return overdueAt;
}

const nextSecond = (now: string) => new Date(Date.parse(now) + 1000).toISOString();

/**
 * The moment the next deadline event falls due for the open stage, whenever that is: a moment
 * already past means due now. The deadline sweep's index is keyed by it, written with every
 * change of the application, so the sweep finds each application when something falls due and
 * records it (`deadlineEvent`) without waking its execution. Undefined when nothing more will
 * fall due (final, already overdue). A holiday schedule changed later is not foreseen: that
 * routes the waiting applications again explicitly, which recounts and rewrites this moment.
 */
export function deadlineDueAt(application: Application, policy: CityPolicy): string | undefined {
  const { dueAt, stage } = application;
  if (!dueAt || !stage || isFinal(application.status) || application.overdue) return undefined;
  // Counted from the stage's start: the reminder's midnight, or the instant the deadline passes.
  return (
    nextDeadlineAt(application, policy, application.stageEnteredAt) ?? new Date(Date.parse(dueAt) + 1).toISOString()
  );
}

/**
 * The next step with, for a wait, the seconds it lasts at most: the execution waits for a person
 * only (deadline events are recorded by the sweep, not by waking it), so a wait ends when the
 * person acts, or after the longest wait as a safety net (routing again then records anything
 * the sweep missed). What a person's action releases a waiting execution with, so it need not
 * route again first.
 */
export type RoutedStep = NextStep & { waitSeconds?: number };

export function routeOf(application: Application, longest = longestWaitSeconds): RoutedStep {
  const step = nextStep(application);
  return step.action === 'finish' ? step : { ...step, waitSeconds: Math.max(1, Math.floor(longest)) };
}
