/**
 * The fact checker on one machine: what its two EventBridge rules do on AWS, on a timer. Each tick
 * works the re-check runs asked for (`POST /verification/runs`) or left unfinished
 * (`{kind: 'resume-runs'}`, the 5-minute rule); on the 1st of a month (Shanghai) from 02:00, the
 * monthly rule's `{kind: 'monthly-recheck'}` instead, which also creates the month just ended's runs
 * (once: a run exists per city and month). Ticks never overlap here (on AWS reserved concurrency 1
 * and the run's lease see to it).
 */
import { shanghaiDate } from '../functions/kernel/domain/dates.js';

export type FactCheckerHandler = (event: { kind: 'monthly-recheck' | 'resume-runs' }) => Promise<unknown>;

const log = (level: string, message: string, fields: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ level, message, time: new Date().toISOString(), ...fields }));

/** Whether the monthly rule would have fired by `now`: the 1st, 02:00 or later in Shanghai. */
const monthlyDue = (now: Date) =>
  shanghaiDate(now).endsWith('-01') && new Date(now.getTime() + 8 * 3_600_000).getUTCHours() >= 2;

export function startLocalFactChecker(
  handler: FactCheckerHandler,
  intervalMs: number,
  now: () => Date = () => new Date(),
) {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    if (stopped) return running;
    const kind = monthlyDue(now()) ? 'monthly-recheck' : 'resume-runs';
    running = running
      .then(() => handler({ kind }))
      .catch((error: unknown) =>
        log('error', 'the fact checker failed; the next tick resumes', { error: String(error) }),
      );
    return running;
  };
  const timer = intervalMs > 0 ? setInterval(tick, intervalMs) : undefined;
  timer?.unref();
  return {
    /** Works what is due now (after any tick under way). */
    runNow: () => tick(),
    async stop(): Promise<void> {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
export type LocalFactChecker = ReturnType<typeof startLocalFactChecker>;
