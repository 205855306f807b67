/**
 * The deadline sweep on one machine: what the every-minute EventBridge rule does on AWS. The
 * same handler runs on an interval (real time) and, after each run, is armed on the engine's
 * clock at the next moment the deadline-due index says anything falls due, so a simulated clock
 * that jumps days (the bench) fires it exactly then. Runs never overlap here (on AWS they may:
 * every write of the sweep is conditional).
 */
import type { DeadlineIndex } from '../functions/applications/store/deadline-index.js';
import type { EngineClock } from './step-functions.js';

export interface LocalDeadlineSweepOptions {
  sweep: (event: unknown) => Promise<unknown>;
  /** Where the next due moment is read, to arm the clock (local scheduling only; on AWS the rule runs every minute). */
  index: DeadlineIndex;
  clock: EngineClock;
  /** Real-time interval between runs; 0 runs only at due moments and when asked (`sweepNow`). */
  intervalMs: number;
}

/**
 * What the sweep cost, for the benchmark: every run, and the runs that recorded something with
 * their duration (each rounded up to 1 ms as Lambda bills it). On AWS the rule runs every minute
 * whatever is due: the empty runs are a fixed monthly cost, the recording ones scale with the work.
 */
export interface SweepMetrics {
  runs: number;
  recordingRuns: number;
  recordingBilledMs: number;
}
const noRuns = (): SweepMetrics => ({ runs: 0, recordingRuns: 0, recordingBilledMs: 0 });

const log = (level: string, message: string, fields: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ level, message, time: new Date().toISOString(), ...fields }));

export function startLocalDeadlineSweep(options: LocalDeadlineSweepOptions) {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let disarm: (() => void) | undefined;
  let metrics = noRuns();

  async function once(): Promise<void> {
    if (stopped) return;
    const started = performance.now();
    try {
      const answer = (await options.sweep({ source: 'aws.events', 'detail-type': 'Scheduled Event' })) as {
        recorded?: number;
      };
      metrics.runs++;
      if ((answer?.recorded ?? 0) > 0) {
        metrics.recordingRuns++;
        metrics.recordingBilledMs += Math.max(1, Math.ceil(performance.now() - started));
      }
    } catch (error) {
      log('error', 'the deadline sweep failed; trying again', { error: String(error) });
    }
    const next = await options.index.nextDueAfter(new Date(options.clock.now()).toISOString()).catch(() => undefined);
    disarm?.();
    disarm = next && !stopped ? options.clock.at(Date.parse(next), () => void sweepNow()) : undefined;
  }

  /** Runs a sweep after any that is running; resolves when it is done and the clock is armed again. */
  function sweepNow(): Promise<void> {
    running = running.then(once);
    return running;
  }

  const schedule = () => {
    if (stopped || options.intervalMs <= 0) return;
    timer = setTimeout(() => void sweepNow().finally(schedule), options.intervalMs);
    timer.unref();
  };
  void sweepNow().finally(schedule);

  return {
    sweepNow,
    metrics: (): SweepMetrics => ({ ...metrics }),
    resetMetrics() {
      metrics = noRuns();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      disarm?.();
      await running;
    },
  };
}
export type LocalDeadlineSweep = ReturnType<typeof startLocalDeadlineSweep>;
