/**
 * The inbox on DynamoDB Local with 2,000 applications: complete, ordered oldest due first,
 * filtered, counted, paged with a cursor that stays correct while items move, and read from
 * the indexes only (no scan).
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { calendarRepository } from '../../functions/administration/store/calendars.js';
import { policyRepository } from '../../functions/administration/store/policies.js';
import { unitRepository } from '../../functions/administration/store/units.js';
import { decide } from '../../functions/applications/domain/decisions.js';
import { submitApplication } from '../../functions/applications/domain/intake.js';
import type { Application } from '../../functions/applications/domain/lifecycle.js';
import type { ApiDependencies, NoticesDependency } from '../../functions/applications/http/dependencies.js';
import { makeInbox } from '../../functions/applications/http/inbox.js';
import { applicationRepository } from '../../functions/applications/store/applications.js';
import { inboxRepository } from '../../functions/applications/store/inbox.js';
import { noticeRepository } from '../../functions/applications/store/notices.js';
import { pagingCursors } from '../../functions/kernel/adapters/paging-cursor.js';
import type { Actor } from '../../functions/kernel/domain/actor.js';
import { policyInForce } from '../../functions/kernel/domain/policies/index.js';
import type { CityPolicy } from '../../functions/kernel/domain/policy.js';
import { programmeIds } from '../../functions/kernel/domain/programmes.js';
import type { TableContext } from '../../functions/kernel/store/table.js';
import { actors, eligibleParts } from '../../tools/support/fixtures.js';
import { actorFromTestClaims, httpEvent, lambdaContext, parsed } from '../../tools/support/http-events.js';
import { freshTable, recordCommands } from '../support/dynamo.js';
import { testCursors } from '../support/handler-deps.js';

const total = 2000;
const policy = policyInForce('city:shijiazhuang', '2026-11-28') as CityPolicy;
const communities = [
  ['city:shijiazhuang', 'district:xinhua', 'street:gexin', 'community:gexin-01'],
  ['city:shijiazhuang', 'district:xinhua', 'street:gexin', 'community:gexin-02'],
  ['city:shijiazhuang', 'district:xinhua', 'street:dongfeng', 'community:dongfeng-01'],
  ['city:shijiazhuang', 'district:changan', 'street:jianbei', 'community:jianbei-01'],
];
const staffOf = (community: string): Actor => ({ sub: `staff-${community}`, role: 'community-staff', unit: community });

let table: TableContext;
let deps: ApiDependencies & NoticesDependency;
const commandsSent: string[] = [];
const created: Application[] = [];

beforeAll(async () => {
  table = await freshTable();
  // Record every command the table client sends, to prove the inbox never scans.
  recordCommands(table, commandsSent);
  const applications = applicationRepository(table);
  deps = {
    resolveActor: actorFromTestClaims,
    applications,
    inbox: inboxRepository(table, testCursors),
    units: unitRepository(table),
    policies: policyRepository(table),
    calendars: calendarRepository(table),
    workflow: { start: async () => undefined, release: async () => true, isReachable: async () => true },
    now: () => new Date('2027-01-04T02:00:00Z'),
    newApplicationId: () => 'unused',
    publishMetrics: () => undefined,
    notices: noticeRepository(table),
  };
  // Submitted over about 40 days, in shuffled order, so due dates interleave across communities.
  const plans = Array.from({ length: total }, (_, i) => ({ i, minutes: (i * 7919) % (40 * 24 * 60) }));
  for (let start = 0; start < plans.length; start += 25) {
    await Promise.all(
      plans.slice(start, start + 25).map(async ({ i, minutes }) => {
        const path = communities[i % communities.length] as string[];
        const submittedAt = new Date(Date.parse('2026-11-02T01:00:00Z') + minutes * 60_000).toISOString();
        const transition = submitApplication(
          {
            id: `inbox-${String(i).padStart(4, '0')}`,
            programme: programmeIds[i % programmeIds.length]!,
            communityPath: path,
            applicant: {
              name: '王秀英',
              idNumber: '1301**********0240',
              phone: '13800000001',
              proof: { kind: 'hard-to-employ', number: `KN-${i}` },
            },
            applicantKey: `key-${i}`,
            ...eligibleParts(programmeIds[i % programmeIds.length]!),
          },
          staffOf(path[3] as string),
          policy,
          submittedAt,
        );
        await applications.create(transition);
        created.push(transition.application);
      }),
    );
  }
}, 300_000);

const inboxOf = (actor: Actor, query: Record<string, string> = {}) =>
  makeInbox(deps)({ ...httpEvent({ actor }), queryStringParameters: query }, lambdaContext).then((r) => ({
    status: r.statusCode,
    body: parsed(r),
  }));

async function readAll(actor: Actor, query: Record<string, string>, between?: (page: number) => Promise<void>) {
  const ids: string[] = [];
  const dues: string[] = [];
  let cursor: string | undefined;
  let page = 0;
  do {
    const answer = await inboxOf(actor, { ...query, ...(cursor ? { cursor } : {}) });
    expect(answer.status).toBe(200);
    for (const item of answer.body.items) {
      ids.push(item.id);
      dues.push(item.dueAt);
    }
    cursor = answer.body.nextCursor;
    await between?.(page++);
  } while (cursor);
  return { ids, dues };
}

describe('inbox with 2,000 applications', () => {
  it('gives the street approver every application at the street stage, oldest due first, without scanning', async () => {
    commandsSent.length = 0;
    const expected = created
      .filter((a) => a.unitPath.includes('street:gexin'))
      .map((a) => a.id)
      .sort();
    const { ids, dues } = await readAll(actors.gexinApprover, { limit: '50' });
    expect([...ids].sort()).toEqual(expected);
    expect(new Set(ids).size).toBe(ids.length);
    expect(dues).toEqual([...dues].sort());
    expect(commandsSent).not.toContain(ScanCommand.name);
    expect(commandsSent.filter((name) => name === 'QueryCommand').length).toBeGreaterThan(expected.length / 50);
  }, 180_000);

  it('filters by programme and community, and counts what is open at each stage under the unit', async () => {
    const programme = 'microloan-guarantee';
    const expected = created
      .filter((a) => a.communityId === 'community:gexin-02' && a.programme === programme)
      .map((a) => a.id)
      .sort();
    const { ids } = await readAll(actors.gexinApprover, { programme, communityId: 'community:gexin-02', limit: '40' });
    expect([...ids].sort()).toEqual(expected);

    const city = await inboxOf(actors.cityApprover);
    expect(city.body.counts).toEqual({ community: 0, street: total, district: 0, city: 0 });
    expect(city.body.items).toEqual([]);
    const street = await inboxOf(actors.jianbeiApprover, { limit: '1' });
    expect(street.body.counts.street).toBe(created.filter((a) => a.unitPath.includes('street:jianbei')).length);
  }, 180_000);

  it('keeps its cursor correct while applications leave the inbox between pages', async () => {
    const approver = actors.dongfengApprover;
    const atStart = created.filter((a) => a.unitPath.includes('street:dongfeng'));
    const byDue = [...atStart].sort((a, b) => (a.dueAt! < b.dueAt! ? -1 : 1));
    // After the first page, approve ten applications from the end of the queue and ten already seen.
    const leaving = [...byDue.slice(-10), ...byDue.slice(0, 10)];
    const { ids } = await readAll(approver, { limit: '50' }, async (page) => {
      if (page !== 0) return;
      for (const application of leaving) {
        const stored = (await deps.applications.get(application.id))!;
        await deps.applications.commit(
          stored,
          decide(
            stored.application,
            { decision: 'approve', expectedVersion: 1 },
            approver,
            policy,
            '2027-01-04T02:00:00Z',
          ),
        );
      }
    });
    const late = new Set(byDue.slice(-10).map((a) => a.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => late.has(id))).toEqual([]);
    const stayed = atStart.filter((a) => !leaving.includes(a)).map((a) => a.id);
    expect(ids).toEqual(expect.arrayContaining(stayed));

    const city = await inboxOf(actors.cityApprover);
    expect(city.body.counts.city).toBe(20);
    expect(city.body.items.map((i: { id: string }) => i.id).sort()).toEqual(leaving.map((a) => a.id).sort());
  }, 180_000);

  it("refuses a cursor from someone else's inbox, and roles that have no inbox", async () => {
    const theirs = (await inboxOf(actors.gexinApprover, { limit: '5' })).body.nextCursor as string;
    const answer = await inboxOf(actors.dongfengApprover, { cursor: theirs });
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0].field).toBe('cursor');
    expect((await inboxOf(actors.cityMonitor)).status).toBe(403);
  });

  it('refuses a forged or altered cursor with 400 naming it: its position changed, its tag changed, or another key', async () => {
    const own = (await inboxOf(actors.gexinApprover, { limit: '5' })).body.nextCursor as string;
    const [payload, tag] = own.split('.') as [string, string];
    const position = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const reseal = (changed: unknown) => `${Buffer.from(JSON.stringify(changed)).toString('base64url')}.${tag}`;
    const otherKey = pagingCursors(async () => Buffer.alloc(32, 8));
    const forged = [
      reseal({ ...position, pk: 7 }),
      reseal({ ...position, sk: { S: 'x' } }),
      reseal({ ...position, pk: undefined }),
      reseal({ ...position, at: '' }),
      reseal({ ...position, sk: 'x'.repeat(600) }),
      reseal([1, 2, 3]),
      `${payload}.${tag.slice(0, -2)}AA`,
      `${payload}.`,
      payload,
      await otherKey.seal('inbox|INBOX#street#street:gexin', position as Record<string, string>),
      'not base64 json at all!',
    ];

    // One after another: each is refused before the index is read, but the counts beside it are read.
    const answers = [];
    for (const cursor of forged) answers.push(await inboxOf(actors.gexinApprover, { cursor }));

    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(answer.body.errors[0].field).toBe('cursor');
    }
    // The genuine one still pages.
    expect((await inboxOf(actors.gexinApprover, { cursor: own })).status).toBe(200);
  });

  it('shows applicants masked in the list', async () => {
    const item = (await inboxOf(actors.gexinApprover, { limit: '1' })).body.items[0];
    expect(item.applicant).toEqual({ name: '王*英', idNumber: '1301**************' });
    expect(item).toMatchObject({ stage: 'street', overdue: true, daysWaiting: expect.any(Number) });
  });
});
