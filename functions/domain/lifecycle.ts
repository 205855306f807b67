/**
 * The life of one application: intake, a decision at each level of the city's approval chain,
 * return for revision and resubmission, withdrawal, and the deadlines that run meanwhile. Every
 * function here is pure: it takes the application as stored and answers the application as it
 * must be stored next, with the history event that says why.
 *
 * 1. Community staff submit for a community of their own → in review at the chain's first level.
 * 2. The approver of the open stage, for a unit above the community, approves (→ next level, or
 *    approved after the last), rejects with a reason from the city's list, or returns with a
 *    comment (while the city's cap on return rounds allows).
 * 3. A returned application waits with the community, its stage clock paused; resubmission
 *    sends it back to the level that returned it with the working days it had left.
 * 4. Community staff may withdraw it until it is finally decided.
 * 5. Each stage has a deadline in working days: a reminder before it, and when it passes the
 *    application is flagged overdue and escalated one level up the unit tree.
 */
import * as z from 'zod/mini';
import './validation-messages.js';
import { approverRoleOf, type Actor, type ApprovalStage } from './actor.js';
import { shanghaiDate } from './dates.js';
import { deadlineAfter, workingDaysLeft } from './deadlines.js';
import { ConflictError, ForbiddenError, InvalidRequestError } from './errors.js';
import { chainEvent, genesisHash, type Chained } from './history.js';
import {
  evaluateEligibility,
  type EligibilityOutcome,
  type EligibilityVerdict,
  type Entitlement,
} from './eligibility.js';
import { ineligibleReason, type CityPolicy } from './policy.js';
import type { ProgrammeId } from './programmes.js';
import type { ResidentIdFacts } from './residentId.js';
import { unitAtLevel, unitCovers, unitLevel } from './units.js';

export type ApplicationStatus = 'in_review' | 'returned' | 'approved' | 'rejected' | 'withdrawn';
/** Where the application waits: with an approval level, or back with the community. */
export type Stage = ApprovalStage | 'community';

export interface MaskedApplicant {
  name: string;
  /** Masked for display; the clear number is never stored. */
  idNumber: string;
  phone: string;
  proof: { kind: string; number: string };
  household?: { kind: string; registeredIn: string };
}

export interface ActorRef {
  sub: string;
  role: string;
  unit: string;
}

export const systemActor: ActorRef = { sub: 'system', role: 'system', unit: 'system' };

export interface Application {
  id: string;
  programme: ProgrammeId;
  cityId: string;
  communityId: string;
  /** Unit ids from the city down to the community; scope checks read it. */
  unitPath: string[];
  policyVersion: string;
  status: ApplicationStatus;
  /** Null once the application is finally decided. */
  stage: Stage | null;
  /** The level that returned it, while it is returned. */
  returnedFrom?: ApprovalStage;
  /** How many times it has been returned for revision. */
  returnRound: number;
  /** Optimistic-concurrency version: bumped by every change a person makes. */
  version: number;
  /** Sequence number and hash of the last history event, which the next one chains from. */
  eventSeq: number;
  lastEventHash: string;
  applicant: MaskedApplicant;
  /** Keyed hash of the resident ID: finds a person's applications without storing the number. */
  applicantKey: string;
  details: Record<string, unknown>;
  documents: { kind: string; ref: string }[];
  submittedBy: ActorRef;
  submittedAt: string;
  updatedAt: string;
  /** When the application reached the stage it waits at. */
  stageEnteredAt: string;
  /** When the open stage must be acted on; absent once final. */
  dueAt?: string;
  /**
   * What `dueAt` was counted from: it is counted again from here whenever the application is
   * routed, so a holiday schedule added later moves deadlines that were counted without it.
   */
  deadlineClock?: DeadlineClock;
  /** Working days the approval stage had left when it was returned; its clock resumes from here. */
  stageDaysLeft?: number;
  remindedAt?: string;
  overdue: boolean;
  /** The unit one level up that an overdue stage was escalated to. */
  escalatedTo?: string;
  /** Who decided at each level; one person may not decide at two. */
  decidedBy: Partial<Record<ApprovalStage, string>>;
  /**
   * Birth date and sex as the resident ID encodes them: eligibility is judged on them again at
   * resubmission, when the clear ID is no longer at hand.
   */
  applicantFacts: ResidentIdFacts;
  /** Every eligibility rule's result at the last (re)submission. */
  eligibility: EligibilityVerdict;
  /** The grant as the policy computes it; present while the application is eligible. */
  entitlement?: Entitlement;
}

export type HistoryAction =
  | 'submitted'
  | 'approved'
  | 'rejected'
  | 'returned'
  | 'resubmitted'
  | 'withdrawn'
  | 'reminded'
  | 'overdue'
  | 'rescheduled';

export interface HistoryEvent extends Chained {
  seq: number;
  at: string;
  action: HistoryAction;
  /** The stage the application was at when this happened. */
  stage: Stage;
  actor: ActorRef;
  reason?: string;
  comment?: string;
  /** For an overdue stage: the unit it was escalated to. */
  escalatedTo?: string;
  /** On the final approval: the amount granted under the application's policy (integer fen). */
  grantedFen?: number;
  /** Status, stage and version right after the event. */
  status: ApplicationStatus;
  stageAfter: Stage | null;
  version: number;
}

export interface Transition {
  application: Application;
  event: HistoryEvent;
}

const expectedVersion = z.number().check(z.int(), z.minimum(1));
const comment = z.string().check(z.trim(), z.minLength(1), z.maxLength(2000));

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

export const withdrawalSchema = z.object({ expectedVersion, comment: z.optional(comment) });
export type Withdrawal = z.infer<typeof withdrawalSchema>;

function actorRef(actor: Actor): ActorRef {
  return { sub: actor.sub, role: actor.role, unit: actor.unit };
}

type EventContent = Omit<HistoryEvent, 'seq' | 'prevHash' | 'hash' | 'version' | 'status' | 'stageAfter'>;

/**
 * Records a change: the next application (version bumped when a person changed it) and the
 * event sealed onto the history chain.
 */
function record(previous: Application, next: Application, content: EventContent, byPerson: boolean): Transition {
  const seq = previous.eventSeq + 1;
  const version = byPerson ? previous.version + 1 : previous.version;
  const event = chainEvent(
    { ...content, seq, status: next.status, stageAfter: next.stage, version } as Omit<
      HistoryEvent,
      'prevHash' | 'hash'
    >,
    previous.lastEventHash,
  );
  return {
    application: {
      ...next,
      version,
      eventSeq: seq,
      lastEventHash: event.hash,
      updatedAt: byPerson ? content.at : next.updatedAt,
    },
    event,
  };
}

/** A stage's deadline as counted: this many working days after this instant. */
export interface DeadlineClock {
  from: string;
  workingDays: number;
}

/**
 * What a stage looks like when an application arrives at it: a fresh clock of `workingDays`
 * (none for a final status), nothing flagged.
 */
function arriveAt(stage: Stage, now: string, workingDays: number | undefined) {
  const deadlineClock = workingDays === undefined ? undefined : { from: now, workingDays };
  const dueAt = deadlineClock && deadlineAfter(deadlineClock.from, deadlineClock.workingDays);
  return {
    stage,
    stageEnteredAt: now,
    dueAt,
    deadlineClock,
    remindedAt: undefined,
    overdue: false,
    escalatedTo: undefined,
  };
}

export interface NewApplication {
  id: string;
  programme: ProgrammeId;
  communityPath: string[];
  applicant: MaskedApplicant;
  applicantKey: string;
  details: Record<string, unknown>;
  documents: { kind: string; ref: string }[];
  /** Birth date and sex read from the clear resident ID before it was masked. */
  applicantFacts: ResidentIdFacts;
}

/** Judges an application as it now stands under its policy, on the day it is (re)submitted. */
function judge(
  application: Pick<Application, 'programme' | 'details' | 'documents' | 'applicant' | 'applicantFacts'>,
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

/** An application that fails eligibility is kept, finally rejected with the reason `ineligible`. */
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

/** Community intake: only staff of the application's own community may take it in. */
export function submitApplication(input: NewApplication, actor: Actor, policy: CityPolicy, now: string): Transition {
  const communityId = input.communityPath.at(-1) as string;
  if (actor.role !== 'community-staff') {
    throw new ForbiddenError('only community staff take in applications');
  }
  if (actor.unit !== communityId) {
    throw new ForbiddenError(`community staff of ${actor.unit} cannot take in applications for ${communityId}`);
  }
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
    details: input.details,
    documents: input.documents,
    submittedBy: actorRef(actor),
    submittedAt: now,
    updatedAt: now,
    stageEnteredAt: now,
    overdue: false,
    decidedBy: {},
    applicantFacts: input.applicantFacts,
    eligibility: [],
  };
  // Eligibility is judged inside intake, not as a workflow state: one event, one state transition.
  const verdict = judge(empty, policy, now);
  const judged: Application = { ...empty, eligibility: verdict.rules, entitlement: verdict.entitlement };
  if (!verdict.eligible) {
    return record(
      judged,
      rejectedAsIneligible(judged, now),
      { at: now, action: 'submitted', stage: 'community', actor: actorRef(actor), reason: ineligibleReason },
      true,
    );
  }
  const next = { ...judged, ...arriveAt(firstStage, now, policy.decisionDeadlineWorkingDays) };
  return record(judged, next, { at: now, action: 'submitted', stage: 'community', actor: actorRef(actor) }, true);
}

/** Throws unless the actor's unit lies on the application's path (its own unit's subtree). */
export function assertInScope(application: Application, actor: Actor): void {
  if (!unitCovers(actor.unit, application.unitPath)) {
    throw new ForbiddenError(`${actor.unit} is outside the units responsible for application ${application.id}`);
  }
}

function assertExpectedVersion(application: Application, expected: number): void {
  if (expected !== application.version) {
    throw new ConflictError(
      `application ${application.id} is at version ${application.version}, not ${expected}: reload it and decide again`,
      { currentVersion: application.version, currentStatus: application.status, currentStage: application.stage },
    );
  }
}

function notAwaiting(application: Application, what: string): ConflictError {
  return new ConflictError(`application ${application.id} is ${application.status}, not ${what}`, {
    currentVersion: application.version,
    currentStatus: application.status,
    currentStage: application.stage,
  });
}

/** The decisions the open stage offers: return disappears once the city's cap on rounds is reached. */
export function availableDecisions(application: Application, policy: CityPolicy): DecisionKind[] {
  if (application.status !== 'in_review') return [];
  return application.returnRound < policy.maxReturnRounds ? ['approve', 'reject', 'return'] : ['approve', 'reject'];
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
  if (!(Object.values(approverRoleOf) as string[]).includes(actor.role)) {
    throw new ForbiddenError(`the ${actor.role} role does not decide applications`);
  }
  assertInScope(application, actor);
  assertExpectedVersion(application, decision.expectedVersion);
  if (application.status !== 'in_review') throw notAwaiting(application, 'awaiting a decision');
  const stage = assertMayDecide(application, actor);
  const decidedBy = { ...application.decidedBy, [stage]: actor.sub };
  const content = { at: now, stage, actor: actorRef(actor), comment: decision.comment };

  switch (decision.decision) {
    case 'approve': {
      const following = policy.approvalChain[policy.approvalChain.indexOf(stage) + 1];
      const next: Application = following
        ? { ...application, decidedBy, ...arriveAt(following, now, policy.decisionDeadlineWorkingDays) }
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
        stageDaysLeft: workingDaysLeft(now, application.dueAt ?? now),
        ...arriveAt('community', now, policy.resubmissionDeadlineWorkingDays),
      };
      return record(application, next, { ...content, action: 'returned' }, true);
    }
  }
}

export interface Corrections {
  expectedVersion: number;
  applicant?: MaskedApplicant;
  applicantKey?: string;
  /** Birth date and sex of a corrected applicant's resident ID; required with `applicant`. */
  applicantFacts?: ResidentIdFacts;
  details?: Record<string, unknown>;
  documents?: { kind: string; ref: string }[];
  comment?: string;
}

function assertCommunityStaff(application: Application, actor: Actor, action: string): void {
  if (actor.role !== 'community-staff' || actor.unit !== application.communityId) {
    throw new ForbiddenError(`only staff of ${application.communityId} ${action} this application`);
  }
}

/** Community staff send a returned application back to the level that returned it, its clock resumed. */
export function resubmit(
  application: Application,
  corrections: Corrections,
  actor: Actor,
  policy: CityPolicy,
  now: string,
): Transition {
  assertCommunityStaff(application, actor, 'resubmit');
  assertExpectedVersion(application, corrections.expectedVersion);
  if (application.status !== 'returned' || !application.returnedFrom)
    throw notAwaiting(application, 'returned for revision');
  if (corrections.applicant && (!corrections.applicantKey || !corrections.applicantFacts)) {
    throw new InvalidRequestError('a corrected applicant needs its resident ID key and facts');
  }
  const stage = application.returnedFrom;
  // A stage returned on its last day still gets one working day to decide the corrected application.
  const daysLeft = Math.max(application.stageDaysLeft ?? policy.decisionDeadlineWorkingDays, 1);
  const corrected: Application = {
    ...application,
    applicant: corrections.applicant ?? application.applicant,
    applicantKey: corrections.applicantKey ?? application.applicantKey,
    applicantFacts: corrections.applicantFacts ?? application.applicantFacts,
    details: corrections.details ?? application.details,
    documents: corrections.documents ?? application.documents,
  };
  // Judged again, under the policy version it was submitted under, on the day of resubmission.
  // One taken in before eligibility existed has no facts to judge by: it goes on unjudged.
  const verdict: EligibilityOutcome = corrected.applicantFacts
    ? judge(corrected, policy, now)
    : { eligible: true, rules: corrected.eligibility ?? [], entitlement: corrected.entitlement };
  const judged: Application = { ...corrected, eligibility: verdict.rules, entitlement: verdict.entitlement };
  const content = {
    at: now,
    action: 'resubmitted' as const,
    stage: 'community' as const,
    actor: actorRef(actor),
    comment: corrections.comment,
  };
  if (!verdict.eligible)
    return record(application, rejectedAsIneligible(judged, now), { ...content, reason: ineligibleReason }, true);
  const next: Application = {
    ...judged,
    status: 'in_review',
    returnedFrom: undefined,
    stageDaysLeft: undefined,
    ...arriveAt(stage, now, daysLeft),
  };
  return record(application, next, content, true);
}

/** Community staff withdraw an application that is not finally decided. */
export function withdraw(application: Application, withdrawal: Withdrawal, actor: Actor, now: string): Transition {
  assertCommunityStaff(application, actor, 'withdraw');
  assertExpectedVersion(application, withdrawal.expectedVersion);
  if (isFinal(application.status)) throw notAwaiting(application, 'open: it is finally decided');
  const stage = application.stage as Stage;
  const next: Application = {
    ...application,
    status: 'withdrawn',
    returnedFrom: undefined,
    stageDaysLeft: undefined,
    ...arriveAt(stage, now, undefined),
    stage: null,
  };
  return record(
    application,
    next,
    { at: now, action: 'withdrawn', stage, actor: actorRef(actor), comment: withdrawal.comment },
    true,
  );
}

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
    const recounted = deadlineAfter(deadlineClock.from, deadlineClock.workingDays);
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
    workingDaysLeft(now, dueAt) <= policy.reminderWorkingDaysBefore
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
      if (workingDaysLeft(midnight, dueAt) <= policy.reminderWorkingDaysBefore)
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

export function isFinal(status: ApplicationStatus): boolean {
  return status === 'approved' || status === 'rejected' || status === 'withdrawn';
}

/** The level of the unit an inbox belongs to decides which stage it shows. */
export function inboxStageOf(actor: Actor): Stage | undefined {
  const level = unitLevel(actor.unit);
  if (actor.role === 'community-staff') return 'community';
  return actor.role === approverRoleOf[level as ApprovalStage] ? (level as ApprovalStage) : undefined;
}
