/**
 * The throughput workload: N applications, each by its own person, through submit → street
 * approval → city approval → read → inbox, by C concurrent clients over HTTP; and what the
 * workload left in the table.
 */

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Actor } from '../functions/kernel/domain/actor.js';
import { residentIdCheckChar } from '../functions/kernel/domain/resident-id.js';
import { scanAll } from '../functions/kernel/store/table.js';
import { keys } from '../functions/kernel/store/table-design.js';
import type { EngineMetrics } from '../local/engine-metrics.js';
import type { LocalStack } from '../local/runtime.js';
import { type CapacityTally, capacity, logs, resetCapacity } from './instruments.js';
import { itemSize, type LatencySummary, summarize } from './model.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// ── actors and bodies ────────────────────────────────────────────────────────────────────────
export const bodies = ['public-welfare-post', 'flexible-employment', 'post-subsidy', 'microloan-guarantee'].map(
  (name) =>
    JSON.parse(readFileSync(join(root, 'tests/fixtures/contract', `${name}.json`), 'utf8')) as { communityId: string },
);
/**
 * Application `index` is made by its own person (same birth date and sex as the example, other
 * hidden digits): a person may hold one active application per programme and one grant per month.
 */
export function ownPerson<T extends { communityId: string }>(body: T, index: number): T {
  const applicant = (body as T & { applicant: { idNumber: string } }).applicant;
  const id = applicant.idNumber;
  const digits = String(index).padStart(6, '0').slice(-6);
  const first17 = `${id.slice(0, 2)}${digits.slice(0, 2)}${digits.slice(2, 4)}${id.slice(6, 14)}${digits.slice(4, 6)}${id[16]}`;
  return { ...body, applicant: { ...applicant, idNumber: `${first17}${residentIdCheckChar(first17)}` } };
}
/** Persons are numbered across the whole process: warm-up, first and second runs never share one (grants are once a month). */
export const persons = { next: 0 };
export const streetOf: Record<string, string> = {
  'community:gexin-01': 'street:gexin',
  'community:gexin-02': 'street:gexin',
  'community:jianbei-01': 'street:jianbei',
};
const tokenCache = new Map<string, string>();
/** The bench's people: a community staff member per community, an approver per street, the city approver. */
const people = (): [string, Actor['role'], string][] => [
  ...Object.keys(streetOf).map((c): [string, Actor['role'], string] => [
    `bench-staff-${c.split(':')[1]}`,
    'community-staff',
    c,
  ]),
  ...[...new Set(Object.values(streetOf))].map((s): [string, Actor['role'], string] => [
    `bench-approver-${s.split(':')[1]}`,
    'street-approver',
    s,
  ]),
  ['bench-approver-city', 'city-approver', 'city:shijiazhuang'],
];
/**
 * Signs the bench's people in once, before anything is timed: each is given their assignment in
 * the local staff directory, and their token is kept for the throughput runs (real time; the
 * dwell profiles mint theirs on the simulated clock).
 */
export async function signInBenchPeople(stack: LocalStack): Promise<void> {
  for (const [sub, role, unit] of people())
    tokenCache.set(`${sub}|${role}|${unit}`, await stack.tokenFor({ sub, role, unit }));
}
const token = (sub: string, role: string, unit: string) => {
  const value = tokenCache.get(`${sub}|${role}|${unit}`);
  if (!value) throw new Error(`no token for ${sub}: signInBenchPeople first`);
  return value;
};
const staffToken = (community: string) => token(`bench-staff-${community.split(':')[1]}`, 'community-staff', community);
const streetToken = (street: string) => token(`bench-approver-${street.split(':')[1]}`, 'street-approver', street);
const cityToken = () => token('bench-approver-city', 'city-approver', 'city:shijiazhuang');

// ── the workload ────────────────────────────────────────────────────────────────────────────
export type Route = 'submit' | 'decide-street' | 'decide-city' | 'get' | 'inbox';
export interface RunResult {
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

export async function runWorkload(stack: LocalStack, runTag: string, n: number, c: number): Promise<RunResult> {
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
    const body = ownPerson(bodies[index % bodies.length]!, persons.next++);
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
  logs.bytes = 0;
  const before = new Set(stack.engine.listExecutions().map((record) => record.name));
  let next = 0;
  logs.capturing = true;
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: c }, async () => {
        for (let index = next++; index < n; index = next++) await oneApplication(index);
      }),
    );
    await stack.engine.whenIdle();
  } finally {
    logs.capturing = false;
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
    logBytes: logs.bytes,
  };
}

/** Sums the stored size of everything the workload left in the table (units excluded), by key prefix. */
export async function storedBytes(
  stack: LocalStack,
): Promise<{ items: number; bytes: number; byPrefix: Record<string, { items: number; bytes: number }> }> {
  const client = new DynamoDBClient({ endpoint: stack.dynamoEndpoint });
  const byPrefix: Record<string, { items: number; bytes: number }> = {};
  let items = 0;
  let bytes = 0;
  for (const item of await scanAll({ client, tableName: stack.tableName }, {})) {
    const pk = item.pk?.S ?? '';
    if (pk.startsWith(keys.unit('').pk)) continue;
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

export type Stored = Awaited<ReturnType<typeof storedBytes>>;
/** What a run added to the table: the table after it less the table before it. */
export function difference(after: Stored, before: Stored): Stored {
  const byPrefix: Stored['byPrefix'] = {};
  for (const [prefix, { items, bytes }] of Object.entries(after.byPrefix)) {
    byPrefix[prefix] = {
      items: items - (before.byPrefix[prefix]?.items ?? 0),
      bytes: bytes - (before.byPrefix[prefix]?.bytes ?? 0),
    };
  }
  return { items: after.items - before.items, bytes: after.bytes - before.bytes, byPrefix };
}
