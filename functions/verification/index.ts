/**
 * Verification's face: the questions other offices' records answer (sources and their port), and
 * the snapshot files the exchange drops — their import, and the adapter that answers from them.
 * It owns the sources and their adapters; the checks, the suspicions (疑点) and the monthly re-check
 * build on this port.
 */
export { type RoutedExchangeParts, routedDataExchange } from './domain/routed-exchange.js';
export {
  type ImportReport,
  type RowProblem,
  snapshotFileOf,
  snapshotLimits,
  snapshotPrefix,
} from './domain/snapshot-layout.js';
export {
  type Answer,
  type AnswerOf,
  answerSchemas,
  type DataExchange,
  type EntityQuestion,
  type PersonQuestion,
  type Question,
  type SourceName,
  SourceUnavailableError,
  sourceLabels,
  sourceNames,
  type UnavailableReason,
} from './domain/sources.js';
export { type ImportOutcome, importSnapshotFile, type SnapshotImportDependencies } from './events/snapshot-import.js';
export { type SnapshotExchangeDependencies, snapshotDataExchange } from './store/snapshot-exchange.js';
export { directoryObjects, type ObjectReader, s3Objects } from './store/snapshot-objects.js';
export { type SnapshotRepository, snapshotRepository } from './store/snapshots.js';
