/** What the workflow does next for an application, and which stage an actor's inbox shows. */
import { type Actor, type ApprovalStage, approverRoleOf } from './actor.js';
import type { Application, ApplicationStatus, Stage } from './lifecycle.js';
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
