/**
 * Throughput counters against DynamoDB Local: a seeded random mix of submissions, decisions,
 * returns, resubmissions and withdrawals through the real handlers and store, counted by the
 * aggregator fed from the table's stream by the local poller. The incremental counters must equal
 * a rebuild from the events, a replayed stream must count nothing twice, and the backlog must
 * match the open applications. Then the query route: scope, bad input, and the CSV.
 */

import { type AttributeValue, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { seededRandom } from '../../bench/metrics-data.js';
import { calendarRepository } from '../../functions/administration/store/calendars.js';
import { policyRepository } from '../../functions/administration/store/policies.js';
import { unitRepository } from '../../functions/administration/store/units.js';
import { makeDecideApplication } from '../../functions/applications/http/decide-application.js';
import { makeResubmitApplication } from '../../functions/applications/http/resubmit-application.js';
import { makeSubmitApplication } from '../../functions/applications/http/submit-application.js';
import { makeWithdrawApplication } from '../../functions/applications/http/withdraw-application.js';
import { applicationRepository } from '../../functions/applications/store/applications.js';
import { inboxRepository } from '../../functions/applications/store/inbox.js';
import { noticeRepository } from '../../functions/applications/store/notices.js';
import type { ApprovalWorkflow } from '../../functions/kernel/adapters/approval-workflow.js';
import type { Actor } from '../../functions/kernel/domain/actor.js';
import { readAuditRepository } from '../../functions/kernel/store/read-audit.js';
import { fromItem, keys, type TableContext, toItem } from '../../functions/kernel/store/table.js';
import type { CountableEvent } from '../../functions/monitoring/domain/throughput.js';
import { makeThroughputAggregator } from '../../functions/monitoring/events/stream-aggregator.js';
import {
  makeThroughput,
  makeThroughputCsv,
  type ThroughputDependencies,
} from '../../functions/monitoring/http/throughput.js';
import { countableEventOf, metricsRepository, waitingAtStages } from '../../functions/monitoring/store/metrics.js';
import { startLocalWebhooks } from '../../local/webhooks.js';
import { bodyForPerson } from '../../tools/support/applicants.js';
import { eventually } from '../../tools/support/eventually.js';
import { contractFirms, exchangeDouble } from '../../tools/support/exchange-double.js';
import { actors, sealForTests } from '../../tools/support/fixtures.js';
import { actorFromTestClaims, httpEvent, lambdaContext, parsed } from '../../tools/support/http-events.js';
import { counterFigures } from '../support/consistency.js';
import { freshTable } from '../support/dynamo.js';
import type { TestDependencies } from '../support/handler-deps.js';
import { testCursors } from '../support/handler-deps.js';

const workflow: ApprovalWorkflow = {
  start: async () => undefined,
  release: async () => true,
  isReachable: async () => true,
};
let table: TableContext;
let deps: TestDependencies;
let clock = Date.parse('2026-11-02T01:00:00Z');
let ids = 0;
const pollers: { stop(): Promise<void> }[] = [];

beforeAll(async () => {
  table = await freshTable({ stream: true });
  deps = {
    resolveActor: actorFromTestClaims,
    applications: applicationRepository(table),
    inbox: inboxRepository(table, testCursors),
    units: unitRepository(table),
    policies: policyRepository(table),
    calendars: calendarRepository(table),
    workflow,
    now: () => new Date(clock),
    newApplicationId: () => `tp-${String(++ids).padStart(3, '0')}`,
    residentIdSecret: 's'.repeat(32),
    publishMetrics: () => undefined,
    sealResidentId: sealForTests,
    readAudit: readAuditRepository(table),
    dataExchange: exchangeDouble(structuredClone(contractFirms)),
    notices: noticeRepository(table),
  };
});
afterAll(async () => {
  for (const poller of pollers) await poller.stop();
});

/** The aggregator fed from the table's stream by the local poller, as `npm start` runs it; answers its running counts. */
function aggregateFromStream() {
  // The poller's streams client reads its region and credentials from the environment, as on Lambda.
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  const totals = { counted: 0, skipped: 0 };
  const aggregate = makeThroughputAggregator({ metrics: metricsRepository(table) });
  const poller = startLocalWebhooks({
    client: table.client,
    endpoint: inject('dynamoEndpoint'),
    tableName: table.tableName,
    streamConsumer: async (batch) => {
      const answer = await aggregate(batch);
      totals.counted += answer.counted;
      totals.skipped += answer.skipped;
    },
    deliveryWorker: async () => undefined,
    intervalMs: 50,
  });
  pollers.push(poller);
  return totals;
}

const communities = [
  { staff: actors.gexin01Staff, street: actors.gexinApprover },
  { staff: actors.gexin02Staff, street: actors.gexinApprover },
  { staff: actors.jianbei01Staff, street: actors.jianbeiApprover },
];
const programmes = ['post-subsidy', 'public-welfare-post'] as const;

const bodyFor = (programme: (typeof programmes)[number], communityId: string, n: number) =>
  bodyForPerson(programme, communityId, n);

interface Open {
  id: string;
  version: number;
  status: string;
  stage: string;
  community: (typeof communities)[number];
}

const call = async (handler: ReturnType<typeof makeSubmitApplication>, actor: Actor, body: unknown, id?: string) =>
  handler(httpEvent({ actor, body, pathParameters: id ? { id } : undefined }), lambdaContext);

/** Drives `steps` random moves through the handlers; answers how many history events were written. */
async function randomMix(seed: number, steps: number): Promise<number> {
  const next = seededRandom(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T;
  const open: Open[] = [];
  let events = 0;
  for (let step = 0; step < steps; step++) {
    clock += Math.floor((1 + next() * 20) * 3_600_000);
    const live = open.filter((a) => a.status === 'in_review' || a.status === 'returned');
    if (live.length === 0 || next() < 0.3) {
      const community = pick(communities);
      const answer = await call(
        makeSubmitApplication(deps),
        community.staff,
        bodyFor(pick(programmes), community.staff.unit, ids + 1),
      );
      expect(answer.statusCode, answer.body).toBe(201);
      const created = parsed(answer);
      open.push({ id: created.id, version: created.version, status: created.status, stage: created.stage, community });
      events++;
      continue;
    }
    const application = pick(live);
    const roll = next();
    let answer: Awaited<ReturnType<typeof call>>;
    if (application.status === 'returned') {
      answer =
        roll < 0.8
          ? await call(
              makeResubmitApplication(deps),
              application.community.staff,
              { expectedVersion: application.version },
              application.id,
            )
          : await call(
              makeWithdrawApplication(deps),
              application.community.staff,
              { expectedVersion: application.version },
              application.id,
            );
    } else if (roll < 0.08) {
      answer = await call(
        makeWithdrawApplication(deps),
        application.community.staff,
        { expectedVersion: application.version },
        application.id,
      );
    } else {
      const approver = application.stage === 'street' ? application.community.street : actors.cityApprover;
      const decision =
        roll < 0.6
          ? { decision: 'approve' }
          : roll < 0.75
            ? { decision: 'reject', reason: 'not-eligible' }
            : { decision: 'return', comment: '请补充材料' };
      answer = await call(
        makeDecideApplication(deps),
        approver,
        { ...decision, expectedVersion: application.version },
        application.id,
      );
    }
    // A return past the city's cap on rounds is refused (422) and writes nothing; anything else must succeed.
    if (answer.statusCode === 422) continue;
    expect(answer.statusCode, answer.body).toBe(200);
    const moved = parsed(answer);
    Object.assign(application, { version: moved.version, status: moved.status, stage: moved.stage });
    events++;
  }
  return events;
}

const query = (actor: Actor, parameters: Record<string, string>, make = makeThroughput) =>
  make(throughputDeps())(httpEvent({ actor, queryStringParameters: parameters }), lambdaContext);
const throughputDeps = (): ThroughputDependencies => ({
  resolveActor: actorFromTestClaims,
  metrics: metricsRepository(table),
  units: unitRepository(table),
  now: () => new Date(clock),
});

const streetMonitor: Actor = { sub: 'monitor-gexin', role: 'city-monitor', unit: 'street:gexin' };
let eventsWritten = 0;

describe('counters kept from the stream', () => {
  it('equal a rebuild from the events after a random mix, and a replayed stream counts nothing twice', async () => {
    const stream = aggregateFromStream();
    eventsWritten = await randomMix(20261128, 45);
    await eventually('every event counted', () => stream.counted === eventsWritten, 90_000);
    const metrics = metricsRepository(table);
    const incremental = counterFigures(await metrics.allCounterItems());
    expect(incremental.size).toBeGreaterThan(20);

    const rebuilt = await metrics.rebuild();
    expect(rebuilt).toMatchObject({ events: eventsWritten, counted: eventsWritten });
    expect(counterFigures(await metrics.allCounterItems())).toEqual(incremental);

    // A second reader from the stream's oldest record: every event again, none counted again.
    const replay = aggregateFromStream();
    await eventually('the whole stream replayed', () => replay.skipped === eventsWritten, 90_000);
    expect(replay.counted).toBe(0);
    // And past the replay shortcut: the transaction itself refuses an event counted before.
    const { Item } = await table.client.send(
      new GetItemCommand({ TableName: table.tableName, Key: toItem(keys.applicationEvent('tp-001', 1)) }),
    );
    const first = countableEventOf(fromItem(Item as Record<string, AttributeValue>));
    expect(first).toMatchObject({ action: 'submitted', unitPath: expect.arrayContaining(['city:shijiazhuang']) });
    expect(await metrics.countOnce(first as CountableEvent)).toBe(false);
    expect(counterFigures(await metrics.allCounterItems())).toEqual(incremental);
  }, 300_000);

  it('agrees with the records: submissions, final outcomes and what waits now', async () => {
    const open = await deps.applications.listOpen();
    const answer = await query(actors.cityMonitor, { from: '2026-11-01', to: '2027-01-31', granularity: 'month' });
    expect(answer.statusCode).toBe(200);
    const body = parsed(answer);
    expect(body.totals.submitted).toBe(ids);
    // The seeded mix reaches every outcome, so every counter is exercised.
    for (const field of ['advanced', 'approved', 'rejected', 'returned', 'resubmitted', 'withdrawn'])
      expect(body.totals[field], field).toBeGreaterThan(0);
    const counts = await deps.inbox.countsUnder(['city:shijiazhuang']);
    expect(body.totals.backlog).toEqual({ street: counts.street, district: counts.district, city: counts.city });
    expect(body.totals.approved + body.totals.rejected + body.totals.withdrawn).toBe(ids - open.length);
    expect(body.totals.timeInStageHours.street.p50).toBeGreaterThan(0);
    // The districts' rows add up to the city's totals.
    const sum = (field: string) =>
      body.rows.reduce((n: number, row: Record<string, number>) => n + (row[field] as number), 0);
    for (const field of ['submitted', 'advanced', 'approved', 'rejected', 'returned', 'resubmitted', 'withdrawn'])
      expect(sum(field)).toBe(body.totals[field]);
    expect(new Set(body.rows.map((r: { unit: string }) => r.unit))).toEqual(
      new Set(['district:xinhua', 'district:changan']),
    );
  });

  it('gives the backlog probe what waits at each stage, how much is overdue and the oldest arrival, from the index alone', async () => {
    const open = (await deps.applications.listOpen()).map((s) => s.application).filter((a) => a.status === 'in_review');
    const stages = await waitingAtStages(table);
    for (const { stage, waiting, overdue, oldestEnteredAt } of stages) {
      const here = open.filter((a) => a.stage === stage);
      expect(waiting, stage).toBe(here.length);
      expect(overdue).toBe(here.filter((a) => a.overdue).length);
      expect(oldestEnteredAt).toBe(here.map((a) => a.stageEnteredAt).sort()[0]);
    }
    expect(stages.find((s) => s.stage === 'street')?.waiting).toBeGreaterThan(0);
  });

  it("answers from counter items only: key-range queries of METRIC# partitions, the counters' generation and unit names, never a Scan, never the events", async () => {
    const send = vi.spyOn(table.client, 'send');
    const answer = await query(actors.cityMonitor, { from: '2026-01-01', to: '2026-12-31', granularity: 'day' });
    expect(answer.statusCode).toBe(200);
    const commands = send.mock.calls.map(
      ([command]) => command as { constructor: { name: string }; input: Record<string, any> },
    );
    send.mockRestore();
    expect(commands.length).toBeGreaterThan(0);
    for (const command of commands) {
      const { input } = command;
      if (command.constructor.name === 'QueryCommand') {
        expect(input.IndexName).toBeUndefined();
        expect(input.ExpressionAttributeValues[':pk'].S).toMatch(/^METRIC#/);
      } else {
        expect(command.constructor.name).toBe('GetItemCommand');
        expect(input.Key.pk.S).toMatch(/^(UNIT#|METRICS$)/);
      }
    }
  });

  it('breaks a street down by its communities and a programme by itself', async () => {
    const street = parsed(
      await query(streetMonitor, { from: '2026-11-01', to: '2027-01-31', unit: 'street:gexin', granularity: 'week' }),
    );
    expect(new Set(street.rows.map((r: { unit: string }) => r.unit))).toEqual(
      new Set(['community:gexin-01', 'community:gexin-02']),
    );
    expect(street.rows.every((r: { period: string }) => /^\d{4}-W\d{2}$/.test(r.period))).toBe(true);
    // A community's figures are its street's rows for it.
    const community = parsed(
      await query(streetMonitor, {
        from: '2026-11-01',
        to: '2027-01-31',
        unit: 'community:gexin-01',
        granularity: 'week',
      }),
    );
    const itsRows = street.rows.filter((r: { unit: string }) => r.unit === 'community:gexin-01');
    expect(community.rows).toEqual(itsRows);
    expect(community.totals.submitted).toBe(
      itsRows.reduce((n: number, r: { submitted: number }) => n + r.submitted, 0),
    );
    expect(community.totals.submitted).toBeGreaterThan(0);
    const one = parsed(
      await query(actors.cityMonitor, {
        from: '2026-11-01',
        to: '2027-01-31',
        programme: 'post-subsidy',
        granularity: 'month',
      }),
    );
    const other = parsed(
      await query(actors.cityMonitor, {
        from: '2026-11-01',
        to: '2027-01-31',
        programme: 'social-insurance/public-welfare-post',
        granularity: 'month',
      }),
    );
    const all = parsed(await query(actors.cityMonitor, { from: '2026-11-01', to: '2027-01-31', granularity: 'month' }));
    expect(one.totals.submitted + other.totals.submitted).toBe(all.totals.submitted);
    expect(one.totals.backlog.street + other.totals.backlog.street).toBe(all.totals.backlog.street);
  });
});

describe('who may read the figures, and what is refused', () => {
  it('refuses a street monitor another street, and community staff and approvers any figures', async () => {
    expect(
      (await query(streetMonitor, { from: '2026-11-01', to: '2026-11-30', unit: 'street:gexin' })).statusCode,
    ).toBe(200);
    const other = await query(streetMonitor, { from: '2026-11-01', to: '2026-11-30', unit: 'street:jianbei' });
    expect(other.statusCode).toBe(403);
    expect(other.headers?.['content-type']).toMatch(/^application\/problem\+json/);
    expect(
      (await query(streetMonitor, { from: '2026-11-01', to: '2026-11-30', unit: 'city:shijiazhuang' })).statusCode,
    ).toBe(403);
    expect((await query(actors.gexin01Staff, { from: '2026-11-01', to: '2026-11-30' })).statusCode).toBe(403);
    expect((await query(actors.cityApprover, { from: '2026-11-01', to: '2026-11-30' })).statusCode).toBe(403);
  });

  it.each([
    [{ from: '2026-11-30', to: '2026-11-01' }, 'to'],
    [{ from: '2025-11-01', to: '2026-11-30' }, 'to'],
    [{ from: '2026-02-30', to: '2026-11-30' }, 'from'],
    [{ from: 'yesterday', to: '2026-11-30' }, 'from'],
    [{ from: '2026-11-01' }, 'to'],
    [{ from: '2026-11-01', to: '2026-11-30', granularity: 'hour' }, 'granularity'],
    [{ from: '2026-11-01', to: '2026-11-30', unit: 'street:nowhere' }, 'unit'],
    [{ from: '2026-11-01', to: '2026-11-30', unit: 'gexin' }, 'unit'],
    [{ from: '2026-11-01', to: '2026-11-30', programme: 'lottery' }, 'programme'],
  ])('answers 422 naming the field for %j', async (parameters, field) => {
    const answer = await query(actors.cityMonitor, parameters as Record<string, string>);
    expect(answer.statusCode).toBe(422);
    expect(answer.headers?.['content-type']).toMatch(/^application\/problem\+json/);
    expect(parsed(answer).errors).toEqual([
      { field, message: expect.stringMatching(/^(is required|must|not a unit|at most)/) },
    ]);
  });

  it('answers the same rows as CSV with a byte-order mark and the units’ Chinese names', async () => {
    const json = parsed(
      await query(actors.cityMonitor, { from: '2026-11-01', to: '2027-01-31', granularity: 'month' }),
    );
    const csv = await query(
      actors.cityMonitor,
      { from: '2026-11-01', to: '2027-01-31', granularity: 'month' },
      makeThroughputCsv,
    );
    expect(csv.statusCode).toBe(200);
    expect(csv.headers?.['content-type']).toBe('text/csv; charset=utf-8');
    const text = csv.body as string;
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trimEnd().split('\r\n');
    expect(lines[0]?.split(',').slice(0, 4)).toEqual(['期间', '单位代码', '单位名称', '受理']);
    expect(lines).toHaveLength(json.rows.length + 1);
    expect(text).toContain('新华区');
    expect(text).toContain('长安区');
  });
});
