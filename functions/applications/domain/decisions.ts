/**
 * An approver's decision at the open stage (step 2 of `lifecycle.ts`): approve (on to the next
 * level, or approved after the last), reject with a reason code of the city's list, or return for
 * revision while the city's cap on rounds allows. Segregation of duties is checked here, and what
 * the checks against other offices' records hold (`verification-hold.ts`).
 */
import * as z from 'zod/mini';
import { type Actor, type ApprovalStage, approverRoleOf } from '../../kernel/domain/actor.js';
import { ForbiddenError, InvalidRequestError } from '../../kernel/domain/errors.js';
import { type CityPolicy, calendarsOf } from '../../kernel/domain/policy.js';
import { unitAtLevel } from '../../kernel/domain/units.js';
import { workingDaysLeft } from './deadlines.js';
import {
  type Application,
  actorRef,
  arriveAt,
  assertExpectedVersion,
  assertInScope,
  comment,
  expectedVersion,
  notAwaiting,
  record,
  type Transition,
} from './lifecycle.js';
import { assertNotHeldForApproval, assertNotHeldForReturn, assertRejectionReasonFits } from './verification-hold.js';

/** The decisions the open stage offers: return disappears once the city's cap on rounds is reached. */
export function availableDecisions(application: Application, policy: CityPolicy): DecisionKind[] {
  if (application.status !== 'in_review') return [];
  const offered: DecisionKind[] =
    application.returnRound < policy.maxReturnRounds ? ['approve', 'reject', 'return'] : ['approve', 'reject'];
  // What the checks hold is not offered: the guard would refuse it anyway.
  return offered.filter((kind) => !heldByVerification(application, kind));
}

function heldByVerification(application: Application, kind: DecisionKind): boolean {
  try {
    if (kind === 'approve') assertNotHeldForApproval(application);
    if (kind === 'return') assertNotHeldForReturn(application);
    return false;
  } catch {
    return true;
  }
}

/**
 * Segregation of duties: the open stage's approver, for the unit above the community at that
 * level, who neither took the application in nor decided it at another level.
 */
function assertMayDecide(application: Application, actor: Actor): ApprovalStage {
  const stage = application.stage as ApprovalStage;
  if (actor.role !== approverRoleOf[stage] || unitAtLevel(application.unitPath, stage) !== actor.unit) {
    throw new ForbiddenError(
      `application ${application.id} awaits the ${stage} decision; ${actor.role} of ${actor.unit} cannot give it`,
    );
  }
  if (application.submittedBy.sub === actor.sub) {
    throw new ForbiddenError('the person who took the application in cannot decide it');
  }
  const otherLevel = (Object.entries(application.decidedBy) as [ApprovalStage, string][]).find(
    ([level, sub]) => level !== stage && sub === actor.sub,
  );
  if (otherLevel) {
    throw new ForbiddenError(`${actor.sub} already decided this application at the ${otherLevel[0]} level`);
  }
  return stage;
}

/** A decision by the approver of the open stage; anyone else is refused before anything changes. */
export function decide(
  application: Application,
  decision: Decision,
  actor: Actor,
  policy: CityPolicy,
  now: string,
): Transition {
  // Scope before role: out of scope is answered as a nonexistent id, whatever the role.
  assertInScope(application, actor);
  if (!(Object.values(approverRoleOf) as string[]).includes(actor.role)) {
    throw new ForbiddenError(`the ${actor.role} role does not decide applications`);
  }
  assertExpectedVersion(application, decision.expectedVersion);
  if (application.status !== 'in_review') throw notAwaiting(application, 'awaiting a decision');
  const stage = assertMayDecide(application, actor);
  const decidedBy = { ...application.decidedBy, [stage]: actor.sub };
  const content = { at: now, stage, actor: actorRef(actor), comment: decision.comment };

  switch (decision.decision) {
    case 'approve': {
      assertNotHeldForApproval(application);
      const following = policy.approvalChain[policy.approvalChain.indexOf(stage) + 1];
      const next: Application = following
        ? {
            ...application,
            decidedBy,
            ...arriveAt(following, now, policy.decisionDeadlineWorkingDays, calendarsOf(policy)),
          }
        : { ...application, decidedBy, status: 'approved', ...arriveAt(stage, now, undefined), stage: null };
      // The final approval carries the amount granted, as the policy computed it at (re)submission.
      const granted =
        following || application.entitlement === undefined ? {} : { grantedFen: application.entitlement.grantedFen };
      return record(application, next, { ...content, action: 'approved', ...granted }, true);
    }
    case 'reject': {
      const reason = policy.rejectionReasons.find((r) => r.code === decision.reason);
      if (!reason) {
        throw new InvalidRequestError('not a rejection reason of this city', [
          { field: 'reason', message: `must be one of ${policy.rejectionReasons.map((r) => r.code).join(', ')}` },
        ]);
      }
      assertRejectionReasonFits(application, reason.code);
      if (reason.needsComment && !decision.comment) {
        throw new InvalidRequestError('this reason needs an explanation', [
          { field: 'comment', message: `required with reason ${reason.code}` },
        ]);
      }
      const next: Application = {
        ...application,
        decidedBy,
        status: 'rejected',
        ...arriveAt(stage, now, undefined),
        stage: null,
      };
      return record(application, next, { ...content, action: 'rejected', reason: reason.code }, true);
    }
    case 'return': {
      assertNotHeldForReturn(application);
      if (!availableDecisions(application, policy).includes('return')) {
        throw new InvalidRequestError(`return is no longer offered: the city allows ${policy.maxReturnRounds} rounds`, [
          { field: 'decision', message: 'return rounds exhausted; approve or reject' },
        ]);
      }
      const next: Application = {
        ...application,
        decidedBy,
        status: 'returned',
        returnedFrom: stage,
        returnRound: application.returnRound + 1,
        stageDaysLeft: workingDaysLeft(now, application.dueAt ?? now, calendarsOf(policy)),
        ...arriveAt('community', now, policy.resubmissionDeadlineWorkingDays, calendarsOf(policy)),
      };
      return record(application, next, { ...content, action: 'returned' }, true);
    }
  }
}

/** The body of a decision: approve, reject with a reason code of the city's list, or return with a comment. */
export const decisionSchema = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('approve'), expectedVersion, comment: z.optional(comment) }),
  z.object({
    decision: z.literal('reject'),
    expectedVersion,
    reason: z.string().check(z.trim(), z.minLength(1), z.maxLength(64)),
    comment: z.optional(comment),
  }),
  z.object({ decision: z.literal('return'), expectedVersion, comment }),
]);
export type Decision = z.infer<typeof decisionSchema>;
export type DecisionKind = Decision['decision'];
