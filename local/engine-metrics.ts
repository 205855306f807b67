/** What the local engine did, for the benchmark's cost model: state transitions as Step Functions bills them, Lambda invocations timed. */

/** What the engine did since it started (or since `resetMetrics`). */
export interface EngineMetrics {
  /** States entered, plus retries (each is billed as a state transition by Standard workflows). */
  stateTransitions: number;
  transitionsByState: Record<string, number>;
  executionsStarted: number;
  /** Lambda invocations by function ARN: count, summed duration, and summed duration with each rounded up to 1 ms as Lambda bills it. */
  lambdaInvocations: Record<string, { count: number; totalMs: number; billedMs: number }>;
}

const emptyMetrics = (): EngineMetrics => ({
  stateTransitions: 0,
  transitionsByState: {},
  executionsStarted: 0,
  lambdaInvocations: {},
});

export class EngineMeter {
  private counters = emptyMetrics();

  /** The handler, counted and timed; its answer and errors pass through unchanged. */
  timed<In, Out>(arn: string, handler: (payload: In) => Promise<Out>): (payload: In) => Promise<Out> {
    return (payload) => {
      const started = performance.now();
      const record = () => {
        const invocations = this.counters.lambdaInvocations;
        const entry = invocations[arn] ?? { count: 0, totalMs: 0, billedMs: 0 };
        invocations[arn] = entry;
        const duration = performance.now() - started;
        entry.count++;
        entry.totalMs += duration;
        entry.billedMs += Math.max(1, Math.ceil(duration));
      };
      return handler(payload).finally(record);
    };
  }

  executionStarted(): void {
    this.counters.executionsStarted++;
  }

  /** Counts the states an execution enters (and retries), read from the library's event log. */
  async countTransitions(events: AsyncGenerator<{ type: string; state?: { name: string } }>): Promise<void> {
    try {
      for await (const event of events) {
        if (event.type !== 'StateEntered' && event.type !== 'StateRetried') continue;
        this.counters.stateTransitions++;
        const name = event.state?.name ?? '?';
        this.counters.transitionsByState[name] = (this.counters.transitionsByState[name] ?? 0) + 1;
      }
    } catch {
      // Counting never affects an execution.
    }
  }

  metrics(): EngineMetrics {
    return structuredClone(this.counters);
  }

  reset(): void {
    this.counters = emptyMetrics();
  }
}
