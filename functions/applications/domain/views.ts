/**
 * How an application is shown to people: the applicant as the role may see it, no internal keys,
 * fields in reading order, its timeline. Pure, so the console types its answers by these (`…View`).
 */

import type { Actor } from '../../kernel/domain/actor.js';
import type { HistoryEvent } from '../../kernel/domain/application-events.js';
import { type CityPolicy, ineligibleReason } from '../../kernel/domain/policy.js';
import type { ProgrammeId } from '../../kernel/domain/programmes.js';
import type { CheckResult } from '../../kernel/domain/verification-results.js';
import { availableDecisions } from './decisions.js';
import type { EligibilityVerdict, Entitlement } from './eligibility-verdict.js';
import type { Application } from './lifecycle.js';
import { applicantAccess, applicantAsSeen, verificationFiguresShown } from './privacy.js';
import { verificationView } from './verification-view.js';

/**
 * Every rule's result with its reasons and figures, and the grant as the policy computes it (fen):
 * one shape for the application, the dry run and a refused resubmission.
 */
export function eligibilityView(rules: EligibilityVerdict | undefined, entitlement: Entitlement | undefined) {
  const eligibility: EligibilityVerdict = rules ?? [];
  return {
    eligible: eligibility.every((rule) => rule.passed),
    eligibility,
    ...(entitlement ? { entitlement } : {}),
  };
}
export type EligibilityView = ReturnType<typeof eligibilityView>;

/** A history as read and checked (`store.verifiedHistory`). */
export interface CheckedHistory {
  events: HistoryEvent[];
  intact: boolean;
  findings?: string[];
}

/** The answer of `POST /applications/eligibility-check`: the dry run, judged under the policy in force today. */
export type EligibilityCheck = EligibilityView & {
  programme: ProgrammeId;
  communityId: string;
  policyVersion: string;
  applicationDate: string;
  /**
   * The checks against other offices' records intake would run today, with what each mismatch
   * would do (refuse the submission, or raise a suspicion for an auditor) and what waits on data.
   */
  verification: CheckResult[];
};

/**
 * An application as the API answers it; the history (`historyIntact`, `history`…) only where the
 * answer shows the timeline (`GET /applications/{id}`, and a change's own event).
 */
export type ApplicationView = ReturnType<typeof shownApplication> & Partial<ReturnType<typeof checkedHistoryView>>;
export type HistoryEventView = ReturnType<typeof eventView>;

/**
 * The application as `actor` may see it: the applicant's fields by the role × field matrix
 * (`privacy.ts`), the rest as stored. `policy`: the version the application was submitted under
 * (it says which decisions remain).
 */
export function applicationView(
  application: Application,
  policy: CityPolicy,
  actor: Actor,
  history?: CheckedHistory,
): ApplicationView {
  const shown = shownApplication(application, policy, actor);
  return history ? { ...shown, ...checkedHistoryView(history) } : shown;
}

function shownApplication(a: Application, policy: CityPolicy, actor: Actor) {
  return {
    id: a.id,
    programme: a.programme,
    status: a.status,
    stage: a.stage,
    ...(a.returnedFrom ? { returnedFrom: a.returnedFrom } : {}),
    version: a.version,
    availableDecisions: availableDecisions(a, policy),
    // What a rejection may give, from the policy the application was submitted under (the console's list).
    ...(a.status === 'in_review'
      ? { rejectionReasons: policy.rejectionReasons.filter((r) => r.code !== ineligibleReason) }
      : {}),
    returnRound: a.returnRound,
    stageEnteredAt: a.stageEnteredAt,
    ...(a.dueAt ? { dueAt: a.dueAt } : {}),
    overdue: a.overdue,
    ...(a.escalatedTo ? { escalatedTo: a.escalatedTo } : {}),
    cityId: a.cityId,
    communityId: a.communityId,
    unitPath: a.unitPath,
    policyVersion: a.policyVersion,
    submittedBy: a.submittedBy,
    submittedAt: a.submittedAt,
    updatedAt: a.updatedAt,
    applicant: applicantAsSeen(a.applicant, applicantAccess(a, actor)),
    details: a.details,
    documents: a.documents,
    ...eligibilityView(a.eligibility, a.entitlement),
    ...(a.verification ? { verification: verificationView(a.verification, verificationFiguresShown(a, actor)) } : {}),
  };
}

function checkedHistoryView(history: CheckedHistory) {
  return {
    historyIntact: history.intact,
    ...(history.intact ? {} : { historyFindings: history.findings ?? [] }),
    history: history.events.map(eventView),
  };
}

function eventView(e: HistoryEvent) {
  return {
    seq: e.seq,
    at: e.at,
    action: e.action,
    stage: e.stage,
    actor: { sub: e.actor.sub, role: e.actor.role, unit: e.actor.unit },
    ...(e.reason ? { reason: e.reason } : {}),
    ...(e.comment ? { comment: e.comment } : {}),
    ...(e.escalatedTo ? { escalatedTo: e.escalatedTo } : {}),
    ...(e.grantedFen !== undefined ? { grantedFen: e.grantedFen } : {}),
    ...(e.suspicionId ? { suspicionId: e.suspicionId } : {}),
    status: e.status,
    stageAfter: e.stageAfter,
    version: e.version,
    hash: e.hash,
  };
}

/** One line of `POST /decisions/batch`: the application as approved, or the problem+json that refused it. */
export type BatchResult =
  | { applicationId: string; status: 200; application: ApplicationView }
  | { applicationId: string; status: number; problem: Record<string, unknown> };

/** The answer of `POST /decisions/batch`. */
export interface BatchApproval {
  succeeded: number;
  failed: number;
  results: BatchResult[];
}
