/**
 * What the stack must know of verification: the sources whose failures it alarms on and the
 * metric they are counted under (published by `store/data-exchange.ts`).
 */
export { metricsNamespace } from '../kernel/runtime/metrics.js';
export { sourceNames as dataExchangeSources } from './domain/sources.js';

/** The metric each answer publishes per source (`store/data-exchange.ts`): 1 for a failure, 0 for an answer. */
export const dataExchangeFailedMetricName = 'DataExchangeFailed';
/** A source failing every answer for this many one-minute periods in a row raises the alarm. */
export const dataExchangeAlarmMinutes = 15;
