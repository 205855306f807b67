/**
 * Verification: the facts a clerk typed, checked against the records other offices hold (social
 * insurance, the market-entity registry, civil affairs, justice, public payroll, other cities):
 * the sources behind one port (signed HTTP queries to the provincial data exchange, or the
 * snapshot files it drops), the checks and what their answers mean, and the suspicions (疑点) an
 * auditor disposes of. It does not decide applications (applications) nor suspend grants (the
 * benefit ledger's), it answers what the records say.
 *
 * This file is the module's face: other modules import it, and only it. A function that asks the
 * exchange builds `productionDataExchange(policyOf)` once per container (signed HTTP, retries, a
 * circuit per city and source, the failure metric the stack alarms on). The snapshot importer (its
 * spreadsheet readers weigh 2 MB) is not on it: only its own function's entry reaches it, so no
 * other function's bundle carries it.
 */

export type { IntakeVerification } from './domain/at-intake.js';
export { verifyIntake } from './domain/at-intake.js';
export type { CheckOutcome, CheckResult, CheckSubject, VerificationSummary } from './domain/checks.js';
export { checkNames, checksAreStale, judgeCheck, sourceOfCheck, summarise } from './domain/checks.js';
export type { Circuit, CircuitSettings } from './domain/circuit-breaker.js';
export { CircuitBreakers } from './domain/circuit-breaker.js';
export type { DisposerContext, DispositionRequest, SuspicionListQuery } from './domain/dispositions.js';
export {
  assertMayDispose,
  assertMaySeeSuspicion,
  disposed,
  dispositionSchema,
  maySeeSuspicionsUnder,
  suspicionListQuerySchema,
} from './domain/dispositions.js';
export { fieldOfCheck, VerificationRefusedError } from './domain/refusal.js';
export { type RoutedExchangeParts, routedDataExchange } from './domain/routed-exchange.js';
export type { ChecksToRun } from './domain/run-checks.js';
export { checksToRun, runChecks, subjectOf } from './domain/run-checks.js';
export {
  type ImportReport,
  type RowProblem,
  snapshotFileOf,
  snapshotLimits,
  snapshotPrefix,
} from './domain/snapshot-layout.js';
export type {
  Answer,
  AnswerOf,
  DataExchange,
  EntityQuestion,
  PersonQuestion,
  Question,
  SourceName,
  UnavailableReason,
} from './domain/sources.js';
export {
  answerSchemas,
  SourceUnavailableError,
  sourceLabels,
  sourceNames,
} from './domain/sources.js';
export type { ApplicationVerification, Disposition, Suspicion, SuspicionStatus } from './domain/suspicions.js';
export { evidenceKinds, storedVerificationSchema, suspicionStatuses } from './domain/suspicions.js';
export { verificationRoutes } from './http/routes.js';
export { type CityPolicies, cityDataExchange } from './store/city-exchange.js';
export {
  dataExchangeFailedMetric,
  exchangeCredentials,
  outcomeMetricLine,
  productionDataExchange,
} from './store/data-exchange.js';
export type { ExchangeClientOptions, ExchangeOutcome, ExchangeSettings } from './store/exchange-client.js';
export { exchangeClient } from './store/exchange-client.js';
export type { PendingCheck, PendingChecksRepository, PendingWhy } from './store/pending-checks.js';
export { pendingChecksPut, pendingChecksRepository } from './store/pending-checks.js';
export { type SnapshotExchangeDependencies, snapshotDataExchange } from './store/snapshot-exchange.js';
export { type SnapshotRepository, snapshotRepository } from './store/snapshots.js';
export type { SuspicionPage, SuspicionRepository } from './store/suspicions.js';
export {
  ApplicationMovedError,
  dispositionParts,
  newSuspicionId,
  openSuspicion,
  raiseSuspicion,
  suspicionIdSchema,
  suspicionParts,
  suspicionRepository,
} from './store/suspicions.js';
