/**
 * How applications are shown a line at a time: in an approver's inbox (names always masked, the
 * working days waited) and in a community's list (the name as the role × field matrix lets the
 * caller see it). Only the city part of a resident ID is ever shown (`privacy.ts`).
 */
import type { Actor } from '../../kernel/domain/actor.js';
import type { Stage } from '../../kernel/domain/application-events.js';
import type { HolidayCalendar } from '../../kernel/domain/working-days.js';
import { workingDaysWaited } from './deadlines.js';
import type { Application } from './lifecycle.js';
import { applicantAccess, maskName, shownResidentId } from './privacy.js';

/** What an inbox line is made of: the attributes the inbox index projects. */
type WaitingApplication = Pick<
  Application,
  | 'id'
  | 'stage'
  | 'programme'
  | 'applicant'
  | 'communityId'
  | 'submittedAt'
  | 'stageEnteredAt'
  | 'dueAt'
  | 'overdue'
  | 'escalatedTo'
  | 'returnRound'
  | 'version'
>;

/** `now`: an instant; a line is overdue once past its due time, even before the deadline sweep has marked it. */
export function inboxLine(application: WaitingApplication, now: string, calendars: readonly HolidayCalendar[]) {
  return {
    id: application.id,
    stage: application.stage,
    programme: application.programme,
    applicant: {
      name: maskName(application.applicant.name),
      idNumber: shownResidentId(application.applicant.idNumber),
    },
    communityId: application.communityId,
    submittedAt: application.submittedAt,
    stageEnteredAt: application.stageEnteredAt,
    dueAt: application.dueAt,
    daysWaiting: workingDaysWaited(application.stageEnteredAt, now, calendars),
    overdue: application.overdue || (application.dueAt !== undefined && now > application.dueAt),
    ...(application.escalatedTo ? { escalatedTo: application.escalatedTo } : {}),
    returnRound: application.returnRound,
    version: application.version,
  };
}
export type InboxLine = ReturnType<typeof inboxLine>;

/** The answer of `GET /inbox`: what waits at the caller's stage, what was escalated to them, the counts under their unit. */
export interface Inbox {
  unit: string;
  stage: Stage;
  counts: Record<Stage, number>;
  items: InboxLine[];
  nextCursor?: string;
  escalated: { items: InboxLine[]; nextCursor?: string };
  /** What the caller and their unit are told until they acknowledge it (`POST /inbox/notices/{id}/acknowledgement`). */
  notices: InboxNotice[];
}

/** A grant the caller granted, or their community took in, was suspended by the monthly re-check. */
export interface InboxNotice {
  id: string;
  kind: 'grant-suspended';
  at: string;
  applicationId: string;
  programme: string;
  communityId: string;
  /** The first month it no longer pays. */
  suspendedFrom: string;
  /** The check that found it (`deceased`, `imprisoned`, `drawing-pension`, `contributions-stopped`). */
  reason: string;
}

/** What a list line is made of: the attributes the community-applications index projects. */
type ApplicationInList = Pick<
  Application,
  | 'id'
  | 'status'
  | 'stage'
  | 'programme'
  | 'applicant'
  | 'communityId'
  | 'unitPath'
  | 'submittedAt'
  | 'updatedAt'
  | 'returnRound'
  | 'version'
>;

/** The personal field a list line shows when the name is in full, as the read audit records it. */
export const listedFieldsRead = ['name'];

/** A line of a community's list: only the name (as the matrix lets `actor` see it) and the city part of the ID. */
export function applicationListLine(application: ApplicationInList, actor: Actor) {
  const access = applicantAccess(application, actor);
  return {
    id: application.id,
    status: application.status,
    stage: application.stage,
    programme: application.programme,
    applicant: {
      name: access === 'identified' ? application.applicant.name : maskName(application.applicant.name),
      idNumber: shownResidentId(application.applicant.idNumber),
    },
    submittedAt: application.submittedAt,
    updatedAt: application.updatedAt,
    returnRound: application.returnRound,
    version: application.version,
  };
}
export type ApplicationListLine = ReturnType<typeof applicationListLine>;

/** The answer of `GET /applications`: a page of a community's list, newest first. */
export interface ApplicationList {
  communityId: string;
  items: ApplicationListLine[];
  nextCursor?: string;
}
