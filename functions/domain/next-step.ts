/**
 * What the workflow does next for an application and, while it waits for a person, until when:
 * the next moment a deadline event falls due, so no execution wakes for nothing. Also which stage
 * an actor's inbox shows.
 */
import { type Actor, type ApprovalStage, approverRoleOf } from './actor.js';
import { workingDaysLeft } from './deadlines.js';
import { type Application, type ApplicationStatus, isFinal, type Stage } from './lifecycle.js';
import { type CityPolicy, calendarsOf } from './policy.js';
import { unitLevel } from './units.js';

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
 * The longest a wait lasts when nothing falls due: Step Functions allows far longer, but the
 * local engine's timers overflow past ≈24.8 days, and a wait this long costs one wake-up
 * (3 state transitions) per 24 days, which is nothing beside the deadlines' own.
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

/** How long the workflow waits for a person: until the next deadline event falls due, at most `longest`, at least 1 s. */
export function waitSecondsFor(
  application: Application,
  policy: CityPolicy,
  now: string,
  longest = longestWaitSeconds,
) {
  const due = nextDeadlineAt(application, policy, now);
  const seconds = due === undefined ? longest : Math.ceil((Date.parse(due) - Date.parse(now)) / 1000);
  return Math.min(Math.max(seconds, 1), Math.max(1, Math.floor(longest)));
}

/**
 * The next step with, for a wait, the seconds it lasts before the workflow routes again. What a
 * person's action releases a waiting execution with, so it need not route again first.
 */
export type RoutedStep = NextStep & { waitSeconds?: number };

export function routeOf(
  application: Application,
  policy: CityPolicy,
  now: string,
  longest = longestWaitSeconds,
): RoutedStep {
  const step = nextStep(application);
  return step.action === 'finish' ? step : { ...step, waitSeconds: waitSecondsFor(application, policy, now, longest) };
}
