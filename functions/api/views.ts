/** How an application is shown to people: masked applicant, no internal keys, fields in reading order, its timeline. */

import { availableDecisions } from '../domain/decisions.js';
import type { EligibilityVerdict, Entitlement } from '../domain/eligibility-verdict.js';
import { historyIsIntact } from '../domain/history.js';
import type { Application, HistoryEvent } from '../domain/lifecycle.js';
import type { CityPolicy } from '../domain/policy.js';

/** In lists, only the family name and the last character: 王秀英 → 王*英, 张伟 → 张*. */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return name;
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars.at(-1)}`;
}

/**
 * Every rule's result with its reasons and figures, and the grant as the policy computes it (fen):
 * one shape for the application, the dry run and a refused resubmission.
 */
export function eligibilityView(rules: EligibilityVerdict | undefined, entitlement: Entitlement | undefined) {
  return {
    eligible: (rules ?? []).every((rule) => rule.passed),
    eligibility: rules ?? [],
    ...(entitlement ? { entitlement } : {}),
  };
}

/** `policy`: the version the application was submitted under (it says which decisions remain). */
export function applicationView(application: Application, policy: CityPolicy, history?: HistoryEvent[]) {
  const a = application;
  const shown = {
    id: a.id,
    programme: a.programme,
    status: a.status,
    stage: a.stage,
    ...(a.returnedFrom ? { returnedFrom: a.returnedFrom } : {}),
    version: a.version,
    availableDecisions: availableDecisions(a, policy),
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
    applicant: a.applicant,
    details: a.details,
    documents: a.documents,
    ...eligibilityView(a.eligibility, a.entitlement),
  };
  return history ? { ...shown, historyIntact: historyIsIntact(history), history: history.map(eventView) } : shown;
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
    status: e.status,
    stageAfter: e.stageAfter,
    version: e.version,
    hash: e.hash,
  };
}
