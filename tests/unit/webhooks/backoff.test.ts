/** The retry schedule: about a day by default, with jitter, shortened by configuration only. */
import { describe, expect, it } from 'vitest';
import { defaultRetrySchedule, parseRetrySchedule, retryDelayMs } from '../../../functions/webhooks/domain/backoff.js';

describe('webhook retry schedule', () => {
  it('waits 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h by default, then gives up', () => {
    const waits = [1, 2, 3, 4, 5, 6, 7, 8].map((attempt) =>
      retryDelayMs(parseRetrySchedule(undefined), attempt, () => 0.5),
    );

    expect(waits).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000, undefined]);
    expect(defaultRetrySchedule.reduce((sum, s) => sum + s, 0) / 3600).toBeCloseTo(27.6, 1);
  });

  it('jitters each wait by at most a tenth either way', () => {
    expect(retryDelayMs(defaultRetrySchedule, 2, () => 0)).toBe(270_000);
    expect(retryDelayMs(defaultRetrySchedule, 2, () => 0.999_999)).toBeCloseTo(330_000, -1);
  });

  it('takes a shorter schedule from WEBHOOK_RETRY_SCHEDULE_SECONDS and refuses a malformed one', () => {
    expect(parseRetrySchedule('1, 1,1')).toEqual([1, 1, 1]);
    expect(parseRetrySchedule('')).toBe(defaultRetrySchedule);
    expect(() => parseRetrySchedule('1,soon')).toThrow(/WEBHOOK_RETRY_SCHEDULE_SECONDS/);
    expect(() => parseRetrySchedule('-1')).toThrow();
  });
});
