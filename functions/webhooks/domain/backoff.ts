/**
 * When a failed delivery is tried again: a schedule of waits after each failed attempt (about a
 * day in all by default), each with jitter so that many receivers failing together do not all
 * come back at the same second. Tests shorten it through WEBHOOK_RETRY_SCHEDULE_SECONDS.
 */
export const defaultRetrySchedule: readonly number[] = [5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600];

/** After this long failing, an endpoint is disabled (and the owner told why in its record). */
export const disableAfterFailingMs = 5 * 24 * 3600 * 1000;

/** "5,300,1800" → [5, 300, 1800]; anything else is refused at cold start. */
export function parseRetrySchedule(text: string | undefined): readonly number[] {
  if (text === undefined || text.trim() === '') return defaultRetrySchedule;
  const seconds = text.split(',').map((part) => Number(part.trim()));
  if (seconds.length === 0 || seconds.some((value) => !Number.isFinite(value) || value < 0)) {
    throw new Error(`WEBHOOK_RETRY_SCHEDULE_SECONDS must be comma-separated seconds, not ${text}`);
  }
  return seconds;
}

/**
 * Milliseconds to wait after failed attempt number `attempt` (1 = the first try), or undefined
 * when the schedule is spent. Jitter: ±10 % of the wait (`random` in [0, 1)).
 */
export function retryDelayMs(
  schedule: readonly number[],
  attempt: number,
  random: () => number = Math.random,
): number | undefined {
  const seconds = schedule[attempt - 1];
  if (seconds === undefined) return undefined;
  return Math.round(seconds * 1000 * (0.9 + 0.2 * random()));
}
