/**
 * The employment ledger through its HTTP handlers against DynamoDB Local: registration, status
 * changes, households and the zero-employment rule, the refusals (nothing half-written), the
 * verified history, final approvals fed in from the stream (replayed), the counters against a
 * rebuild from the events, the scorecard and the annual evaluation.
 */
import { QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { adminLogRepository } from '../../functions/administration/store/admin-log.js';
import { policyRepository } from '../../functions/administration/store/policies.js';
import { unitRepository } from '../../functions/administration/store/units.js';
import { makeDecideApplication } from '../../functions/applications/http/decide-application.js';
import { makeSubmitApplication } from '../../functions/applications/http/submit-application.js';
import { applicationRepository } from '../../functions/applications/store/applications.js';
import { recorded } from '../../functions/employment/domain/ledger-lifecycle.js';
import { makeEmploymentFeed } from '../../functions/employment/events/employment-feed.js';
import {
  makeApproveEvaluation,
  makeComputeEvaluation,
  makeGetEvaluation,
  makePublishedCommunities,
  makePublishedCommunitiesCsv,
} from '../../functions/employment/http/evaluations.js';
import {
  type FullEmploymentDependencies,
  makeScorecard,
  makeScorecardCsv,
} from '../../functions/employment/http/full-employment.js';
import {
  type LedgerRegistrationDependencies,
  makeChangeLedgerStatus,
  makeGetLedgerEntry,
  makeListLedgerEntries,
  makeRegisterLedgerEntry,
} from '../../functions/employment/http/ledger.js';
import { employmentLedgerRepository } from '../../functions/employment/store/employment-ledger.js';
import { evaluationRepository } from '../../functions/employment/store/evaluations.js';
import {
  ledgerCountersFromEvents,
  rebuildLedgerCounters,
  storedLedgerCounters,
} from '../../functions/employment/store/ledger-counters.js';
import { historyMacFromEnvironment } from '../../functions/kernel/adapters/history-mac.js';
import type { Actor } from '../../functions/kernel/domain/actor.js';
import { residentIdKey } from '../../functions/kernel/domain/resident-id-key.js';
import { readAuditRepository } from '../../functions/kernel/store/read-audit.js';
import { keys, type TableContext, toItem } from '../../functions/kernel/store/table.js';
import { makeThroughputAggregator } from '../../functions/monitoring/events/stream-aggregator.js';
import { metricsRepository } from '../../functions/monitoring/store/metrics.js';
import { actors, asPerson, contractBody } from '../../tools/support/fixtures.js';
import { actorFromTestClaims, httpEvent, lambdaContext, parsed } from '../../tools/support/http-events.js';
import { freshTable } from '../support/dynamo.js';
import { handlerDependencies } from '../support/handler-deps.js';

const secret = 'e'.repeat(32);
const now = () => new Date('2026-11-28T03:00:00Z');
let table: TableContext;
let ledgerDeps: LedgerRegistrationDependencies;
let fullDeps: FullEmploymentDependencies;
let ids = 0;
let people = 0;
/** A fresh man born 1990-07-07 (far from retirement). */
const newPerson = () => asPerson(contractBody('microloan-guarantee'), 5000 + ++people).applicant.idNumber as string;

beforeAll(async () => {
  table = await freshTable();
  const ledger = employmentLedgerRepository(table, historyMacFromEnvironment());
  ledgerDeps = {
    resolveActor: actorFromTestClaims,
    ledger,
    units: unitRepository(table),
    policies: policyRepository(table),
    now,
    newId: () => `le-${++ids}`,
    residentIdSecret: secret,
    sealResidentId: async (clear) => `sealed:${clear.length}`,
    readAudit: readAuditRepository(table),
  };
  fullDeps = {
    resolveActor: actorFromTestClaims,
    ledger,
    metrics: metricsRepository(table),
    units: unitRepository(table),
    policies: policyRepository(table),
    evaluations: evaluationRepository(table),
    adminLog: adminLogRepository(table),
    now,
  };
});

const register = (actor: Actor, body: unknown) =>
  makeRegisterLedgerEntry(ledgerDeps)(httpEvent({ actor, body }), lambdaContext);
const change = (actor: Actor, id: string, body: unknown) =>
  makeChangeLedgerStatus(ledgerDeps)(httpEvent({ actor, body, pathParameters: { id } }), lambdaContext);
const getEntry = (actor: Actor, id: string) =>
  makeGetLedgerEntry(ledgerDeps)(httpEvent({ actor, pathParameters: { id } }), lambdaContext);

async function registered(actor: Actor, body: Record<string, unknown> = {}) {
  const answer = await register(actor, {
    idNumber: newPerson(),
    name: '张伟强',
    phone: '13900000001',
    registeredOn: '2026-03-02',
    household: { new: { label: '幸福路1号' } },
    ...body,
  });
  expect(answer.statusCode, answer.body).toBe(201);
  return parsed(answer);
}

async function eventCount(entryId: string) {
  const { Items } = await table.client.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :evt)',
      ExpressionAttributeValues: toItem({ ':pk': keys.ledgerEntry(entryId).pk, ':evt': 'EVT#' }),
      ConsistentRead: true,
    }),
  );
  return Items?.length ?? 0;
}

describe('registering and changing', () => {
  it('registers a person, shows them to their community and masked to others', async () => {
    const idNumber = newPerson();
    const entry = await registered(actors.gexin01Staff, { idNumber });
    expect(entry).toMatchObject({
      status: 'unemployed',
      name: '张伟强',
      phone: '13900000001',
      personalData: 'identified',
    });
    expect(entry.idNumber).toBe(`${idNumber.slice(0, 4)}${'*'.repeat(14)}`);
    // Of the person's age the table keeps the retirement month only, and no view shows it.
    expect(entry.workingAgeUntil).toBeUndefined();
    const stored = await ledgerDeps.ledger.entry(entry.id);
    expect(stored?.workingAgeUntil).toMatch(/^\d{4}-\d{2}$/);
    expect(JSON.stringify(stored)).not.toContain(idNumber.slice(6, 14));
    const seenByStreet = parsed(await getEntry(actors.gexinApprover, entry.id));
    expect(seenByStreet).toMatchObject({ name: '张*强', personalData: 'masked', historyIntact: true });
    expect(seenByStreet.phone).toBeUndefined();
    expect(JSON.stringify(seenByStreet)).not.toContain(idNumber);
    const outside = await getEntry(actors.jianbeiApprover, entry.id);
    const unknown = await getEntry(actors.jianbeiApprover, 'no-such-entry');
    // Outside the reader's unit is answered as an entry that does not exist.
    expect(outside.statusCode).toBe(404);
    expect(outside.body).toBe(String(unknown.body).replaceAll('no-such-entry', entry.id));
  });

  it('refuses the same person twice in one city with 409 naming the entry, writing nothing', async () => {
    const idNumber = newPerson();
    const first = await registered(actors.gexin01Staff, { idNumber });
    const again = await register(actors.jianbei01Staff, {
      idNumber,
      name: '张伟强',
      registeredOn: '2026-04-01',
      household: { new: {} },
    });
    expect(again.statusCode).toBe(409);
    expect(parsed(again)).toMatchObject({ existingEntryId: first.id });
    const list = parsed(
      await makeListLedgerEntries(ledgerDeps)(httpEvent({ actor: actors.jianbei01Staff }), lambdaContext),
    );
    expect(list.entries).toEqual([]);
  });

  it('registers a person again in the community they moved to, naming the entry they left, not before they left', async () => {
    const idNumber = newPerson();
    const first = await registered(actors.gexin01Staff, { idNumber, registeredOn: '2026-03-02' });
    const moved = await change(actors.gexin01Staff, first.id, {
      on: '2026-05-10',
      status: 'moved-away',
      evidence: { kind: 'household-transfer' },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const registerAt = (actor: Actor, registeredOn: string) =>
      register(actor, { idNumber, name: '张伟强', registeredOn, household: { new: { label: '建北路2号' } } });

    const tooEarly = await registerAt(actors.jianbei01Staff, '2026-05-09');
    expect(tooEarly.statusCode).toBe(422);
    expect(parsed(tooEarly).errors[0].field).toBe('registeredOn');

    const again = await registerAt(actors.jianbei01Staff, '2026-05-10');
    expect(again.statusCode, again.body).toBe(201);
    const second = parsed(again);
    expect(second).toMatchObject({
      status: 'unemployed',
      communityId: 'community:jianbei-01',
      previousEntryId: first.id,
    });
    expect(await ledgerDeps.ledger.registeredEntryOf(residentIdKey(idNumber, secret), 'city:shijiazhuang')).toBe(
      second.id,
    );
    // The old entry stays as it was, moved away; the person is held once, by the new community.
    expect(parsed(await getEntry(actors.gexin01Staff, first.id))).toMatchObject({ status: 'moved-away' });
    const thrice = await registerAt(actors.gexin01Staff, '2026-06-01');
    expect(thrice.statusCode).toBe(409);
    expect(parsed(thrice)).toMatchObject({ existingEntryId: second.id });
  });

  it('refuses a change dated before the registration or in the future with 422, writing nothing', async () => {
    const entry = await registered(actors.gexin01Staff);
    for (const on of ['2026-03-01', '2026-12-01']) {
      const answer = await change(actors.gexin01Staff, entry.id, {
        on,
        status: 'employed',
        employment: 'enterprise',
        evidence: { kind: 'contract' },
      });
      expect(answer.statusCode, answer.body).toBe(422);
      expect(parsed(answer).errors[0].field).toBe('on');
    }
    expect(await eventCount(entry.id)).toBe(1);
    expect(parsed(await getEntry(actors.gexin01Staff, entry.id))).toMatchObject({ status: 'unemployed', version: 1 });
  });

  it('refuses a household of another city, and of another community, with 422', async () => {
    const elsewhere = await registered(actors.jianbei01Staff);
    const answer = await register(actors.gexin01Staff, {
      idNumber: newPerson(),
      name: '李四',
      registeredOn: '2026-03-02',
      household: { id: elsewhere.household.id },
    });
    expect(answer.statusCode).toBe(422);
    expect(parsed(answer).errors[0].field).toBe('household.id');

    // A household kept in another city (written as that city's registration would write it).
    const ledger = employmentLedgerRepository(table, historyMacFromEnvironment());
    const baodingPath = ['city:baoding', 'district:lianchi', 'street:yuhua', 'community:yuhua-01'];
    await ledger.record(
      recorded({
        entry: {
          id: 'baoding-1',
          cityId: 'city:baoding',
          communityId: 'community:yuhua-01',
          unitPath: baodingPath,
          householdId: 'baoding-household',
          registeredOn: '2026-03-01',
          status: 'unemployed',
          statusSince: '2026-03-01',
          workingAgeUntil: '2050-01-01',
          certificateHolder: false,
          version: 1,
          name: '王五',
          idNumber: '1306**************',
          personKey: 'baoding-key',
          eventSeq: 0,
          lastEventHash: 'GENESIS',
          applications: [],
          updatedAt: now().toISOString(),
        },
        priorVersion: 0,
        household: {
          id: 'baoding-household',
          cityId: 'city:baoding',
          communityId: 'community:yuhua-01',
          unitPath: baodingPath,
          members: {},
          episodes: [],
          version: 0,
        },
        event: {
          at: now().toISOString(),
          on: '2026-03-01',
          action: 'registered',
          actor: { sub: 'staff-yuhua', role: 'community-staff', unit: 'community:yuhua-01' },
          status: 'unemployed',
          certificateHolder: false,
          unitPath: baodingPath,
          householdId: 'baoding-household',
        },
        registration: {},
      }),
    );
    const idNumber = newPerson();
    const otherCity = await register(actors.gexin01Staff, {
      idNumber,
      name: '李四',
      registeredOn: '2026-03-02',
      household: { id: 'baoding-household' },
    });
    expect(otherCity.statusCode).toBe(422);
    expect(parsed(otherCity).detail).toMatch(/one city/);
    // Nothing of the refused person was written: they can be registered now.
    await registered(actors.gexin01Staff, { idNumber });
  });

  it('flags a household as a zero-employment family from its members, and resolves it when one finds work', async () => {
    const first = await registered(actors.gexin02Staff, { registeredOn: '2026-02-01' });
    expect(first.household).toMatchObject({ zeroEmployment: true, zeroSince: '2026-02-01' });
    const second = await registered(actors.gexin02Staff, {
      registeredOn: '2026-02-03',
      household: { id: first.household.id },
    });
    expect(second.household.members).toHaveLength(2);
    const working = await change(actors.gexin02Staff, second.id, {
      on: '2026-03-20',
      status: 'employed',
      employment: 'flexible',
      evidence: { kind: 'flexible-employment-registration', reference: 'LH-2026-7' },
    });
    expect(working.statusCode, working.body).toBe(200);
    expect(parsed(working).household).toMatchObject({
      zeroEmployment: false,
      episodes: [{ from: '2026-02-01', to: '2026-03-20' }],
    });
    expect(parsed(working).event).toMatchObject({ householdEffect: 'resolved', statusBefore: 'unemployed' });
    const stale = await change(actors.gexin02Staff, second.id, {
      on: '2026-04-01',
      status: 'unemployed',
      evidence: { kind: 'contract-ended' },
      expectedVersion: 1,
    });
    expect(stale.statusCode).toBe(409);
  });

  it('keeps a verifiable history: an edited event is found out', async () => {
    const entry = await registered(actors.gexin01Staff);
    await change(actors.gexin01Staff, entry.id, {
      on: '2026-05-01',
      status: 'left-labour-force',
      evidence: { kind: 'statement' },
    });
    await table.client.send(
      new UpdateItemCommand({
        TableName: table.tableName,
        Key: toItem(keys.ledgerEvent(entry.id, 2)),
        UpdateExpression: 'SET #on = :on',
        ExpressionAttributeNames: { '#on': 'on' },
        ExpressionAttributeValues: toItem({ ':on': '2026-04-01' }),
      }),
    );
    const seen = parsed(await getEntry(actors.gexin01Staff, entry.id));
    expect(seen.historyIntact).toBe(false);
    expect(seen.historyFindings.join(' ')).toMatch(/chain/);
    // Put back, so the counters below are judged against the history as written.
    await table.client.send(
      new UpdateItemCommand({
        TableName: table.tableName,
        Key: toItem(keys.ledgerEvent(entry.id, 2)),
        UpdateExpression: 'SET #on = :on',
        ExpressionAttributeNames: { '#on': 'on' },
        ExpressionAttributeValues: toItem({ ':on': '2026-05-01' }),
      }),
    );
    expect(parsed(await getEntry(actors.gexin01Staff, entry.id)).historyIntact).toBe(true);
  });
});

describe('subsidies feed the ledger', () => {
  let applications = 0;
  const deps = () => handlerDependencies(table, `application-${++applications}`, { residentIdSecret: secret });
  const streamEventOf = async (applicationId: string): Promise<DynamoDBStreamEvent> => {
    const { Items } = await table.client.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :evt)',
        ExpressionAttributeValues: toItem({ ':pk': keys.application(applicationId).pk, ':evt': 'EVT#' }),
        ConsistentRead: true,
      }),
    );
    return {
      Records: (Items ?? []).map((item) => ({
        eventName: 'INSERT',
        dynamodb: { NewImage: item as never, Keys: { pk: item.pk, sk: item.sk } as never },
      })),
    } as DynamoDBStreamEvent;
  };

  async function approved(body: Record<string, any>): Promise<string> {
    const d = deps();
    const submitted = await makeSubmitApplication(d)(httpEvent({ actor: actors.gexin01Staff, body }), lambdaContext);
    expect(submitted.statusCode, submitted.body).toBe(201);
    const { id } = parsed(submitted);
    for (const [actor, version] of [
      [actors.gexinApprover, 1],
      [actors.cityApprover, 2],
    ] as const) {
      const answer = await makeDecideApplication(d)(
        httpEvent({ actor, body: { decision: 'approve', expectedVersion: version }, pathParameters: { id } }),
        lambdaContext,
      );
      expect(answer.statusCode, answer.body).toBe(200);
    }
    // The throughput counters (subsidies granted) are kept from the stream, as the aggregator does.
    await makeThroughputAggregator({ metrics: metricsRepository(table) })(await streamEventOf(id));
    return id;
  }

  const feed = () =>
    makeEmploymentFeed({
      ledger: ledgerDeps.ledger,
      application: async (id) => (await applicationRepository(table).get(id))?.application,
      policyOf: (application) => policyRepository(table).ofApplication(application),
      residentIdSecret: secret,
      now,
      newId: () => `feed-${++ids}`,
    });

  it('puts a registered person in flexible employment from the grant start, once however often the record is replayed', async () => {
    const body = asPerson(contractBody('flexible-employment'), 6001);
    const entry = await registered(actors.gexin01Staff, {
      idNumber: body.applicant.idNumber,
      registeredOn: '2026-01-05',
    });
    const applicationId = await approved(body);
    const records = await streamEventOf(applicationId);
    expect(await feed()(records)).toEqual({ recorded: 1 });
    expect(await feed()(records)).toEqual({ recorded: 0 });
    const after = parsed(await getEntry(actors.gexin01Staff, entry.id));
    expect(after).toMatchObject({ status: 'employed', employment: 'flexible', applications: [applicationId] });
    expect(after.history).toHaveLength(2);
    expect(after.history[1]).toMatchObject({
      applicationId,
      evidence: { kind: 'subsidy-approval', reference: applicationId },
    });
    expect(after.historyIntact).toBe(true);
  });

  it('registers where the application was taken in a person who moved away, naming the old entry', async () => {
    const body = asPerson(contractBody('flexible-employment'), 6003);
    const old = await registered(actors.gexin01Staff, {
      idNumber: body.applicant.idNumber,
      registeredOn: '2026-01-05',
    });
    expect(
      (
        await change(actors.gexin01Staff, old.id, {
          on: '2026-02-01',
          status: 'moved-away',
          evidence: { kind: 'move' },
        })
      ).statusCode,
    ).toBe(200);
    const applicationId = await approved(body);
    expect(await feed()(await streamEventOf(applicationId))).toEqual({ recorded: 1 });
    const entryId = await ledgerDeps.ledger.registeredEntryOf(
      residentIdKey(body.applicant.idNumber, secret),
      'city:shijiazhuang',
    );
    expect(entryId).not.toBe(old.id);
    const entry = parsed(await getEntry(actors.gexin01Staff, entryId as string));
    expect(entry).toMatchObject({ status: 'employed', previousEntryId: old.id, applications: [applicationId] });
    expect(parsed(await getEntry(actors.gexin01Staff, old.id))).toMatchObject({
      status: 'moved-away',
      applications: [],
    });
  });

  it('registers on the spot a person the ledger did not hold, then puts them in work', async () => {
    const body = asPerson(contractBody('flexible-employment'), 6002);
    const applicationId = await approved(body);
    expect(await feed()(await streamEventOf(applicationId))).toEqual({ recorded: 1 });
    const entryId = await ledgerDeps.ledger.registeredEntryOf(
      residentIdKey(body.applicant.idNumber, secret),
      'city:shijiazhuang',
    );
    expect(entryId).toBeDefined();
    const entry = parsed(await getEntry(actors.gexin01Staff, entryId as string));
    expect(entry).toMatchObject({ status: 'employed', applications: [applicationId] });
    expect(entry.history.map((e: { action: string }) => e.action)).toEqual(['registered', 'status-changed']);
  });
});

describe('counters, scorecard and evaluation', () => {
  it('has incremental counters equal to a rebuild from the events', async () => {
    const incremental = await storedLedgerCounters(table);
    const fromEvents = await ledgerCountersFromEvents(table);
    expect(incremental.size).toBeGreaterThan(0);
    expect(incremental).toEqual(fromEvents);
    await rebuildLedgerCounters(table);
    expect(await storedLedgerCounters(table)).toEqual(incremental);
  });

  it('answers a scorecard per unit and period, with its children, as JSON and CSV', async () => {
    const card = parsed(
      await makeScorecard(fullDeps)(
        httpEvent({ actor: actors.cityMonitor, queryStringParameters: { period: '2026', unit: 'street:gexin' } }),
        lambdaContext,
      ),
    );
    const gexin02 = card.children.find((c: { unit: string }) => c.unit === 'community:gexin-02');
    expect(gexin02).toMatchObject({
      registeredUnemployed: 1,
      employed: 1,
      rate: 0.5,
      targetRate: 0.9,
      meetsTarget: false,
    });
    expect(gexin02.zeroEmployment).toMatchObject({ found: 1, resolved: 1, open: 0 });
    expect(card.registeredInPeriod).toBe(
      card.children.reduce((n: number, c: { registeredInPeriod: number }) => n + c.registeredInPeriod, 0),
    );
    // The three approvals the feed's tests made (6001, 6002, 6003).
    expect(card.subsidies['social-insurance/flexible-employment'].count).toBe(3);
    const march = parsed(
      await makeScorecard(fullDeps)(
        httpEvent({ actor: actors.gexin02Staff, queryStringParameters: { period: '2026-03' } }),
        lambdaContext,
      ),
    );
    expect(march).toMatchObject({ unit: 'community:gexin-02', reemployedInPeriod: 1, zeroEmployment: { resolved: 1 } });
    const outside = await makeScorecard(fullDeps)(
      httpEvent({ actor: actors.gexin02Staff, queryStringParameters: { period: '2026', unit: 'street:gexin' } }),
      lambdaContext,
    );
    expect(outside.statusCode).toBe(403);
    const csv = await makeScorecardCsv(fullDeps)(
      httpEvent({ actor: actors.cityMonitor, queryStringParameters: { period: '2026' } }),
      lambdaContext,
    );
    expect(csv.headers?.['content-type']).toMatch(/text\/csv/);
    expect(csv.body).toContain('district:xinhua');
    expect(csv.body?.startsWith('\uFEFF期间')).toBe(true);
  });

  it('evaluates every community with reasons, approves the list once and publishes it', async () => {
    const refused = await makeComputeEvaluation(fullDeps)(
      httpEvent({ actor: actors.gexin01Staff, pathParameters: { year: '2026' } }),
      lambdaContext,
    );
    expect(refused.statusCode).toBe(403);
    const computed = await makeComputeEvaluation(fullDeps)(
      httpEvent({ actor: actors.cityMonitor, pathParameters: { year: '2026' } }),
      lambdaContext,
    );
    expect(computed.statusCode, computed.body).toBe(200);
    const evaluation = parsed(computed);
    expect(evaluation.standings).toHaveLength(6);
    const gexin02 = evaluation.standings.find((s: { communityId: string }) => s.communityId === 'community:gexin-02');
    expect(gexin02.fullEmployment).toBe(false);
    expect(gexin02.criteria.map((c: { criterion: string; passed: boolean }) => [c.criterion, c.passed])).toEqual([
      ['employment-rate', false],
      ['zero-employment-families', false],
      ['ledger-timeliness', false],
    ]);
    expect(gexin02.criteria[1].figures).toMatchObject({ longestOpenDays: 47, maxOpenDays: 30 });

    const approve = () =>
      makeApproveEvaluation(fullDeps)(
        httpEvent({ actor: actors.cityApprover, pathParameters: { year: '2026' } }),
        lambdaContext,
      );
    const byMonitor = await makeApproveEvaluation(fullDeps)(
      httpEvent({ actor: actors.cityMonitor, pathParameters: { year: '2026' } }),
      lambdaContext,
    );
    expect(byMonitor.statusCode).toBe(403);
    const [first, second] = await Promise.all([approve(), approve()]);
    expect([first.statusCode, second.statusCode].sort()).toEqual([200, 409]);
    expect((await approve()).statusCode).toBe(409);
    const recompute = await makeComputeEvaluation(fullDeps)(
      httpEvent({ actor: actors.cityMonitor, pathParameters: { year: '2026' } }),
      lambdaContext,
    );
    expect(recompute.statusCode).toBe(409);
    const log = await adminLogRepository(table).entries('city:shijiazhuang');
    expect(log.filter((e) => e.action === 'evaluation.approve')).toHaveLength(1);

    const stored = parsed(
      await makeGetEvaluation(fullDeps)(
        httpEvent({ actor: actors.cityApprover, pathParameters: { year: '2026' } }),
        lambdaContext,
      ),
    );
    expect(stored).toMatchObject({ status: 'approved', approvedBy: 'approver-city' });
    const published = parsed(
      await makePublishedCommunities(fullDeps)(
        httpEvent({ actor: actors.gexin01Staff, pathParameters: { year: '2026' } }),
        lambdaContext,
      ),
    );
    const passing = evaluation.standings.filter((s: { fullEmployment: boolean }) => s.fullEmployment);
    expect(published.communities.map((c: { communityId: string }) => c.communityId)).toEqual(
      passing.map((s: { communityId: string }) => s.communityId),
    );
    const csv = await makePublishedCommunitiesCsv(fullDeps)(
      httpEvent({ actor: actors.gexin01Staff, pathParameters: { year: '2026' } }),
      lambdaContext,
    );
    expect(csv.body?.split('\r\n').filter(Boolean)).toHaveLength(1 + passing.length);
  });
});
