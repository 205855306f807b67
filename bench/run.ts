/**
 * `npm run bench [-- --n 500 --c 8 --warmup 50 --compare --skip-cold-start --cold-start-only]`: starts the whole stack in memory, drives N
 * applications through submit → street approval → city approval → read (plus an inbox read
 * each) with C concurrent clients over HTTP, and measures throughput, latency per route and the
 * work each application costs; prices that work with the published AWS prices. Prints a table
 * and writes bench/results/latest.json.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startLocalStack, synthesizeForLocal } from '../local/runtime.js';
import { SimulatedClock } from './clock.js';
import { type BundleFigures, bundleBudget, holdsBundleBudget } from './cold-start.js';
import { instrumentSharedClient } from './instruments.js';
import { lambdaMemoryMb, prices } from './prices.js';
import { measureProfile, type ProfileFigures } from './profile-figures.js';
import { type ProfileName, profileStart, profiles } from './profiles.js';
import { measureRawCeiling } from './raw-dynamodb.js';
import { coldStartTable, fixed, pad, printProfiles, printRatios, printRun, report } from './report.js';
import { difference, runWorkload, signInBenchPeople, storedBytes } from './workload.js';

const benchDir = dirname(fileURLToPath(import.meta.url));

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '500' },
    /** Applications per dwell profile (instant, typical, fullDeadline, returned); 0 leaves the profiles out. */
    'profile-n': { type: 'string', default: '100' },
    c: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '50' },
    compare: { type: 'boolean', default: false },
    'skip-cold-start': { type: 'boolean', default: false },
    /** Only the per-bundle table (synthesis with bundling, then the probes); no stack, no workload, nothing written. */
    'cold-start-only': { type: 'boolean', default: false },
  },
});
const n = Number(args.n);
/** Applications run first and not measured: the JIT of Node and of DynamoDB Local's JVM warms up (cold, the first 50 run ≈ 2× slower). */
const warmup = Number(args.warmup);
const c = Number(args.c);
const profileN = Number(args['profile-n']);
if (![n, c].every((value) => Number.isInteger(value) && value >= 1) || !Number.isInteger(warmup) || warmup < 0)
  throw new Error('--n and --c take positive whole numbers, --warmup zero or more');

async function main() {
  if (args['cold-start-only']) {
    const coldStarts = await coldStartTable();
    if (!coldStarts.every(holdsBundleBudget)) process.exitCode = 1;
    return;
  }
  const startedAt = new Date();
  console.log(`starting the local stack (in-memory DynamoDB Local, synthesized state machine)…`);
  const template = await synthesizeForLocal();
  // One clock for the handlers (through Date), the domain and the engine's waits; real time until a profile sets it.
  const clock = new SimulatedClock().install();
  // The deadline sweep runs at the moments the index says something is due, and when a profile settles: not on a real-time interval.
  const stack = await startLocalStack({ port: 0, template, clock, deadlineSweepIntervalMs: 0 });
  await signInBenchPeople(stack);
  try {
    instrumentSharedClient();
    if (warmup > 0) {
      console.log(`warming up with ${warmup} applications (not measured)…`);
      await runWorkload(stack, `${Date.now()}-warmup`, warmup, c);
    }
    const beforeRun = await storedBytes(stack);
    const first = await runWorkload(stack, `${Date.now()}-a`, n, c);
    if (first.approved === 0) {
      // Nothing to price: say why instead of dividing by zero.
      console.error(
        [
          '',
          `no application was approved (${first.failures.length} failures); the first ones:`,
          ...first.failures.slice(0, 5).map((failure) => `  ${failure}`),
        ].join('\n'),
      );
      process.exitCode = 1;
      return;
    }
    const afterRun = await storedBytes(stack);
    const stored = difference(afterRun, beforeRun);
    const figures = report(first, stored);
    printRun(first, figures);
    let compare: Record<string, unknown> | undefined;
    if (args.compare) {
      const second = await runWorkload(stack, `${Date.now()}-b`, n, c);
      const secondFigures = report(second, difference(await storedBytes(stack), afterRun));
      printRun(second, secondFigures);
      const ratio = (a: number, b: number) => b / a;
      compare = {
        applicationsPerSecond: ratio(first.applicationsPerSecond, second.applicationsPerSecond),
        decideStreetP99: ratio(first.latency['decide-street'].p99, second.latency['decide-street'].p99),
        decideCityP99: ratio(first.latency['decide-city'].p99, second.latency['decide-city'].p99),
        submitP99: ratio(first.latency.submit.p99, second.latency.submit.p99),
        costPer1000: ratio(figures.cost.totalUsdPer1000, secondFigures.cost.totalUsdPer1000),
      };
      console.log(
        '\n  compare (second run / first run): ' +
          Object.entries(compare)
            .map(([key, value]) => `${key} ×${fixed(value as number, 3)}`)
            .join(', '),
      );
    }
    // DynamoDB Local's own ceiling for the calls this workload made, at the same concurrency.
    console.log('\nmeasuring DynamoDB Local alone: the same calls, the same concurrency…');
    await stack.streamCaughtUp();
    const mix = Object.fromEntries(Object.entries(first.capacity.byOperation).map(([op, t]) => [op, t.calls]));
    const callsPerApproved = Object.values(mix).reduce((total, calls) => total + calls, 0) / first.approved;
    const raw = await measureRawCeiling(stack.dynamoEndpoint, mix, Math.round(callsPerApproved * first.approved), c);
    const decisionP99 = Math.max(first.latency['decide-street'].p99, first.latency['decide-city'].p99);
    const efficiency = (first.applicationsPerSecond * callsPerApproved) / raw.callsPerSecond;
    const ratios = {
      callsPerApproved,
      rawCallsPerSecond: raw.callsPerSecond,
      efficiency,
      decisionP99Ms: decisionP99,
      rawTransactWriteP99Ms: raw.transactWriteLatency.p99,
      decisionP99OverRawTransactWriteP99: decisionP99 / raw.transactWriteLatency.p99,
    };
    figures.budgets.push({
      budget: 'efficiency ≥ 0.5 (approved/s × DynamoDB calls per approved ÷ raw calls/s)',
      value: efficiency,
      limit: 0.5,
      holds: efficiency >= 0.5,
    });
    printRatios(raw, ratios);

    const profileFigures: Record<string, ProfileFigures> = {};
    if (profileN > 0) {
      for (const name of Object.keys(profiles) as ProfileName[]) {
        console.log(
          `\nprofile ${name} (${profiles[name].description}), ${profileN} applications on a simulated clock…`,
        );
        profileFigures[name] = await measureProfile(stack, clock, name, profileN, c, first);
      }
      printProfiles(profileFigures);
      // "Approved at once" is the instant profile: in the throughput run a decision may arrive before the wait has
      // stored its token (the clients decide the moment the submit answers), and that wait routes again (+2).
      const instant = profileFigures.instant;
      if (instant)
        figures.budgets.splice(0, 1, {
          budget: 'instant: state transitions per approved ≤ 7',
          value: instant.stateTransitionsPerApproved,
          limit: 7,
          holds: instant.stateTransitionsPerApproved <= 7,
        });
      const full = profileFigures.fullDeadline;
      const returned = profileFigures.returned;
      if (full)
        figures.budgets.push({
          budget: 'fullDeadline: AWS cost per 1,000 approved ≤ $0.35',
          value: full.usdPer1000,
          limit: 0.35,
          holds: full.usdPer1000 <= 0.35,
        });
      if (returned)
        figures.budgets.push({
          budget: 'returned: state transitions per approved ≤ 14',
          value: returned.stateTransitionsPerApproved,
          limit: 14,
          holds: returned.stateTransitionsPerApproved <= 14,
        });
    }
    console.log('\n  budgets');
    for (const budget of figures.budgets)
      console.log(
        `    ${budget.holds ? 'holds' : 'FAILS'}  ${pad(budget.budget, 72)} measured ${fixed(budget.value, budget.value < 1 ? 4 : 2)}`,
      );

    let coldStarts: BundleFigures[] | undefined;
    if (!args['skip-cold-start']) {
      coldStarts = await coldStartTable();
      figures.budgets.push(
        ...coldStarts.map((bundle) => ({
          budget: `${bundle.entry} ≤ ${bundleBudget.kilobytes} KB and ≤ ${bundleBudget.medianLoadAndInvokeMs} ms`,
          value: bundle.kilobytes,
          limit: bundleBudget.kilobytes,
          loadMs: bundle.medianLoadAndInvokeMs,
          holds: holdsBundleBudget(bundle),
        })),
      );
    }
    const result = {
      coldStarts,
      takenAt: startedAt.toISOString(),
      machine: { node: process.version, cpus: (await import('node:os')).cpus().length, platform: process.platform },
      workload: {
        n: first.n,
        c: first.c,
        warmup,
        perApplication:
          'submit (rotating the 4 contract bodies) → street approve → city approve → GET application → GET /inbox',
      },
      lambda: { memoryMb: lambdaMemoryMb, architecture: 'arm64' },
      run: { ...first, failures: first.failures.slice(0, 20) },
      figures: { ...figures, efficiency, ratios, raw, profiles: profileFigures, profileStart },
      prices,
      method: {
        stateTransitions: 'StateEntered + StateRetried events of the local engine (aws-local-stepfunctions event log)',
        lambdaInvocations:
          'HTTP handler calls (one per API request) + step handler calls timed in local/step-functions.ts; HTTP durations are the loopback round trip (an upper bound), each rounded up to 1 ms',
        capacity:
          "ReturnConsumedCapacity=TOTAL set on every data call of the handlers' shared DynamoDB client; read ops → RCU, the rest → WCU. TransactWriteItems: DynamoDB Local answers ConsumedCapacity but under-counts multi-item transactions (3 new 500 B puts → 2 units, AWS rules → 6), so each call counts the larger of its reported figure and one computed from the request: 2 per started KB per put item + 1 per started KB per sparse index the item carries keys for (old-image index deletes not counted: a lower bound). Failed calls (conditional checks, cancelled transactions) report nothing and are not counted, though AWS bills them.",
        storedBytes:
          'Scan of the table at the end, item sizes by DynamoDB rules (names + values), unit items excluded, divided by N; index copies not counted (approved applications leave the sparse indexes)',
        logs: 'bytes the process wrote to stdout/stderr during the workload + an assumed 300 B of Lambda platform lines per invocation',
        coldStart:
          'the stack synthesized with bundling exactly as `cdk synth` does (esbuild metafile requested by context, same bundle); each asset index.mjs weighed (source map excluded) and loaded by a fresh node process that calls its handler once, 5 times, median',
        efficiency:
          "raw = the workload's DynamoDB calls (same operations and proportions, as many, Scan left out) issued by the same C clients against a scratch table on the same DynamoDB Local, right after the workload; efficiency = approved/s × calls per approved ÷ raw calls/s",
        profiles:
          "a simulated clock replaces Date in this process and is the local engine's clock; each profile's applications move in step and the clock is moved to each decision, firing every wait due on the way. HTTP Lambda GB-s use the throughput run's mean duration",
        notMeasured:
          'the webhook stream consumer and delivery worker invocations (not wrapped; their DynamoDB calls on the shared client are counted)',
      },
      ...(compare ? { compare } : {}),
    };
    mkdirSync(join(benchDir, 'results'), { recursive: true });
    writeFileSync(join(benchDir, 'results', 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(`\nwrote bench/results/latest.json`);
    if (first.failures.length) process.exitCode = 1;
  } finally {
    await stack.stop();
  }
}

await main();
