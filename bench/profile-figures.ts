/** One dwell profile measured: its applications run on the simulated clock, and the work per approved one. */
import type { LocalStack } from '../local/runtime.js';
import type { SimulatedClock } from './clock.js';
import { capacity, logs, resetCapacity } from './instruments.js';
import { costPer1000Approved, type MeasuredWork } from './model.js';
import { type ProfileName, profiles, runProfile } from './profiles.js';
import { bodies, ownPerson, persons, type RunResult, streetOf } from './workload.js';

export interface ProfileFigures {
  description: string;
  applications: number;
  approved: number;
  failures: string[];
  simulatedDays: number;
  stateTransitionsPerApproved: number;
  transitionsByState: Record<string, number>;
  lambdaInvocationsPerApproved: number;
  readUnitsPerApproved: number;
  writeUnitsPerApproved: number;
  usdPer1000: number;
  byService: Record<string, number>;
  /** Runs of the deadline sweep (every one: those the profile's settling asked for too) and those that recorded events, per profile. */
  deadlineSweep: { runs: number; recordingRuns: number };
  /** Of the write units: the deadline-due index's share (2 per key moved, 1 per key removed, 1 per item put into it). */
  deadlineIndexWriteUnitsPerApproved: number;
}

export async function measureProfile(
  stack: LocalStack,
  clock: SimulatedClock,
  name: ProfileName,
  count: number,
  c: number,
  throughputRun: RunResult,
): Promise<ProfileFigures> {
  const applications = Array.from({ length: count }, (_, index) => {
    const body = ownPerson(bodies[index % bodies.length]!, persons.next++);
    return { body, street: streetOf[body.communityId]! };
  });
  await stack.streamCaughtUp();
  stack.engine.resetMetrics();
  stack.deadlineSweep.resetMetrics();
  resetCapacity();
  logs.bytes = 0;
  const before = new Set(stack.engine.listExecutions().map((record) => record.name));
  let httpRequests = 0;
  logs.capturing = true;
  let outcome: Awaited<ReturnType<typeof runProfile>>;
  try {
    outcome = await runProfile(stack, clock, name, applications, c, String(Date.now()), () => httpRequests++);
  } finally {
    logs.capturing = false;
  }
  await stack.streamCaughtUp();
  const approved = stack.engine
    .listExecutions()
    .filter(
      (record) =>
        !before.has(record.name) &&
        record.status === 'SUCCEEDED' &&
        (record.output as { status?: string } | undefined)?.status === 'approved',
    ).length;
  const engine = stack.engine.metrics();
  const steps = Object.values(engine.lambdaInvocations);
  const meanHttpMs = throughputRun.httpBilledMs / Math.max(1, throughputRun.httpRequests);
  // The sweep's runs that recorded events are Lambda invocations of this work; the empty ones are
  // the schedule's fixed cost (on AWS one a minute, whatever is due), priced apart in docs/performance.md.
  const sweep = stack.deadlineSweep.metrics();
  const work: MeasuredWork = {
    applications: count,
    approved: Math.max(1, approved),
    stateTransitions: engine.stateTransitions,
    httpRequests,
    httpBilledMs: httpRequests * meanHttpMs,
    stepInvocations: steps.reduce((total, { count }) => total + count, 0) + sweep.recordingRuns,
    stepBilledMs: steps.reduce((total, { billedMs }) => total + billedMs, 0) + sweep.recordingBilledMs,
    readCapacityUnits: capacity.readUnits,
    writeCapacityUnits: capacity.writeUnits,
    sqsRequests: 0,
    logBytes: logs.bytes,
  };
  const cost = costPer1000Approved(work);
  const per = (value: number) => value / work.approved;
  return {
    description: profiles[name].description,
    applications: count,
    approved,
    failures: outcome.failures.slice(0, 20),
    simulatedDays: outcome.simulatedDays,
    stateTransitionsPerApproved: per(work.stateTransitions),
    transitionsByState: Object.fromEntries(
      Object.entries(engine.transitionsByState).map(([state, n]) => [state, per(n)]),
    ),
    lambdaInvocationsPerApproved: per(work.httpRequests + work.stepInvocations),
    readUnitsPerApproved: per(work.readCapacityUnits),
    writeUnitsPerApproved: per(work.writeCapacityUnits),
    usdPer1000: cost.totalUsdPer1000,
    byService: cost.byService,
    deadlineSweep: { runs: sweep.runs, recordingRuns: sweep.recordingRuns },
    deadlineIndexWriteUnitsPerApproved: per(capacity.deadlineIndexWriteUnits),
  };
}
