/** The bench's figures from a run, and the tables it prints. */
import { type BundleFigures, bundleBudget, holdsBundleBudget, measureColdStarts } from './cold-start.js';
import { costPer1000Approved, type MeasuredWork, storageUsdPer1000PerMonth } from './model.js';
import { lambdaPlatformLogBytesPerInvocation } from './prices.js';
import type { ProfileFigures } from './profile-figures.js';
import { profileStart } from './profiles.js';
import type { RawCeiling } from './raw-dynamodb.js';
import type { RunResult, Stored } from './workload.js';

// ── figures ───────────────────────────────────────────────────────────────────────────────────
export function workFrom(run: RunResult): MeasuredWork {
  const steps = Object.values(run.engine.lambdaInvocations);
  return {
    applications: run.n,
    approved: run.approved,
    stateTransitions: run.engine.stateTransitions,
    httpRequests: run.httpRequests,
    httpBilledMs: run.httpBilledMs,
    stepInvocations: steps.reduce((total, { count }) => total + count, 0),
    stepBilledMs: steps.reduce((total, { billedMs }) => total + billedMs, 0),
    readCapacityUnits: run.capacity.readUnits,
    writeCapacityUnits: run.capacity.writeUnits,
    sqsRequests: 0,
    logBytes: run.logBytes,
  };
}

export const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '—');
export const usd = (value: number) => `$${value.toFixed(4)}`;
export const pad = (text: string, width: number) => text.padEnd(width);
export const padLeft = (text: string, width: number) => text.padStart(width);

export function report(run: RunResult, stored: Stored) {
  const work = workFrom(run);
  const cost = costPer1000Approved(work);
  const perApp = (value: number) => value / run.approved;
  const bytesPerApplication = stored.bytes / run.n;
  const missingCapacity = Object.entries(run.capacity.byOperation)
    .filter(([, tally]) => tally.reported < tally.calls - tally.failed)
    .map(
      ([operation, tally]) =>
        `${operation}: ${tally.calls - tally.failed - tally.reported} of ${tally.calls - tally.failed} answers without ConsumedCapacity`,
    );
  const failedWrites = Object.entries(run.capacity.byOperation)
    .filter(([, tally]) => tally.failed > 0)
    .map(
      ([operation, tally]) =>
        `${operation}: ${tally.failed} failed (${Object.entries(tally.errors)
          .map(([name, count]) => `${count} ${name}`)
          .join(', ')}); a failed call reports no capacity, so none is counted for it`,
    );
  const budgets: { budget: string; value: number; limit: number; holds: boolean; loadMs?: number }[] = [
    {
      budget: 'state transitions per approved application ≤ 7 (instant)',
      value: perApp(work.stateTransitions),
      limit: 7,
      holds: perApp(work.stateTransitions) <= 7,
    },
    {
      budget: 'AWS cost per 1,000 approved ≤ $0.35 (instant)',
      value: cost.totalUsdPer1000,
      limit: 0.35,
      holds: cost.totalUsdPer1000 <= 0.35,
    },
  ];
  return {
    work,
    cost,
    perApplication: {
      stateTransitions: perApp(work.stateTransitions),
      transitionsByState: Object.fromEntries(
        Object.entries(run.engine.transitionsByState).map(([state, count]) => [state, count / run.approved]),
      ),
      lambdaInvocations: perApp(work.httpRequests + work.stepInvocations),
      httpLambdaInvocations: perApp(work.httpRequests),
      stepLambdaInvocations: perApp(work.stepInvocations),
      stepLambdaMeanMs: work.stepBilledMs / Math.max(1, work.stepInvocations),
      httpLambdaMeanMs: work.httpBilledMs / Math.max(1, work.httpRequests),
      readCapacityUnits: perApp(work.readCapacityUnits),
      writeCapacityUnits: perApp(work.writeCapacityUnits),
      logBytes: perApp(work.logBytes),
      storedBytes: bytesPerApplication,
    },
    storage: { ...stored, bytesPerApplication, usdPer1000PerMonth: storageUsdPer1000PerMonth(bytesPerApplication) },
    dynamoDbLocalReporting: { missingCapacity, failedWrites },
    budgets,
  };
}

export function printRun(run: RunResult, figures: ReturnType<typeof report>) {
  const lines: string[] = [];
  const p = figures.perApplication;
  lines.push('', `Benchmark: ${run.n} applications, ${run.c} concurrent clients, ${fixed(run.seconds, 1)} s`);
  lines.push(
    `  approved ${run.approved}/${run.n}, failures ${run.failures.length}, decisions retried after 409: ${run.retries}`,
  );
  lines.push(
    `  stream consumers (webhooks, throughput counters) caught up ${fixed(run.streamLagSeconds, 1)} s after the last execution ended`,
  );
  lines.push(
    `  throughput: ${fixed(run.applicationsPerSecond, 1)} approved applications/s (submit → street → city → get → inbox)`,
  );
  lines.push(
    '',
    `  ${pad('route', 15)}${padLeft('count', 7)}${padLeft('p50 ms', 9)}${padLeft('p95 ms', 9)}${padLeft('p99 ms', 9)}${padLeft('max ms', 9)}`,
  );
  for (const [route, summary] of Object.entries(run.latency)) {
    lines.push(
      `  ${pad(route, 15)}${padLeft(String(summary.count), 7)}${padLeft(fixed(summary.p50), 9)}${padLeft(fixed(summary.p95), 9)}${padLeft(fixed(summary.p99), 9)}${padLeft(fixed(summary.max), 9)}`,
    );
  }
  lines.push('', '  work per approved application (measured)');
  lines.push(
    `    state transitions        ${fixed(p.stateTransitions, 2)}  (${Object.entries(p.transitionsByState)
      .map(([state, count]) => `${state} ${fixed(count, 2)}`)
      .join(', ')})`,
  );
  lines.push(
    `    Lambda invocations       ${fixed(p.lambdaInvocations, 2)}  (HTTP ${fixed(p.httpLambdaInvocations, 2)} at ≤${fixed(p.httpLambdaMeanMs, 1)} ms mean, steps ${fixed(p.stepLambdaInvocations, 2)} at ${fixed(p.stepLambdaMeanMs, 1)} ms mean billed)`,
  );
  lines.push(`    DynamoDB read units      ${fixed(p.readCapacityUnits, 2)}`);
  lines.push(`    DynamoDB write units     ${fixed(p.writeCapacityUnits, 2)}`);
  lines.push(
    `    stored bytes             ${fixed(p.storedBytes, 0)}  (${Object.entries(figures.storage.byPrefix)
      .map(([prefix, { items, bytes }]) => `${prefix} ${fixed(items / run.n, 2)} items, ${fixed(bytes / run.n, 0)} B`)
      .join('; ')})`,
  );
  lines.push(
    `    log bytes (handlers)     ${fixed(p.logBytes, 0)}  (+ ${lambdaPlatformLogBytesPerInvocation} B per invocation assumed for Lambda's START/END/REPORT)`,
  );
  lines.push('', '  AWS cost per 1,000 approved applications (us-east-1, on demand)');
  for (const line of figures.cost.lines) {
    lines.push(
      `    ${pad(line.service, 16)}${padLeft(fixed(line.quantity, line.quantity < 10 ? 4 : 1), 12)} ${pad(line.unit, 26)}${padLeft(usd(line.usdPer1000), 10)}`,
    );
  }
  lines.push(
    '    by service: ' +
      Object.entries(figures.cost.byService)
        .map(([service, value]) => `${service} ${usd(value)}`)
        .join(', '),
  );
  lines.push(
    `    TOTAL ${usd(figures.cost.totalUsdPer1000)} per 1,000 approved   (storage, not in the total: ${usd(figures.storage.usdPer1000PerMonth)} per 1,000 applications per month kept)`,
  );
  lines.push('', '  budgets');
  for (const budget of figures.budgets)
    lines.push(
      `    ${budget.holds ? 'holds' : 'FAILS'}  ${pad(budget.budget, 50)} measured ${fixed(budget.value, budget.value < 1 ? 4 : 1)}`,
    );
  lines.push('', '  DynamoDB Local and ConsumedCapacity');
  const reported = Object.entries(run.capacity.byOperation).map(
    ([operation, tally]) =>
      `${operation} ${tally.reported}/${tally.calls - tally.failed} answers reported, ${fixed(tally.units, 1)} units` +
      (tally.computedUnits !== undefined
        ? ` / ${fixed(tally.computedUnits, 1)} computed from the requests by the documented rules (a lower bound) / counted: ${fixed(tally.countedUnits ?? 0, 1)}, the larger per call`
        : ''),
  );
  lines.push(`    ${reported.join('\n    ')}`);
  for (const note of [
    ...figures.dynamoDbLocalReporting.missingCapacity,
    ...figures.dynamoDbLocalReporting.failedWrites,
  ])
    lines.push(`    note: ${note}`);
  if (run.failures.length)
    lines.push('', '  failures (first 5):', ...run.failures.slice(0, 5).map((failure) => `    ${failure}`));
  console.log(lines.join('\n'));
}

function printColdStarts(bundles: BundleFigures[]) {
  const budget = `budget (≤ ${bundleBudget.kilobytes} KB, ≤ ${bundleBudget.medianLoadAndInvokeMs} ms)`;
  const lines = [
    '',
    `  ${pad('bundle', 44)}${padLeft('KB', 8)}${padLeft('load+1 ms', 11)}  ${pad(budget, 30)}top contributors (KB)`,
  ];
  for (const bundle of bundles) {
    lines.push(
      `  ${pad(bundle.entry, 44)}${padLeft(fixed(bundle.kilobytes, 0), 8)}${padLeft(fixed(bundle.medianLoadAndInvokeMs, 0), 11)}  ${pad(holdsBundleBudget(bundle) ? 'holds' : 'FAILS', 30)}` +
        bundle.topContributors.map(({ path, kilobytes }) => `${path} ${fixed(kilobytes, 0)}`).join(', ') +
        (bundle.loadError ? `  (load failed: ${bundle.loadError})` : ''),
    );
  }
  console.log(lines.join('\n'));
}

/** Bundles `cdk synth` makes, weighed and timed; prints the table. */
export async function coldStartTable(): Promise<BundleFigures[]> {
  console.log(
    `\nsynthesizing the stack with bundling (as \`cdk synth\` does) and timing a fresh Node process per bundle (median of 7)…`,
  );
  const coldStarts = await measureColdStarts();
  printColdStarts(coldStarts);
  return coldStarts;
}

export function printProfiles(figures: Record<string, ProfileFigures>) {
  const lines = [
    '',
    `  dwell profiles (simulated clock from ${profileStart}), per approved application`,
    `  ${pad('profile', 14)}${padLeft('approved', 10)}${padLeft('transitions', 13)}${padLeft('invocations', 13)}${padLeft('RRU', 8)}${padLeft('WRU', 8)}${padLeft('$/1,000', 10)}  by state`,
  ];
  for (const [name, p] of Object.entries(figures))
    lines.push(
      `  ${pad(name, 14)}${padLeft(`${p.approved}/${p.applications}`, 10)}${padLeft(fixed(p.stateTransitionsPerApproved, 2), 13)}${padLeft(fixed(p.lambdaInvocationsPerApproved, 2), 13)}${padLeft(fixed(p.readUnitsPerApproved, 1), 8)}${padLeft(fixed(p.writeUnitsPerApproved, 1), 8)}${padLeft(usd(p.usdPer1000), 10)}  ` +
        Object.entries(p.transitionsByState)
          .map(([state, n]) => `${state} ${fixed(n, 2)}`)
          .join(', ') +
        (p.failures.length ? `  (${p.failures.length} failures, first: ${p.failures[0]})` : ''),
    );
  lines.push(
    "  deadline sweep runs (recording events / all) and the deadline-due index's write units per approved: " +
      Object.entries(figures)
        .map(
          ([name, p]) =>
            `${name} ${p.deadlineSweep.recordingRuns}/${p.deadlineSweep.runs}, ${fixed(p.deadlineIndexWriteUnitsPerApproved, 1)} WRU`,
        )
        .join('; '),
  );
  console.log(lines.join('\n'));
}

export function printRatios(raw: RawCeiling, ratios: Record<string, number>) {
  console.log(
    [
      `  DynamoDB Local alone: ${raw.calls} calls (${Object.entries(raw.byOperation)
        .map(([op, n]) => `${op.replace('Command', '')} ${n}`)
        .join(
          ', ',
        )}) by ${raw.concurrency} clients in ${fixed(raw.seconds, 1)} s = ${fixed(raw.callsPerSecond, 0)} calls/s; TransactWriteItems p99 ${fixed(raw.transactWriteLatency.p99)} ms`,
      `  efficiency ${fixed(ratios.efficiency!, 3)} = ${fixed(ratios.callsPerApproved!, 1)} calls per approved × approved/s ÷ raw calls/s`,
      `  decision p99 = ${fixed(ratios.decisionP99OverRawTransactWriteP99!, 1)} × raw TransactWriteItems p99`,
    ].join('\n'),
  );
}
