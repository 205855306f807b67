/**
 * Intake (step 1 of `lifecycle.ts`): community staff take an application in for a community of
 * their own. It is judged by the city's eligibility rules on the day: an eligible one goes to the
 * chain's first level, an ineligible one is kept, finally rejected (`ineligible`), so the figures
 * count it. `checkEligibility` is the same judgement with nothing recorded (the dry run).
 */
import type { Actor, ApprovalStage } from '../../kernel/domain/actor.js';
import { shanghaiDate } from '../../kernel/domain/dates.js';
import { ForbiddenError } from '../../kernel/domain/errors.js';
import { genesisHash } from '../../kernel/domain/history-chain.js';
import { type CityPolicy, calendarsOf, ineligibleReason } from '../../kernel/domain/policy.js';
import { type MaskedApplicant, type ProgrammeId, screenDetails } from '../../kernel/domain/programmes.js';
import type { ResidentIdFacts } from '../../kernel/domain/resident-id.js';
import { evaluateEligibility } from './eligibility.js';
import type { EligibilityOutcome } from './eligibility-verdict.js';
import { type Application, actorRef, arriveAt, record, type Transition } from './lifecycle.js';

export interface NewApplication {
  id: string;
  programme: ProgrammeId;
  communityPath: string[];
  applicant: MaskedApplicant;
  applicantKey: string;
  details: Record<string, unknown>;
  documents: { kind: string; ref: string }[];
  /** Birth date and sex read from the clear resident ID before it was masked: judged, never stored. */
  applicantFacts: ResidentIdFacts;
  /** The same, sealed: what the application keeps for judging a resubmission. */
  sealedFacts?: string;
}

/** Judges an application as it now stands under its policy, on the day it is (re)submitted. */
export function judge(
  application: Pick<Application, 'programme' | 'details' | 'documents' | 'applicant'> & {
    applicantFacts: ResidentIdFacts;
  },
  policy: CityPolicy,
  now: string,
): EligibilityOutcome {
  return evaluateEligibility(policy, {
    programme: application.programme,
    details: application.details,
    documents: application.documents,
    proofKind: application.applicant.proof.kind,
    person: application.applicantFacts,
    applicationDate: shanghaiDate(new Date(now)),
  });
}

/** An application that fails eligibility at intake is kept, finally rejected with the reason `ineligible`. */
function rejectedAsIneligible(application: Application, now: string): Application {
  return {
    ...application,
    status: 'rejected',
    returnedFrom: undefined,
    stageDaysLeft: undefined,
    ...arriveAt('community', now, undefined),
    stage: null,
  };
}

/** Only staff of the application's own community may take it in (or try it out first). */
export function assertMayTakeIn(actor: Actor, communityId: string): void {
  if (actor.role !== 'community-staff') {
    throw new ForbiddenError('only community staff take in applications');
  }
  if (actor.unit !== communityId) {
    throw new ForbiddenError(`community staff of ${actor.unit} cannot take in applications for ${communityId}`);
  }
}

/** What intake needs to judge an application, before it has an id or a person's key. */
export type ApplicationDraft = Omit<NewApplication, 'id' | 'applicantKey' | 'sealedFacts'>;
/**
 * Intake's dry run: the verdict and entitlement intake would record for this draft today, with
 * the same rules and the same scope, and nothing recorded. Clerks try a body here first, because
 * intake keeps an ineligible application, finally rejected.
 */
export function checkEligibility(
  draft: ApplicationDraft,
  actor: Actor,
  policy: CityPolicy,
  now: string,
): EligibilityOutcome {
  assertMayTakeIn(actor, draft.communityPath.at(-1) as string);
  return judge(draft, policy, now);
}

/** Community intake: only staff of the application's own community may take it in. */
export function submitApplication(input: NewApplication, actor: Actor, policy: CityPolicy, now: string): Transition {
  const communityId = input.communityPath.at(-1) as string;
  assertMayTakeIn(actor, communityId);
  const firstStage = policy.approvalChain[0] as ApprovalStage;
  const empty: Application = {
    id: input.id,
    programme: input.programme,
    cityId: input.communityPath[0] as string,
    communityId,
    unitPath: input.communityPath,
    policyVersion: policy.version,
    status: 'in_review',
    stage: 'community',
    returnRound: 0,
    version: 0,
    eventSeq: 0,
    lastEventHash: genesisHash,
    applicant: input.applicant,
    applicantKey: input.applicantKey,
    // Free text in the details is screened like a comment before it is stored.
    details: screenDetails(input.programme, input.details),
    documents: input.documents,
    submittedBy: actorRef(actor),
    submittedAt: now,
    updatedAt: now,
    stageEnteredAt: now,
    overdue: false,
    decidedBy: {},
    // Sealed when the caller sealed them (intake always does); kept in clear only by callers that
    // do not (domain tests).
    ...(input.sealedFacts ? { sealedFacts: input.sealedFacts } : { applicantFacts: input.applicantFacts }),
    eligibility: [],
  };
  // Eligibility is judged inside intake, not as a workflow state: one event, one state transition.
  const verdict = judge({ ...empty, applicantFacts: input.applicantFacts }, policy, now);
  const judged: Application = { ...empty, eligibility: verdict.rules, entitlement: verdict.entitlement };
  if (!verdict.eligible) {
    return record(
      judged,
      rejectedAsIneligible(judged, now),
      { at: now, action: 'submitted', stage: 'community', actor: actorRef(actor), reason: ineligibleReason },
      true,
    );
  }
  const next = { ...judged, ...arriveAt(firstStage, now, policy.decisionDeadlineWorkingDays, calendarsOf(policy)) };
  return record(judged, next, { at: now, action: 'submitted', stage: 'community', actor: actorRef(actor) }, true);
}
