/**
 * Verification: the facts a clerk typed, checked against the records other offices hold (the
 * provincial data exchange). This face offers the sources' port and its HTTP adapter; the checks,
 * the suspicion queue and the monthly re-check build on it.
 */
export { type Circuit, CircuitBreakers, type CircuitSettings } from './domain/circuit-breaker.js';
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
export {
  dataExchangeFailedMetric,
  exchangeCredentials,
  outcomeMetricLine,
  productionDataExchange,
} from './store/data-exchange.js';
export {
  type ExchangeClientOptions,
  type ExchangeOutcome,
  type ExchangeSettings,
  exchangeClient,
} from './store/exchange-client.js';
