/**
 * `npm run bench [-- --n 500 --c 8 --warmup 50 --compare --skip-cold-start --cold-start-only]`: starts the whole stack in memory, drives N
 * applications through submit → street approval → city approval → read (plus an inbox read
 * each) with C concurrent clients over HTTP, and measures throughput, latency per route and the
 * work each application costs; prices that work with the published AWS prices. Prints a table
 * and writes bench/results/latest.json.
 */

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Actor } from '../functions/domain/actor.js';
import { residentIdCheckChar } from '../functions/domain/residentId.js';
import { scanAll, tableDesign, tableFromEnvironment } from '../functions/store/table.js';
import { type LocalStack, startLocalStack, synthesizeForLocal } from '../local/runtime.js';
import type { EngineMetrics } from '../local/step-functions.js';
import { SimulatedClock } from './clock.js';
import { type BundleFigures, bundleBudget, holdsBundleBudget, measureColdStarts } from './cold-start.js';
import {
  consumedCapacityUnits,
  costPer1000Approved,
  itemSize,
  type LatencySummary,
  type MeasuredWork,
  readOperations,
  storageUsdPer1000PerMonth,
  summarize,
  transactWriteUnits,
} from './model.js';
import { lambdaMemoryMb, lambdaPlatformLogBytesPerInvocation, prices } from './prices.js';
import { type ProfileName, profileStart, profiles, runProfile } from './profiles.js';
import { measureRawCeiling, type RawCeiling } from './raw-dynamodb.js';

const benchDir = dirname(fileURLToPath(import.meta.url));
const root = join(benchDir, '..');

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

// ── actors and bodies ────────────────────────────────────────────────────────────────────────
const bodies = ['public-welfare-post', 'flexible-employment', 'post-subsidy', 'microloan-guarantee'].map(
  (name) =>
    JSON.parse(readFileSync(join(root, 'tests/fixtures/contract', `${name}.json`), 'utf8')) as { communityId: string },
);
/**
 * Application `index` is made by its own person (same birth date and sex as the example, other
 * hidden digits): a person may hold one active application per programme and one grant per month.
 */
function ownPerson<T extends { communityId: string }>(body: T, index: number): T {
  const applicant = (body as T & { applicant: { idNumber: string } }).applicant;
  const id = applicant.idNumber;
  const digits = String(index).padStart(6, '0').slice(-6);
  const first17 = `${id.slice(0, 2)}${digits.slice(0, 2)}${digits.slice(2, 4)}${id.slice(6, 14)}${digits.slice(4, 6)}${id[16]}`;
  return { ...body, applicant: { ...applicant, idNumber: `${first17}${residentIdCheckChar(first17)}` } };
}
/** Persons are numbered across the whole process: warm-up, first and second runs never share one (grants are once a month). */
let nextPerson = 0;
const streetOf: Record<string, string> = {
  'community:gexin-01': 'street:gexin',
  'community:gexin-02': 'street:gexin',
  'community:jianbei-01': 'street:jianbei',
};
const tokenCache = new Map<string, string>();
const people = (): [string, string, string][] => [
  ...Object.keys(streetOf).map((c): [string, string, string] => [
    `bench-staff-${c.split(':')[1]}`,
    'community-staff',
    c,
  ]),
  ...[...new Set(Object.values(streetOf))].map((s): [string, string, string] => [
    `bench-approver-${s.split(':')[1]}`,
    'street-approver',
    s,
  ]),
  ['bench-approver-city', 'city-approver', 'city:shijiazhuang'],
];
/** Signs the bench's people in once (giving each their assignment in the local directory), before anything is timed. */
async function signInBenchPeople(stack: LocalStack): Promise<void> {
  for (const [sub, role, unit] of people())
    tokenCache.set(`${sub}|${role}|${unit}`, await stack.tokenFor({ sub, role, unit } as Actor));
}
const token = (sub: string, role: string, unit: string) => {
  const value = tokenCache.get(`${sub}|${role}|${unit}`);
  if (!value) throw new Error(`no token for ${sub}: signInBenchPeople first`);
  return value;
};
const staffToken = (community: string) => token(`bench-staff-${community.split(':')[1]}`, 'community-staff', community);
const streetToken = (street: string) => token(`bench-approver-${street.split(':')[1]}`, 'street-approver', street);
const cityToken = () => token('bench-approver-city', 'city-approver', 'city:shijiazhuang');

// ── DynamoDB consumed capacity, on the handlers' shared client ─────────────────────────────────
const capacityOperations = new Set([
  'GetItemCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'BatchWriteItemCommand',
  'TransactGetItemsCommand',
  'TransactWriteItemsCommand',
]);
interface CapacityTally {
  readUnits: number;
  writeUnits: number;
  /** Per operation: calls, calls whose answer carried ConsumedCapacity, units, failures (which carry none). */
  byOperation: Record<
    string,
    {
      calls: number;
      reported: number;
      units: number;
      failed: number;
      errors: Record<string, number>;
      computedUnits?: number;
      countedUnits?: number;
    }
  >;
}
const capacity: CapacityTally = { readUnits: 0, writeUnits: 0, byOperation: {} };
function resetCapacity() {
  capacity.readUnits = 0;
  capacity.writeUnits = 0;
  capacity.byOperation = {};
}
const indexKeys = Object.values(tableDesign.indexes).map(({ partitionKey, sortKey }) => ({ partitionKey, sortKey }));
function instrumentSharedClient(): void {
  const { client } = tableFromEnvironment();
  client.middlewareStack.add(
    (next, context) => async (input) => {
      const operation = context.commandName ?? '?';
      if (!capacityOperations.has(operation)) return next(input);
      (input.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
      capacity.byOperation[operation] ??= { calls: 0, reported: 0, units: 0, failed: 0, errors: {} };
      const tally = capacity.byOperation[operation];
      tally.calls++;
      try {
        const result = await next(input);
        const units = consumedCapacityUnits((result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity);
        if (units !== undefined) {
          tally.reported++;
          tally.units += units;
        }
        if (operation === 'TransactWriteItemsCommand') {
          // DynamoDB Local under-reports some transactions (3 new 500 B items: it says 2 units, the rules say 6), and the
          // computed figure is a lower bound (old images unknown): each call counts the larger of the two.
          const computed = transactWriteUnits(
            (input.input as { TransactItems?: Record<string, unknown>[] }).TransactItems ?? [],
            indexKeys,
          );
          const counted = Math.max(computed, units ?? 0);
          tally.computedUnits = (tally.computedUnits ?? 0) + computed;
          tally.countedUnits = (tally.countedUnits ?? 0) + counted;
          capacity.writeUnits += counted;
        } else if (units !== undefined) {
          if (readOperations.has(operation)) capacity.readUnits += units;
          else capacity.writeUnits += units;
        }
        return result;
      } catch (error) {
        tally.failed++;
        const name = (error as { name?: string }).name ?? 'Error';
        tally.errors[name] = (tally.errors[name] ?? 0) + 1;
        throw error;
      }
    },
    { step: 'initialize', name: 'benchConsumedCapacity' },
  );
}

// ── log bytes: what the handlers write while the workload runs ──────────────────────────────────
let logBytes = 0;
let capturing = false;
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream) as (...a: unknown[]) => boolean;
  (stream as unknown as { write: (...a: unknown[]) => boolean }).write = (chunk: unknown, ...rest: unknown[]) => {
    if (!capturing) return write(chunk, ...rest);
    logBytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : (chunk as Uint8Array).byteLength;
    const callback = rest.find((value) => typeof value === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  };
}

// ── the workload ────────────────────────────────────────────────────────────────────────────
type Route = 'submit' | 'decide-street' | 'decide-city' | 'get' | 'inbox';
interface RunResult {
  n: number;
  c: number;
  seconds: number;
  /** How long after the engine went idle the stream consumers had seen every record. */
  streamLagSeconds: number;
  applicationsPerSecond: number;
  approved: number;
  failures: string[];
  retries: number;
  latency: Record<Route, LatencySummary>;
  httpRequests: number;
  httpBilledMs: number;
  engine: EngineMetrics;
  capacity: CapacityTally;
  logBytes: number;
}

async function runWorkload(stack: LocalStack, runTag: string, n: number): Promise<RunResult> {
  const samples: Record<Route, number[]> = { submit: [], 'decide-street': [], 'decide-city': [], get: [], inbox: [] };
  let httpRequests = 0;
  let httpBilledMs = 0;
  let retries = 0;
  const failures: string[] = [];

  async function call(
    route: Route,
    method: string,
    path: string,
    bearer: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) {
    const started = performance.now();
    const response = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${bearer}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const elapsed = performance.now() - started;
    samples[route].push(elapsed);
    httpRequests++;
    // The handler's own duration is not observable from here: the round trip on loopback bounds it from above.
    httpBilledMs += Math.max(1, Math.ceil(elapsed));
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  async function decide(route: Route, id: string, bearer: string, expectedVersion: number) {
    // A decision racing the workflow's own write of its task token gets 409; it is tried again.
    for (let attempt = 0; ; attempt++) {
      const answer = await call(route, 'POST', `/applications/${id}/decisions`, bearer, {
        decision: 'approve',
        expectedVersion,
      });
      if (answer.status === 200 || answer.status !== 409 || attempt >= 20) return answer;
      retries++;
      await new Promise((wait) => setTimeout(wait, 5 + attempt * 5));
    }
  }

  async function oneApplication(index: number) {
    const body = ownPerson(bodies[index % bodies.length]!, nextPerson++);
    const street = streetOf[body.communityId];
    if (!street) throw new Error(`no street known for ${body.communityId}`);
    const submitted = await call('submit', 'POST', '/applications', staffToken(body.communityId), body, {
      'idempotency-key': `bench-${runTag}-${index}`,
    });
    if (submitted.status !== 201)
      return void failures.push(`submit ${index}: ${submitted.status} ${JSON.stringify(submitted.body)}`);
    const id = String(submitted.body.id);
    const atStreet = await decide('decide-street', id, streetToken(street), 1);
    if (atStreet.status !== 200)
      return void failures.push(`street ${id}: ${atStreet.status} ${JSON.stringify(atStreet.body)}`);
    const atCity = await decide('decide-city', id, cityToken(), 2);
    if (atCity.status !== 200) return void failures.push(`city ${id}: ${atCity.status} ${JSON.stringify(atCity.body)}`);
    const read = await call('get', 'GET', `/applications/${id}`, staffToken(body.communityId));
    if (read.status !== 200) failures.push(`get ${id}: ${read.status}`);
    const inbox = await call('inbox', 'GET', '/inbox?limit=20', index % 2 ? cityToken() : streetToken(street));
    if (inbox.status !== 200) failures.push(`inbox: ${inbox.status} ${JSON.stringify(inbox.body)}`);
  }

  // The warm-up's history events are counted and delivered before the measured run begins.
  await stack.streamCaughtUp();
  stack.engine.resetMetrics();
  resetCapacity();
  logBytes = 0;
  const before = new Set(stack.engine.listExecutions().map((record) => record.name));
  let next = 0;
  capturing = true;
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: c }, async () => {
        for (let index = next++; index < n; index = next++) await oneApplication(index);
      }),
    );
    await stack.engine.whenIdle();
  } finally {
    capturing = false;
  }
  const seconds = (performance.now() - started) / 1000;
  // The stream consumers (webhooks, throughput counters) work after the route; their reads and
  // writes are part of what an application costs, so the tally waits for them.
  await stack.streamCaughtUp();
  const streamLagSeconds = (performance.now() - started) / 1000 - seconds;
  const ours = stack.engine.listExecutions().filter((record) => !before.has(record.name));
  const approved = ours.filter(
    (record) =>
      record.status === 'SUCCEEDED' && (record.output as { status?: string } | undefined)?.status === 'approved',
  ).length;
  const latency = Object.fromEntries(
    Object.entries(samples).map(([route, values]) => [route, summarize(values)]),
  ) as Record<Route, LatencySummary>;
  return {
    n,
    c,
    seconds,
    streamLagSeconds,
    applicationsPerSecond: approved / seconds,
    approved,
    failures,
    retries,
    latency,
    httpRequests,
    httpBilledMs,
    engine: stack.engine.metrics(),
    capacity: structuredClone(capacity),
    logBytes,
  };
}

/** Sums the stored size of everything the workload left in the table (units excluded), by key prefix. */
async function storedBytes(
  stack: LocalStack,
): Promise<{ items: number; bytes: number; byPrefix: Record<string, { items: number; bytes: number }> }> {
  const client = new DynamoDBClient({ endpoint: stack.dynamoEndpoint });
  const byPrefix: Record<string, { items: number; bytes: number }> = {};
  let items = 0;
  let bytes = 0;
  for (const item of await scanAll({ client, tableName: stack.tableName }, {})) {
    const pk = item.pk?.S ?? '';
    if (pk.startsWith('UNIT#')) continue;
    const sk = item.sk?.S ?? '';
    const prefix = `${pk.split('#')[0]}#/${sk.split('#')[0]}`;
    const size = itemSize(item);
    byPrefix[prefix] ??= { items: 0, bytes: 0 };
    const entry = byPrefix[prefix];
    entry.items++;
    entry.bytes += size;
    items++;
    bytes += size;
  }
  client.destroy();
  return { items, bytes, byPrefix };
}

type Stored = Awaited<ReturnType<typeof storedBytes>>;
/** What a run added to the table: the table after it less the table before it. */
function difference(after: Stored, before: Stored): Stored {
  const byPrefix: Stored['byPrefix'] = {};
  for (const [prefix, { items, bytes }] of Object.entries(after.byPrefix)) {
    byPrefix[prefix] = {
      items: items - (before.byPrefix[prefix]?.items ?? 0),
      bytes: bytes - (before.byPrefix[prefix]?.bytes ?? 0),
    };
  }
  return { items: after.items - before.items, bytes: after.bytes - before.bytes, byPrefix };
}

// ── figures ───────────────────────────────────────────────────────────────────────────────────
function workFrom(run: RunResult): MeasuredWork {
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

const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '—');
const usd = (value: number) => `$${value.toFixed(4)}`;
const pad = (text: string, width: number) => text.padEnd(width);
const padLeft = (text: string, width: number) => text.padStart(width);

function report(run: RunResult, stored: Awaited<ReturnType<typeof storedBytes>>) {
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

function printRun(run: RunResult, figures: ReturnType<typeof report>) {
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
async function coldStartTable(): Promise<BundleFigures[]> {
  console.log(
    `\nsynthesizing the stack with bundling (as \`cdk synth\` does) and timing a fresh Node process per bundle (median of 7)…`,
  );
  const coldStarts = await measureColdStarts();
  printColdStarts(coldStarts);
  return coldStarts;
}

interface ProfileFigures {
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
}

async function measureProfile(
  stack: LocalStack,
  clock: SimulatedClock,
  name: ProfileName,
  count: number,
  throughputRun: RunResult,
): Promise<ProfileFigures> {
  const applications = Array.from({ length: count }, (_, index) => {
    const body = ownPerson(bodies[index % bodies.length]!, nextPerson++);
    return { body, street: streetOf[body.communityId]! };
  });
  await stack.streamCaughtUp();
  stack.engine.resetMetrics();
  resetCapacity();
  logBytes = 0;
  const before = new Set(stack.engine.listExecutions().map((record) => record.name));
  let httpRequests = 0;
  capturing = true;
  let outcome: Awaited<ReturnType<typeof runProfile>>;
  try {
    outcome = await runProfile(stack, clock, name, applications, c, String(Date.now()), () => httpRequests++);
  } finally {
    capturing = false;
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
  const work: MeasuredWork = {
    applications: count,
    approved: Math.max(1, approved),
    stateTransitions: engine.stateTransitions,
    httpRequests,
    httpBilledMs: httpRequests * meanHttpMs,
    stepInvocations: steps.reduce((total, { count }) => total + count, 0),
    stepBilledMs: steps.reduce((total, { billedMs }) => total + billedMs, 0),
    readCapacityUnits: capacity.readUnits,
    writeCapacityUnits: capacity.writeUnits,
    sqsRequests: 0,
    logBytes,
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
  };
}

function printProfiles(figures: Record<string, ProfileFigures>) {
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
  console.log(lines.join('\n'));
}

function printRatios(raw: RawCeiling, ratios: Record<string, number>) {
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
  const stack = await startLocalStack({ port: 0, template, clock });
  await signInBenchPeople(stack);
  try {
    instrumentSharedClient();
    if (warmup > 0) {
      console.log(`warming up with ${warmup} applications (not measured)…`);
      await runWorkload(stack, `${Date.now()}-warmup`, warmup);
    }
    const beforeRun = await storedBytes(stack);
    const first = await runWorkload(stack, `${Date.now()}-a`, n);
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
      const second = await runWorkload(stack, `${Date.now()}-b`, n);
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
        profileFigures[name] = await measureProfile(stack, clock, name, profileN, first);
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
