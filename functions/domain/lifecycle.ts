/**
 * The life of one application: intake, a decision at each level of the city's approval chain,
 * return for revision and resubmission. Every function here is pure: it takes the application
 * as stored and answers the application as it must be stored next, with the event that says why.
 *
 * 1. Community staff submit for a community of their own → in review at the chain's first level.
 * 2. The approver of the open stage, for a unit above the community, approves (→ next level, or
 *    approved after the last), rejects with a reason, or returns with a comment.
 * 3. A returned application waits with the community; resubmission sends it back to the level
 *    that returned it.
 */
import { z } from 'zod';
import { approverRoleOf, type Actor, type ApprovalStage } from './actor.js';
import { ConflictError, ForbiddenError, InvalidRequestError } from './errors.js';
import type { CityPolicy } from './policy.js';
import type { ProgrammeId } from './programmes.js';
import { unitAtLevel, unitCovers } from './units.js';

export type ApplicationStatus = 'in_review' | 'returned' | 'approved' | 'rejected' | 'withdrawn';
/** Where the application waits: with an approval level, or back with the community. */
export type Stage = ApprovalStage | 'community';

export interface MaskedApplicant {
  name: string;
  /** Masked for display; the clear number is never stored. */
  idNumber: string;
  phone: string;
  proof: { kind: string; number: string };
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
  /** Sequence number of the last history event. */
  eventSeq: number;
  applicant: MaskedApplicant;
  /** Keyed hash of the resident ID: finds a person's applications without storing the number. */
  applicantKey: string;
  details: Record<string, unknown>;
  documents: { kind: string; ref: string }[];
  submittedBy: ActorRef;
  submittedAt: string;
  updatedAt: string;
  /** When the open stage must be acted on; absent once final. */
  dueAt?: string;
  overdue: boolean;
}

export type HistoryAction = 'submitted' | 'approved' | 'rejected' | 'returned' | 'resubmitted' | 'overdue';

export interface HistoryEvent {
  seq: number;
  at: string;
  action: HistoryAction;
  /** The stage the application was at when this happened. */
  stage: Stage;
  actor: ActorRef;
  reason?: string;
  comment?: string;
  /** Status, stage and version right after the event. */
  status: ApplicationStatus;
  stageAfter: Stage | null;
  version: number;
}

export interface Transition {
  application: Application;
  event: HistoryEvent;
}

const expectedVersion = z.number().int().min(1);
const comment = z.string().trim().min(1).max(2000);

/** The body of a decision: approve, reject with a reason, or return with a comment. */
export const decisionSchema = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('approve'), expectedVersion, comment: comment.optional() }),
  z.object({ decision: z.literal('reject'), expectedVersion, reason: z.string().trim().min(1).max(500), comment: comment.optional() }),
  z.object({ decision: z.literal('return'), expectedVersion, comment }),
]);
export type Decision = z.infer<typeof decisionSchema>;

const dayMs = 24 * 60 * 60 * 1000;

function dueAfter(now: string, days: number): string {
  return new Date(Date.parse(now) + days * dayMs).toISOString();
}

function actorRef(actor: Actor): ActorRef {
  return { sub: actor.sub, role: actor.role, unit: actor.unit };
}

export interface NewApplication {
  id: string;
  programme: ProgrammeId;
  communityPath: string[];
  applicant: MaskedApplicant;
  applicantKey: string;
  details: Record<string, unknown>;
  documents: { kind: string; ref: string }[];
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
  const application: Application = {
    id: input.id,
    programme: input.programme,
    cityId: input.communityPath[0] as string,
    communityId,
    unitPath: input.communityPath,
    policyVersion: policy.version,
    status: 'in_review',
    stage: firstStage,
    returnRound: 0,
    version: 1,
    eventSeq: 1,
    applicant: input.applicant,
    applicantKey: input.applicantKey,
    details: input.details,
    documents: input.documents,
    submittedBy: actorRef(actor),
    submittedAt: now,
    updatedAt: now,
    dueAt: dueAfter(now, policy.decisionDeadlineDays),
    overdue: false,
  };
  return {
    application,
    event: {
      seq: 1,
      at: now,
      action: 'submitted',
      stage: 'community',
      actor: actorRef(actor),
      status: 'in_review',
      stageAfter: firstStage,
      version: 1,
    },
  };
}

/** Throws unless the actor's unit lies on the application's path (its own unit's subtree). */
export function assertInScope(application: Application, actor: Actor): void {
  if (!unitCovers(actor.unit, application.unitPath)) {
    throw new ForbiddenError(`${actor.unit} is outside the units responsible for application ${application.id}`);
  }
}

function assertExpectedVersion(application: Application, expectedVersion: number): void {
  if (expectedVersion !== application.version) {
    throw new ConflictError(
      `application ${application.id} is at version ${application.version}, not ${expectedVersion}: reload it and decide again`,
      { currentVersion: application.version, currentStatus: application.status, currentStage: application.stage },
    );
  }
}

/** A decision by the approver of the open stage; anyone else is refused before anything changes. */
export function decide(application: Application, decision: Decision, actor: Actor, policy: CityPolicy, now: string): Transition {
  if (!(Object.values(approverRoleOf) as string[]).includes(actor.role)) {
    throw new ForbiddenError(`the ${actor.role} role does not decide applications`);
  }
  assertInScope(application, actor);
  assertExpectedVersion(application, decision.expectedVersion);
  if (application.status !== 'in_review') {
    throw new ConflictError(`application ${application.id} is ${application.status}, not awaiting a decision`, {
      currentVersion: application.version,
      currentStatus: application.status,
      currentStage: application.stage,
    });
  }
  const stage = application.stage as ApprovalStage;
  if (actor.role !== approverRoleOf[stage] || unitAtLevel(application.unitPath, stage) !== actor.unit) {
    throw new ForbiddenError(`application ${application.id} awaits the ${stage} decision; ${actor.role} of ${actor.unit} cannot give it`);
  }

  const version = application.version + 1;
  const seq = application.eventSeq + 1;
  const base = { seq, at: now, stage, actor: actorRef(actor), version, comment: decision.comment };
  let next: Application;
  let event: HistoryEvent;
  switch (decision.decision) {
    case 'approve': {
      const following = policy.approvalChain[policy.approvalChain.indexOf(stage) + 1];
      next = following
        ? { ...application, stage: following, dueAt: dueAfter(now, policy.decisionDeadlineDays) }
        : { ...application, status: 'approved', stage: null, dueAt: undefined };
      event = { ...base, action: 'approved', status: next.status, stageAfter: next.stage };
      break;
    }
    case 'reject':
      next = { ...application, status: 'rejected', stage: null, dueAt: undefined };
      event = { ...base, action: 'rejected', reason: decision.reason, status: 'rejected', stageAfter: null };
      break;
    case 'return':
      next = {
        ...application,
        status: 'returned',
        stage: 'community',
        returnedFrom: stage,
        returnRound: application.returnRound + 1,
        dueAt: dueAfter(now, policy.resubmissionDeadlineDays),
      };
      event = { ...base, action: 'returned', status: 'returned', stageAfter: 'community' };
      break;
  }
  return { application: { ...next, version, eventSeq: seq, updatedAt: now, overdue: false }, event };
}

export interface Corrections {
  expectedVersion: number;
  applicant?: MaskedApplicant;
  applicantKey?: string;
  details?: Record<string, unknown>;
  documents?: { kind: string; ref: string }[];
  comment?: string;
}

/** Community staff send a returned application back to the level that returned it. */
export function resubmit(application: Application, corrections: Corrections, actor: Actor, policy: CityPolicy, now: string): Transition {
  if (actor.role !== 'community-staff' || actor.unit !== application.communityId) {
    throw new ForbiddenError(`only staff of ${application.communityId} resubmit this application`);
  }
  assertExpectedVersion(application, corrections.expectedVersion);
  if (application.status !== 'returned' || !application.returnedFrom) {
    throw new ConflictError(`application ${application.id} is ${application.status}, not returned for revision`, {
      currentVersion: application.version,
      currentStatus: application.status,
      currentStage: application.stage,
    });
  }
  if (corrections.applicant && !corrections.applicantKey) {
    throw new InvalidRequestError('a corrected applicant needs its resident ID key');
  }
  const stage = application.returnedFrom;
  const version = application.version + 1;
  const seq = application.eventSeq + 1;
  const next: Application = {
    ...application,
    applicant: corrections.applicant ?? application.applicant,
    applicantKey: corrections.applicantKey ?? application.applicantKey,
    details: corrections.details ?? application.details,
    documents: corrections.documents ?? application.documents,
    status: 'in_review',
    stage,
    returnedFrom: undefined,
    version,
    eventSeq: seq,
    updatedAt: now,
    dueAt: dueAfter(now, policy.decisionDeadlineDays),
    overdue: false,
  };
  const event: HistoryEvent = {
    seq,
    at: now,
    action: 'resubmitted',
    stage: 'community',
    actor: actorRef(actor),
    comment: corrections.comment,
    status: 'in_review',
    stageAfter: stage,
    version,
  };
  return { application: next, event };
}

/**
 * Marks the open stage overdue once its deadline has passed; answers undefined when there is
 * nothing to record (not due yet, already flagged, or finally decided).
 */
export function flagOverdue(application: Application, now: string): Transition | undefined {
  if (!application.dueAt || application.overdue || now < application.dueAt || !application.stage) return undefined;
  const seq = application.eventSeq + 1;
  return {
    application: { ...application, overdue: true, eventSeq: seq },
    event: {
      seq,
      at: now,
      action: 'overdue',
      stage: application.stage,
      actor: systemActor,
      comment: `due at ${application.dueAt}`,
      status: application.status,
      stageAfter: application.stage,
      version: application.version,
    },
  };
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

export function isFinal(status: ApplicationStatus): boolean {
  return status === 'approved' || status === 'rejected' || status === 'withdrawn';
}
