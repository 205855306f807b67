/**
 * GET /applications on DynamoDB Local: a community's applications, open and final, newest first,
 * filtered by status and programme, searched by name by its own staff only, paged with
 * authenticated cursors, read from the community-applications index (no scan).
 */
import { ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { submitApplication } from '../../functions/applications/domain/intake.js';
import type { Application } from '../../functions/applications/domain/lifecycle.js';
import { maskName } from '../../functions/applications/domain/privacy.js';
import { withdraw } from '../../functions/applications/domain/withdrawal.js';
import { makeListApplications } from '../../functions/applications/http/list-applications.js';
import type { Actor } from '../../functions/kernel/domain/actor.js';
import { policyInForce } from '../../functions/kernel/domain/policies/index.js';
import type { CityPolicy } from '../../functions/kernel/domain/policy.js';
import { programmeIds } from '../../functions/kernel/domain/programmes.js';
import { keys, type TableContext, toItem } from '../../functions/kernel/store/table.js';
import { actors, eligibleParts } from '../../tools/support/fixtures.js';
import { httpEvent, lambdaContext, parsed } from '../../tools/support/http-events.js';
import { freshTable, recordCommands } from '../support/dynamo.js';
import { handlerDependencies, type TestDependencies } from '../support/handler-deps.js';

const policy = policyInForce('city:shijiazhuang', '2026-11-28') as CityPolicy;
const names = ['王秀英', '李建国', '张伟', '陈建华'];
const paths = {
  'community:gexin-01': ['city:shijiazhuang', 'district:xinhua', 'street:gexin', 'community:gexin-01'],
  'community:gexin-02': ['city:shijiazhuang', 'district:xinhua', 'street:gexin', 'community:gexin-02'],
};

let table: TableContext;
let deps: TestDependencies;
const commandsSent: string[] = [];
const created: Application[] = [];

beforeAll(async () => {
  table = await freshTable();
  recordCommands(table, commandsSent);
  deps = handlerDependencies(table, 'unused');
  // 60 in gexin-01, 20 in gexin-02, submitted an hour apart in shuffled order.
  const plans = Array.from({ length: 80 }, (_, i) => ({ i, hour: (i * 37) % 80 }));
  await Promise.all(
    plans.map(async ({ i, hour }) => {
      const communityId = i < 60 ? 'community:gexin-01' : 'community:gexin-02';
      const programme = programmeIds[i % programmeIds.length]!;
      const transition = submitApplication(
        {
          id: `list-${String(i).padStart(3, '0')}`,
          programme,
          communityPath: paths[communityId],
          applicant: {
            name: names[i % names.length]!,
            idNumber: '1301**********0240',
            phone: '13800000001',
            proof: { kind: 'hard-to-employ', number: `KN-${i}` },
          },
          applicantKey: `key-${i}`,
          ...eligibleParts(programme),
        },
        i < 60 ? actors.gexin01Staff : actors.gexin02Staff,
        policy,
        new Date(Date.parse('2026-11-02T01:00:00Z') + hour * 3_600_000).toISOString(),
      );
      await deps.applications.create(transition);
      created.push(transition.application);
    }),
  );
  // Every fifth of gexin-01's is withdrawn: final, out of every inbox, still in the community's list.
  for (const application of created.filter(
    (a) => a.communityId === 'community:gexin-01' && Number(a.id.slice(5)) % 5 === 0,
  )) {
    const stored = (await deps.applications.get(application.id))!;
    await deps.applications.commit(
      stored,
      withdraw(stored.application, { expectedVersion: 1 }, actors.gexin01Staff, '2026-12-20T02:00:00Z'),
    );
    application.status = 'withdrawn';
  }
}, 180_000);

const listOf = (actor: Actor, query: Record<string, string> = {}) =>
  makeListApplications(deps)({ ...httpEvent({ actor }), queryStringParameters: query }, lambdaContext).then((r) => ({
    status: r.statusCode,
    body: parsed(r),
  }));

interface Line {
  id: string;
  status: string;
  programme: string;
  submittedAt: string;
  applicant: { name: string; idNumber: string };
}

async function readAll(actor: Actor, query: Record<string, string>) {
  const lines: Line[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const answer = await listOf(actor, { ...query, ...(cursor ? { cursor } : {}) });
    expect(answer.status).toBe(200);
    lines.push(...answer.body.items);
    cursor = answer.body.nextCursor;
    pages++;
  } while (cursor);
  return { lines, pages };
}

const newestFirst = (a: Application, b: Application) => (a.submittedAt < b.submittedAt ? 1 : -1);

describe('GET /applications', () => {
  it("gives community staff their community's applications, open and final, newest first, paged, without scanning", async () => {
    commandsSent.length = 0;
    const expected = created.filter((a) => a.communityId === 'community:gexin-01').sort(newestFirst);
    const { lines, pages } = await readAll(actors.gexin01Staff, { limit: '7' });
    expect(lines.map((l) => l.id)).toEqual(expected.map((a) => a.id));
    expect(pages).toBeGreaterThanOrEqual(9);
    expect(lines.filter((l) => l.status === 'withdrawn')).toHaveLength(12);
    // Their own community: the name in full, of the resident ID only the city.
    const first = lines[0]!;
    expect(names).toContain(first.applicant.name);
    expect(first.applicant.idNumber).toBe('1301**************');
    expect(first).not.toHaveProperty('applicant.phone');
    expect(commandsSent).not.toContain(ScanCommand.name);
  });

  it('filters by status and programme, and finds applicants by a part of their name', async () => {
    const programme = programmeIds[0]!;
    const mine = created.filter((a) => a.communityId === 'community:gexin-01');
    const withdrawn = await readAll(actors.gexin01Staff, { status: 'withdrawn', programme, limit: '2' });
    expect(withdrawn.lines.map((l) => l.id)).toEqual(
      mine
        .filter((a) => a.status === 'withdrawn' && a.programme === programme)
        .sort(newestFirst)
        .map((a) => a.id),
    );
    expect(withdrawn.lines.length).toBeGreaterThan(0);

    const found = await readAll(actors.gexin01Staff, { q: '建', limit: '5' });
    expect(found.lines.map((l) => l.id)).toEqual(
      mine
        .filter((a) => a.applicant.name.includes('建'))
        .sort(newestFirst)
        .map((a) => a.id),
    );
    expect(new Set(found.lines.map((l) => l.applicant.name))).toEqual(new Set(['李建国', '陈建华']));

    const both = await readAll(actors.gexin01Staff, { q: '张伟', status: 'in_review' });
    expect(both.lines.map((l) => l.id)).toEqual(
      mine
        .filter((a) => a.applicant.name === '张伟' && a.status === 'in_review')
        .sort(newestFirst)
        .map((a) => a.id),
    );
    expect((await listOf(actors.gexin01Staff, { q: '赵' })).body.items).toEqual([]);
  });

  it('lets approvers above the community list it, names as the privacy matrix says, but not search by name', async () => {
    const theirs = created.filter((a) => a.communityId === 'community:gexin-02').sort(newestFirst);
    // The city approver does not decide them now: masked.
    const city = await readAll(actors.cityApprover, { communityId: 'community:gexin-02', limit: '50' });
    expect(city.lines.map((l) => l.id)).toEqual(theirs.map((a) => a.id));
    expect(city.lines.map((l) => l.applicant.name)).toEqual(theirs.map((a) => maskName(a.applicant.name)));
    // The street approver decides them now (street stage): in full.
    const street = await readAll(actors.gexinApprover, { communityId: 'community:gexin-02', limit: '50' });
    expect(street.lines.map((l) => l.applicant.name)).toEqual(theirs.map((a) => a.applicant.name));

    const search = await listOf(actors.gexinApprover, { communityId: 'community:gexin-02', q: '王' });
    expect(search.status).toBe(403);
    expect(search.body.detail).toMatch(/^q:/);
    const unnamed = await listOf(actors.gexinApprover, {});
    expect(unnamed.status).toBe(422);
    expect(unnamed.body.errors[0].field).toBe('communityId');
  });

  it("refuses other communities' staff, approvers elsewhere, monitors, bad filters and other lists' cursors", async () => {
    expect((await listOf(actors.gexin02Staff, { communityId: 'community:gexin-01' })).status).toBe(403);
    expect((await listOf(actors.dongfengApprover, { communityId: 'community:gexin-01' })).status).toBe(403);
    expect((await listOf(actors.cityMonitor, { communityId: 'community:gexin-01' })).status).toBe(403);
    expect((await listOf(actors.gexin01Staff, { communityId: 'community:nowhere' })).status).toBe(403);
    for (const [field, value] of [
      ['status', 'pending'],
      ['programme', 'lottery'],
      ['q', 'x'.repeat(33)],
      ['limit', '0'],
    ] as const) {
      const answer = await listOf(actors.gexin01Staff, { [field]: value });
      expect(answer.status).toBe(422);
      expect(answer.body.errors[0].field).toBe(field);
    }
    const theirs = (await listOf(actors.gexin02Staff, { limit: '3' })).body.nextCursor as string;
    const answer = await listOf(actors.gexin01Staff, { cursor: theirs });
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0].field).toBe('cursor');
  });

  it('adds applications stored before the list existed, once, with the backfill', async () => {
    const older = created.find((a) => a.communityId === 'community:gexin-02')!;
    await table.client.send(
      new UpdateItemCommand({
        TableName: table.tableName,
        Key: toItem(keys.application(older.id)),
        UpdateExpression: 'REMOVE communityPk, communitySk',
      }),
    );
    const listed = async () => (await readAll(actors.gexin02Staff, { limit: '100' })).lines.map((l) => l.id);
    expect(await listed()).not.toContain(older.id);
    expect(await deps.inbox.addMissingToCommunityLists()).toBe(1);
    expect(await listed()).toEqual(
      created
        .filter((a) => a.communityId === 'community:gexin-02')
        .sort(newestFirst)
        .map((a) => a.id),
    );
    expect(await deps.inbox.addMissingToCommunityLists()).toBe(0);
  });
});
