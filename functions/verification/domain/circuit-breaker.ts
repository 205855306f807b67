/**
 * A circuit breaker per (city, source): after `failuresToOpen` failed questions in a row the
 * circuit opens and questions are answered `circuit-open` at once instead of each waiting out its
 * timeouts against a source that is down; after `coolDownMs` one question is let through (half
 * open) to try it; its success closes the circuit, its failure opens it for another cool-down.
 * Pure: the caller passes the clock's reading, so tests step time instead of waiting for it.
 */

export interface CircuitSettings {
  failuresToOpen: number;
  coolDownMs: number;
}

export const defaultCircuitSettings: CircuitSettings = { failuresToOpen: 5, coolDownMs: 30_000 };

export type Circuit =
  | { state: 'closed'; consecutiveFailures: number }
  | { state: 'open'; openedAt: number }
  /** One trial question is out; the others are turned away until it comes back. */
  | { state: 'half-open' };

export const closedCircuit: Circuit = { state: 'closed', consecutiveFailures: 0 };

/** Whether a question may go out now, and the circuit after letting it (an open one past its cool-down becomes half-open). */
export function admit(
  circuit: Circuit,
  now: number,
  settings: CircuitSettings,
): { allowed: boolean; circuit: Circuit } {
  switch (circuit.state) {
    case 'closed':
      return { allowed: true, circuit };
    case 'half-open':
      return { allowed: false, circuit };
    case 'open':
      return now - circuit.openedAt >= settings.coolDownMs
        ? { allowed: true, circuit: { state: 'half-open' } }
        : { allowed: false, circuit };
  }
}

/** The source answered: whatever the state, the circuit closes. */
export function afterSuccess(_circuit: Circuit): Circuit {
  return closedCircuit;
}

/** The source failed: one more in a row when closed (opening at the threshold); a failed trial opens it again. */
export function afterFailure(circuit: Circuit, now: number, settings: CircuitSettings): Circuit {
  switch (circuit.state) {
    case 'closed': {
      const consecutiveFailures = circuit.consecutiveFailures + 1;
      return consecutiveFailures >= settings.failuresToOpen
        ? { state: 'open', openedAt: now }
        : { state: 'closed', consecutiveFailures };
    }
    case 'half-open':
      return { state: 'open', openedAt: now };
    case 'open':
      // A question admitted before the circuit opened came back failed: the cool-down starts again.
      return { state: 'open', openedAt: now };
  }
}

/** The circuits of one container, keyed by city and source, each moved by the functions above. */
export class CircuitBreakers {
  private readonly circuits = new Map<string, Circuit>();

  constructor(
    private readonly settings: CircuitSettings = defaultCircuitSettings,
    private readonly now: () => number = Date.now,
  ) {}

  private key = (cityId: string, source: string) => `${cityId}\n${source}`;

  stateOf(cityId: string, source: string): Circuit {
    return this.circuits.get(this.key(cityId, source)) ?? closedCircuit;
  }

  /** True when a question may go out; an open circuit past its cool-down lets this one through as the trial. */
  tryAdmit(cityId: string, source: string): boolean {
    const { allowed, circuit } = admit(this.stateOf(cityId, source), this.now(), this.settings);
    this.circuits.set(this.key(cityId, source), circuit);
    return allowed;
  }

  succeeded(cityId: string, source: string): void {
    this.circuits.set(this.key(cityId, source), afterSuccess(this.stateOf(cityId, source)));
  }

  failed(cityId: string, source: string): void {
    this.circuits.set(this.key(cityId, source), afterFailure(this.stateOf(cityId, source), this.now(), this.settings));
  }
}
