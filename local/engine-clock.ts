/** The local engine's clock: real time by default; the bench brings a simulated one that it moves. */

/** Node's timers overflow past 2^31-1 ms (≈24.8 days) and fire at once. */
export const maxTimerMs = 2 ** 31 - 1;

/**
 * The engine's sense of time for the waits it times out: the real clock by default; the bench
 * gives it a simulated one that it advances (and the handlers read the same one).
 */
export interface EngineClock {
  now(): number;
  /** Calls `fire` once the clock reaches `at` (ms since the epoch); answers a function that cancels it. */
  at(at: number, fire: () => void): () => void;
}

export const realClock: EngineClock = {
  now: () => Date.now(),
  at(at, fire) {
    // Node's timers overflow past 2^31-1 ms and fire at once: a later moment is reached in steps.
    let timer: NodeJS.Timeout;
    const arm = () => {
      const delay = at - Date.now();
      timer = setTimeout(delay > maxTimerMs ? arm : fire, Math.max(0, Math.min(delay, maxTimerMs)));
      timer.unref();
    };
    arm();
    return () => clearTimeout(timer);
  },
};
