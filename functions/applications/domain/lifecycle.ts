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
 *    sends it back to the level that returned it with the working days it had left. A
 *    resubmission the eligibility rules would refuse is itself refused, nothing recorded: only
 *    intake ends an application as ineligible.
 * 4. Community staff may withdraw it until it is finally decided.
 * 5. Each stage has a deadline in working days: a reminder before it, and when it passes the
 *    application is flagged overdue and escalated one level up the unit tree.
 */
import * as z from 'zod/mini';
import '../../kernel/domain/validation-messages.js';
import type { Actor, ApprovalStage } from '../../kernel/domain/actor.js';
import type { ActorRef, ApplicationStatus, HistoryEvent, Stage } from '../../kernel/domain/application-events.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../kernel/domain/errors.js';
import { notFormula, screenOptional } from '../../kernel/domain/free-text.js';
import { chainEvent } from '../../kernel/domain/history-chain.js';
import type { MaskedApplicant, ProgrammeId } from '../../kernel/domain/programmes.js';
import type { ResidentIdFacts } from '../../kernel/domain/resident-id.js';
import { unitCovers } from '../../kernel/domain/units.js';
import type { ApplicationVerification } from '../../kernel/domain/verification-results.js';
import type { HolidayCalendar } from '../../kernel/domain/working-days.js';
import { deadlineAfter } from './deadlines.js';
import type { EligibilityVerdict, Entitlement } from './eligibility-verdict.js';

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
   * resubmission, when the clear ID is no longer at hand. Absent on an application taken in
   * before eligibility existed.
   */
  applicantFacts?: ResidentIdFacts;
  /**
   * The same facts sealed (`applicant-facts.ts`): what is stored from now on. `applicantFacts`
   * is then only in memory, while a change is judged, and never written.
   */
  sealedFacts?: string;
  /** Every eligibility rule's result at the last (re)submission. */
  eligibility: EligibilityVerdict;
  /** The grant as the policy computes it; present while the application is eligible. */
  entitlement?: Entitlement;
  /** The facts checked against other offices' records, and the suspicion holding it (verification). */
  verification?: ApplicationVerification;
}

export interface Transition {
  application: Application;
  event: HistoryEvent;
}

export const expectedVersion = z.number().check(z.int(), z.minimum(1));
export const comment = z.string().check(z.trim(), z.minLength(1), z.maxLength(2000), notFormula());

export function actorRef(actor: Actor): ActorRef {
  return { sub: actor.sub, role: actor.role, unit: actor.unit };
}

type EventContent = Omit<HistoryEvent, 'seq' | 'prevHash' | 'hash' | 'version' | 'status' | 'stageAfter'>;

/**
 * Records a change: the next application (version bumped when a person changed it) and the
 * event sealed onto the history chain. Its comment is screened first (`free-text.ts`): no
 * resident ID, mobile or bank card number typed into it is ever stored, shown or sent.
 */
export function record(previous: Application, next: Application, content: EventContent, byPerson: boolean): Transition {
  const seq = previous.eventSeq + 1;
  const version = byPerson ? previous.version + 1 : previous.version;
  const event = chainEvent(
    {
      ...content,
      comment: screenOptional(content.comment),
      seq,
      status: next.status,
      stageAfter: next.stage,
      version,
    } as Omit<HistoryEvent, 'prevHash' | 'hash'>,
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
export function arriveAt(
  stage: Stage,
  now: string,
  workingDays: number | undefined,
  calendars: readonly HolidayCalendar[] = [],
) {
  const deadlineClock = workingDays === undefined ? undefined : { from: now, workingDays };
  const dueAt = deadlineClock && deadlineAfter(deadlineClock.from, deadlineClock.workingDays, calendars);
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

/** Whether the actor's unit lies on the application's path (its own unit's subtree). */
export function isInScope(application: Application, actor: Actor): boolean {
  return unitCovers(actor.unit, application.unitPath);
}

/**
 * Throws unless the application is in the actor's scope, with the very refusal an id that does
 * not exist gets (`no application <id>`, 404): a 403 would confirm to another city's or another
 * district's staff that the id exists. Called before any other check on a loaded application.
 */
export function assertInScope(application: Application, actor: Actor): void {
  if (!isInScope(application, actor)) throw new NotFoundError(`no application ${application.id}`);
}

export function assertExpectedVersion(application: Application, expected: number): void {
  if (expected !== application.version) {
    throw new ConflictError(
      `application ${application.id} is at version ${application.version}, not ${expected}: reload it and decide again`,
      { currentVersion: application.version, currentStatus: application.status, currentStage: application.stage },
    );
  }
}

export function notAwaiting(application: Application, what: string): ConflictError {
  return new ConflictError(`application ${application.id} is ${application.status}, not ${what}`, {
    currentVersion: application.version,
    currentStatus: application.status,
    currentStage: application.stage,
  });
}

export function assertCommunityStaff(application: Application, actor: Actor, action: string): void {
  // Out of scope first: answered as a nonexistent id, never as a 403 that confirms it.
  assertInScope(application, actor);
  if (actor.role !== 'community-staff' || actor.unit !== application.communityId) {
    throw new ForbiddenError(`only staff of ${application.communityId} ${action} this application`);
  }
}
