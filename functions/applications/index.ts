/**
 * Applications: an application's life from community intake through each level of the approval
 * chain to its final decision. It owns eligibility, intake, decisions, return and resubmission,
 * withdrawal, deadlines and what the workflow does next, the inbox and the lists, an application's
 * history as stored, idempotent intake, and the benefit ledger of grants. It does not run the
 * state machine (workflow), send webhooks (webhooks) or count throughput (monitoring).
 *
 * This file is the module's face: other modules import it, and only it.
 */

export { openApplicantFacts } from './domain/applicant-facts.js';
export { deadlineEvent } from './domain/deadline-events.js';
export { addNextCalendarHint, deadlineCalendarDaysLeft, holidayCalendarWarningDays } from './domain/deadlines.js';
export type { Application } from './domain/lifecycle.js';
export { assertInScope, isInScope } from './domain/lifecycle.js';
export type { RoutedStep } from './domain/next-step.js';
export { longestWaitSeconds, routeOf } from './domain/next-step.js';
export { applicantAsSeen, maskName, personalFieldsRead, shownResidentId } from './domain/privacy.js';
export { applicationView } from './domain/views.js';
export type { ApiDependencies, ReadAuditDependency, ResidentIdKeyDependency } from './http/dependencies.js';
export { productionDependencies, productionReadAudit, residentIdKeyDependency } from './http/dependencies.js';
export { applicationsRoutes } from './http/routes.js';
export type { StoredApplication } from './store/application-item.js';
export { toApplication } from './store/application-item.js';
export type { ApplicationRepository } from './store/applications.js';
export { applicationRepository, StaleWriteError } from './store/applications.js';
export { personHoldings } from './store/benefit-ledger.js';
export type { DeadlineIndex } from './store/deadline-index.js';
export { deadlineIndex } from './store/deadline-index.js';
export type { StoredHistoryEvent } from './store/history-events.js';
export {
  applicationPartitionPrefix,
  historyEventOf,
  historyEventOfImage,
  isHistoryEventKey,
} from './store/history-events.js';
export { identityPut } from './store/person-identity.js';
