/**
 * A simulated clock for the bench's dwell profiles: it replaces the process's `Date` (so the
 * handlers' `now`, the domain and the token checks all read it) and is the local engine's clock
 * (so a wait times out when the simulated time reaches its end). The bench moves it forward;
 * nothing sleeps. Between moves it runs at real speed from where it was set.
 */
import type { EngineClock } from '../local/step-functions.js';

const RealDate = Date;

export class SimulatedClock implements EngineClock {
  private offsetMs = 0;
  private timers: { at: number; fire: () => void; id: number }[] = [];
  private nextId = 0;

  /** Puts the clock in place of the process's Date; real time until `set` is first called. */
  install(): this {
    const clock = this;
    class SimulatedDate extends RealDate {
      constructor(...args: unknown[]) {
        if (args.length === 0) super(clock.now());
        else super(...(args as [string]));
      }
      static override now(): number {
        return clock.now();
      }
    }
    globalThis.Date = SimulatedDate as DateConstructor;
    return this;
  }

  now(): number {
    return RealDate.now() + this.offsetMs;
  }

  at(at: number, fire: () => void): () => void {
    const id = this.nextId++;
    this.timers.push({ at, fire, id });
    return () => {
      this.timers = this.timers.filter((timer) => timer.id !== id);
    };
  }

  /** Sets the time (it may go back: each profile starts on the same Monday). */
  set(instant: string | number): void {
    this.offsetMs = new RealDate(instant).getTime() - RealDate.now();
  }

  /**
   * Moves the clock to `target`, firing every timer due on the way in order of its time and
   * letting the system settle (`settle`, e.g. the engine going idle) after each.
   */
  async advanceTo(target: string | number, settle: () => Promise<void>): Promise<number> {
    const end = new RealDate(target).getTime();
    let fired = 0;
    for (;;) {
      const due = this.timers.filter((timer) => timer.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((timer) => timer.id !== due.id);
      if (due.at > this.now()) this.set(due.at);
      due.fire();
      fired++;
      await settle();
    }
    if (end > this.now()) this.set(end);
    await settle();
    return fired;
  }
}
