/**
 * Resubmission after a return (step 3 of `lifecycle.ts`): corrected fields replace, documents are
 * replaced whole or changed one by one, and the application is judged again. One that would fail
 * eligibility is refused with the reasons and nothing recorded; one that passes goes back to the
 * level that returned it with the working days it had left.
 */

import type { Actor } from '../../kernel/domain/actor.js';
import { type FieldError, InvalidRequestError } from '../../kernel/domain/errors.js';
import { type CityPolicy, calendarsOf } from '../../kernel/domain/policy.js';
import { type MaskedApplicant, maxDocuments, screenDetails } from '../../kernel/domain/programmes.js';
import type { ResidentIdFacts } from '../../kernel/domain/resident-id.js';
import { fieldOfRule } from './eligibility.js';
import type { EligibilityOutcome } from './eligibility-verdict.js';
import { NotEligibleError } from './eligibility-verdict.js';
import { judge } from './intake.js';
import {
  type Application,
  actorRef,
  arriveAt,
  assertCommunityStaff,
  assertExpectedVersion,
  notAwaiting,
  record,
  type Transition,
} from './lifecycle.js';

/**
 * Community staff send a returned application back to the level that returned it, its clock
 * resumed. Judged again first: a correction that would make it ineligible is refused
 * (`NotEligibleError`) and nothing changes, so a slip never ends an application no approver decided.
 */
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
    sealedFacts: corrections.sealedFacts ?? application.sealedFacts,
    details: corrections.details ? screenDetails(application.programme, corrections.details) : application.details,
    documents: revisedDocuments(application.documents, corrections),
  };
  // Judged again, under the policy version it was submitted under, on the day of resubmission.
  // One taken in before eligibility existed has no facts to judge by: it goes on unjudged.
  const facts = corrected.applicantFacts;
  const verdict: EligibilityOutcome = facts
    ? judge({ ...corrected, applicantFacts: facts }, policy, now)
    : { eligible: true, rules: corrected.eligibility ?? [], entitlement: corrected.entitlement };
  // Once sealed, the facts are never stored in clear again (an older application's clear copy goes).
  const kept = corrected.sealedFacts ? { ...corrected, applicantFacts: undefined } : corrected;
  const judged: Application = { ...kept, eligibility: verdict.rules, entitlement: verdict.entitlement };
  const content = {
    at: now,
    action: 'resubmitted' as const,
    stage: 'community' as const,
    actor: actorRef(actor),
    comment: corrections.comment,
  };
  if (!verdict.eligible) throw notEligible(application, verdict);
  const next: Application = {
    ...judged,
    status: 'in_review',
    returnedFrom: undefined,
    stageDaysLeft: undefined,
    ...arriveAt(stage, now, daysLeft, calendarsOf(policy)),
  };
  return record(application, next, content, true);
}
type AttachedDocument = Application['documents'][number];
/**
 * How a resubmission changes the documents: `documents` replaces the whole list; or
 * `removeDocuments` (refs of attached documents) and `addDocuments` (appended) change it in place,
 * removals first. Not both ways at once.
 */
export interface DocumentChanges {
  documents?: AttachedDocument[];
  addDocuments?: AttachedDocument[];
  removeDocuments?: string[];
}

export interface Corrections extends DocumentChanges {
  expectedVersion: number;
  /** Replaces the applicant whole. */
  applicant?: MaskedApplicant;
  applicantKey?: string;
  /**
   * Birth date and sex to judge by: a corrected applicant's (required with `applicant`), or
   * else the application's own, opened from its sealed copy by the caller.
   */
  applicantFacts?: ResidentIdFacts;
  /** The facts sealed, kept on the application in place of any clear copy. */
  sealedFacts?: string;
  /** Replaces the details whole (the API validates them complete against the programme). */
  details?: Record<string, unknown>;
  comment?: string;
}

/**
 * The document list a resubmission asks for. A ref to remove that is not attached, a ref to add
 * that already is (or is listed twice), or more documents than allowed is refused naming the
 * field: a slip is caught, never applied half-way.
 */
export function revisedDocuments(current: readonly AttachedDocument[], changes: DocumentChanges): AttachedDocument[] {
  const { documents, addDocuments, removeDocuments } = changes;
  if (documents !== undefined) {
    const combined = (['addDocuments', 'removeDocuments'] as const).filter((field) => changes[field] !== undefined);
    if (combined.length > 0) {
      throw new InvalidRequestError(
        'documents replaces the whole list; addDocuments and removeDocuments change it: send one way or the other',
        combined.map((field) => ({
          field,
          message: 'cannot be combined with documents, which replaces the whole list',
        })),
      );
    }
    return documents;
  }
  if (addDocuments === undefined && removeDocuments === undefined) return [...current];
  const errors: FieldError[] = [];
  const removing = removeDocuments ?? [];
  removing.forEach((ref, i) => {
    if (removing.indexOf(ref) !== i) errors.push({ field: `removeDocuments.${i}`, message: `${ref} is listed twice` });
    else if (!current.some((d) => d.ref === ref))
      errors.push({ field: `removeDocuments.${i}`, message: `${ref} is not among the application's documents` });
  });
  const kept = current.filter((d) => !removing.includes(d.ref));
  const adding = addDocuments ?? [];
  adding.forEach((document, i) => {
    const attached = kept.find((d) => d.ref === document.ref);
    if (adding.findIndex((d) => d.ref === document.ref) !== i)
      errors.push({ field: `addDocuments.${i}.ref`, message: `${document.ref} is listed twice` });
    else if (attached)
      errors.push({
        field: `addDocuments.${i}.ref`,
        message: `${document.ref} is already attached (as ${attached.kind}); remove it in removeDocuments to replace it`,
      });
  });
  const revised = [...kept, ...adding];
  if (revised.length > maxDocuments)
    errors.push({
      field: 'addDocuments',
      message: `would attach ${revised.length} documents; an application holds at most ${maxDocuments}`,
    });
  if (errors.length > 0)
    throw new InvalidRequestError('the document changes do not fit the attached documents', errors);
  return revised;
}

/** The refusal of a change that would leave the application ineligible: each failed rule, with the field it judged. */
export function notEligible(application: Application, verdict: EligibilityOutcome): NotEligibleError {
  const failed = verdict.rules.filter((r) => !r.passed);
  return new NotEligibleError(
    `application ${application.id} would not be eligible: ${failed.map((r) => r.reason.en).join('; ')}. Nothing was recorded: it stays ${application.status}; correct it and send it again`,
    failed.map((r) => ({ field: fieldOfRule(application.programme, r.ruleId), message: r.reason.en })),
    verdict.rules,
  );
}
