/** The circuit per (city, source): opened by failures in a row, tried again after a cool-down, closed by an answer. */
import { describe, expect, it } from 'vitest';
import {
  admit,
  afterFailure,
  afterSuccess,
  CircuitBreakers,
  closedCircuit,
} from '../../../functions/verification/domain/circuit-breaker.js';

const settings = { failuresToOpen: 3, coolDownMs: 30_000 };

describe('the circuit as a state machine', () => {
  it('stays closed below the threshold and opens at it', () => {
    let circuit = closedCircuit;
    circuit = afterFailure(circuit, 1_000, settings);
    circuit = afterFailure(circuit, 2_000, settings);

    expect(circuit).toEqual({ state: 'closed', consecutiveFailures: 2 });
    expect(afterFailure(circuit, 3_000, settings)).toEqual({ state: 'open', openedAt: 3_000 });
  });

  it('counts failures in a row only: an answer between them starts the count again', () => {
    const circuit = afterSuccess(afterFailure(afterFailure(closedCircuit, 0, settings), 0, settings));

    expect(afterFailure(circuit, 0, settings)).toEqual({ state: 'closed', consecutiveFailures: 1 });
  });

  it('turns questions away while open, and lets one through as a trial after the cool-down', () => {
    const open = { state: 'open', openedAt: 10_000 } as const;

    expect(admit(open, 39_999, settings)).toEqual({ allowed: false, circuit: open });
    expect(admit(open, 40_000, settings)).toEqual({ allowed: true, circuit: { state: 'half-open' } });
    expect(admit({ state: 'half-open' }, 40_001, settings).allowed).toBe(false);
  });

  it('closes when the trial is answered and opens for another cool-down when it fails', () => {
    expect(afterSuccess({ state: 'half-open' })).toEqual(closedCircuit);
    expect(afterFailure({ state: 'half-open' }, 50_000, settings)).toEqual({ state: 'open', openedAt: 50_000 });
  });
});

describe('the circuits of a container', () => {
  it('keeps one circuit per city and source, timed by the clock it is given', () => {
    let now = 0;
    const circuits = new CircuitBreakers(settings, () => now);
    for (let i = 0; i < 3; i++) {
      expect(circuits.tryAdmit('city:shijiazhuang', 'deaths')).toBe(true);
      circuits.failed('city:shijiazhuang', 'deaths');
    }

    expect(circuits.tryAdmit('city:shijiazhuang', 'deaths')).toBe(false);
    expect(circuits.tryAdmit('city:shijiazhuang', 'pensions')).toBe(true);
    expect(circuits.tryAdmit('city:baoding', 'deaths')).toBe(true);

    now = 30_000;
    expect(circuits.tryAdmit('city:shijiazhuang', 'deaths')).toBe(true);
    expect(circuits.tryAdmit('city:shijiazhuang', 'deaths')).toBe(false);
    circuits.succeeded('city:shijiazhuang', 'deaths');
    expect(circuits.stateOf('city:shijiazhuang', 'deaths')).toEqual(closedCircuit);
    expect(circuits.tryAdmit('city:shijiazhuang', 'deaths')).toBe(true);
  });
});
