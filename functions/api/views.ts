/** How an application is shown to people: masked applicant, no internal keys, fields in reading order, its timeline. */
import type { Application, HistoryEvent } from '../domain/lifecycle.js';

export function applicationView(application: Application, history?: HistoryEvent[]) {
  const a = application;
  const shown = {
    id: a.id,
    programme: a.programme,
    status: a.status,
    stage: a.stage,
    ...(a.returnedFrom ? { returnedFrom: a.returnedFrom } : {}),
    version: a.version,
    returnRound: a.returnRound,
    overdue: a.overdue,
    ...(a.dueAt ? { dueAt: a.dueAt } : {}),
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
  };
  return history ? { ...shown, history: history.map(eventView) } : shown;
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
    status: e.status,
    stageAfter: e.stageAfter,
    version: e.version,
  };
}
