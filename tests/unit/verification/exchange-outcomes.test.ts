/** What a question to the exchange leaves behind: one metric line per answer per source, and failures the product's one transient name covers. */
import { describe, expect, it } from 'vitest';
import { metricsNamespace } from '../../../functions/kernel/runtime/metrics.js';
import { isTransient } from '../../../functions/kernel/runtime/transient-errors.js';
import { outcomeMetricLine } from '../../../functions/verification/index.js';
import { ExchangeHttpError } from '../../../functions/verification/store/exchange-client.js';

describe('the exchange metric', () => {
  it('counts a failure as 1 and an answer as 0 under the source, the city and reason as properties only', () => {
    const at = new Date('2026-12-08T01:00:00Z');

    const failed = JSON.parse(
      outcomeMetricLine({ cityId: 'city:shijiazhuang', source: 'deaths', failed: true, reason: 'timeout' }, at),
    );
    const answered = JSON.parse(
      outcomeMetricLine({ cityId: 'city:shijiazhuang', source: 'deaths', failed: false }, at),
    );

    expect(failed).toMatchObject({
      _aws: {
        Timestamp: at.getTime(),
        CloudWatchMetrics: [
          { Namespace: metricsNamespace, Dimensions: [['Source']], Metrics: [{ Name: 'DataExchangeFailed' }] },
        ],
      },
      Source: 'deaths',
      city: 'city:shijiazhuang',
      reason: 'timeout',
      DataExchangeFailed: 1,
    });
    expect(answered.DataExchangeFailed).toBe(0);
  });
});

describe('transient failures of the exchange', () => {
  it('are the ones worth trying again: 5xx, 429, timeouts, connections refused or cut', () => {
    const fetchFailed = (code: string) =>
      new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });

    expect(isTransient(new ExchangeHttpError(503))).toBe(true);
    expect(isTransient(new ExchangeHttpError(429))).toBe(true);
    expect(isTransient(new DOMException('The operation was aborted due to timeout', 'TimeoutError'))).toBe(true);
    expect(isTransient(fetchFailed('ECONNREFUSED'))).toBe(true);
    expect(isTransient(fetchFailed('UND_ERR_SOCKET'))).toBe(true);
    expect(isTransient(new ExchangeHttpError(401))).toBe(false);
    expect(isTransient(new ExchangeHttpError(400))).toBe(false);
  });
});
