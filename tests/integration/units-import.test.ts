/**
 * PUT /units and GET /units against DynamoDB Local: a tree imported whole or not at all, as a new
 * version, logged; and what a move does to an application already open (it stays where it was
 * submitted: its unit path is frozen at intake) and to the next one (it follows the new tree).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { AdminDependencies } from '../../functions/administration/http/dependencies.js';
import { makeGetUnits } from '../../functions/administration/http/get-units.js';
import { makePutUnits } from '../../functions/administration/http/put-units.js';
import { adminLogRepository } from '../../functions/administration/store/admin-log.js';
import { calendarRepository } from '../../functions/administration/store/calendars.js';
import { policyRepository } from '../../functions/administration/store/policies.js';
import { staffRepository } from '../../functions/administration/store/staff.js';
import { unitRepository } from '../../functions/administration/store/units.js';
import { makeDecideApplication } from '../../functions/applications/http/decide-application.js';
import { makeInbox } from '../../functions/applications/http/inbox.js';
import { makeSubmitApplication } from '../../functions/applications/http/submit-application.js';
import type { Actor } from '../../functions/kernel/domain/actor.js';
import type { TableContext } from '../../functions/kernel/store/table.js';
import { actors, asPerson, contractBody } from '../../tools/support/fixtures.js';
import { actorFromTestClaims, httpEvent, lambdaContext, parsed } from '../../tools/support/http-events.js';
import { freshTable } from '../support/dynamo.js';
import { handlerDependencies, type TestDependencies } from '../support/handler-deps.js';

const admin: Actor = { sub: 'admin-city', role: 'city-admin', unit: 'city:shijiazhuang' };
const baodingAdmin: Actor = { sub: 'admin-baoding', role: 'city-admin', unit: 'city:baoding' };
let table: TableContext;
let api: TestDependencies;
let adminDeps: AdminDependencies;

beforeAll(async () => {
  table = await freshTable();
  api = handlerDependencies(table, 'units');
  adminDeps = {
    resolveActor: actorFromTestClaims,
    staff: staffRepository(table),
    adminLog: adminLogRepository(table),
    units: unitRepository(table),
    policies: policyRepository(table),
    calendars: calendarRepository(table),
    now: () => new Date('2026-11-28T03:00:00Z'),
  };
});

const putUnits = (actor: Actor, body: unknown, csv = false) =>
  makePutUnits(adminDeps)(
    httpEvent({
      actor,
      ...(csv ? { rawBody: String(body), headers: { 'content-type': 'text/csv' } } : { body }),
    }),
    lambdaContext,
  );
const getUnits = async (actor: Actor, query: Record<string, string> = {}) =>
  makeGetUnits(adminDeps)(httpEvent({ actor, queryStringParameters: query }), lambdaContext);
const inbox = async (actor: Actor) => parsed(await makeInbox(api)(httpEvent({ actor }), lambdaContext));

describe('the unit tree', () => {
  it('shows the seeded demo city as version 1, as rows and as CSV, to its administrator only', async () => {
    const shown = await getUnits(admin);
    expect(shown.statusCode).toBe(200);
    expect(parsed(shown)).toMatchObject({ cityId: 'city:shijiazhuang', version: 1, by: 'seed', count: 12 });
    expect(parsed(shown).units).toContainEqual({
      id: 'community:gexin-02',
      name: '革新街第02社区',
      parent: 'street:gexin',
      level: 'community',
    });
    const csv = await getUnits(admin, { format: 'csv' });
    expect(csv.body).toMatch(/^id,name,parent,level\r\ncity:shijiazhuang,石家庄市,,city\r\n/);
    // Every member of the city's staff reads the tree in force (the console shows names);
    // the CSV and earlier versions stay the administrator's.
    const byClerk = await getUnits(actors.gexin01Staff);
    expect(byClerk.statusCode).toBe(200);
    expect(parsed(byClerk).units).toContainEqual(expect.objectContaining({ id: 'street:gexin', name: '革新街街道' }));
    expect((await getUnits(actors.cityApprover, { format: 'csv' })).statusCode).toBe(403);
    expect((await getUnits(actors.gexinApprover, { version: '1' })).statusCode).toBe(403);
  });

  it('refuses a unit name a spreadsheet would run, as CSV and as JSON, and changes nothing', async () => {
    const before = parsed(await getUnits(admin));
    const csv = String((await getUnits(admin, { format: 'csv' })).body);
    const hostile = csv.replace('street:jianbei,建北街道,', 'street:jianbei,"=HYPERLINK(""http://x"",""建北"")",');
    const line = hostile.split('\r\n').findIndex((l) => l.startsWith('street:jianbei,')) + 1;
    const refused = await putUnits(admin, hostile, true);
    expect(refused.statusCode).toBe(422);
    expect(parsed(refused).errors).toEqual([
      { line, column: 2, field: 'name', message: expect.stringContaining('must not start with =') },
    ]);
    const rows = before.units.map((u: { id: string; name: string }) =>
      u.id === 'street:jianbei' ? { ...u, name: '=1+1' } : u,
    );
    const index = rows.findIndex((u: { id: string }) => u.id === 'street:jianbei');
    const json = await putUnits(admin, { units: rows });
    expect(json.statusCode).toBe(422);
    expect(parsed(json).errors.map((e: { field: string }) => e.field)).toEqual([`units.${index}.name`]);
    expect(parsed(await getUnits(admin)).version).toBe(before.version);
  });

  it('refuses a bad CSV row with its line and column, and changes nothing', async () => {
    const csv = String((await getUnits(admin, { format: 'csv' })).body);
    const broken = csv.replace(
      'street:jianbei,建北街道,district:changan,street',
      'street:jianbei,建北街道,district:changan,county',
    );
    const line = broken.split('\r\n').findIndex((l) => l.startsWith('street:jianbei,')) + 1;
    const refused = await putUnits(admin, broken, true);
    expect(refused.statusCode).toBe(422);
    expect(refused.headers).toMatchObject({ 'content-type': expect.stringContaining('application/problem+json') });
    expect(parsed(refused).errors).toEqual([{ line, column: 4, field: 'level', message: expect.any(String) }]);
    expect(parsed(refused).detail).toContain(`line ${line}, column 4`);

    const orphan = csv.replace(
      'community:jianbei-02,建北第02社区,street:jianbei',
      'community:jianbei-02,建北第02社区,street:nowhere',
    );
    const orphanRefused = await putUnits(admin, orphan, true);
    expect(orphanRefused.statusCode).toBe(422);
    expect(parsed(orphanRefused).errors[0]).toMatchObject({ field: 'parent', column: 3 });

    const dropped = await putUnits(admin, { units: parsed(await getUnits(admin)).units.slice(0, -1) });
    expect(dropped.statusCode).toBe(422);
    expect(parsed(dropped).errors[0].message).toMatch(/never go/);
    expect(parsed(await getUnits(admin)).version).toBe(1);
    expect(await adminDeps.adminLog.entries('city:shijiazhuang')).toEqual([]);
  });

  it("refuses a tree rooted at another city, or one naming another city's ids", async () => {
    const rows = parsed(await getUnits(admin)).units;
    expect((await putUnits(baodingAdmin, { units: rows })).statusCode).toBe(422);
    const stolen = await putUnits(baodingAdmin, {
      units: [
        { id: 'city:baoding', name: '保定市', parent: null, level: 'city' },
        { id: 'district:xinhua', name: '新华区', parent: 'city:baoding', level: 'district' },
      ],
    });
    expect(stolen.statusCode).toBe(409);
    expect(parsed(stolen).ids).toEqual(['district:xinhua']);
    expect((await unitRepository(table).get('district:xinhua'))?.path).toEqual([
      'city:shijiazhuang',
      'district:xinhua',
    ]);
  });

  it('keeps an open application with the street it was submitted under when its community moves; the next follows the new tree', async () => {
    const submit = makeSubmitApplication(api);
    const before = parsed(
      await submit(
        httpEvent({ actor: actors.gexin02Staff, body: asPerson(contractBody('post-subsidy'), 7101) }),
        lambdaContext,
      ),
    );
    expect(before.unitPath).toEqual(['city:shijiazhuang', 'district:xinhua', 'street:gexin', 'community:gexin-02']);

    const rows = parsed(await getUnits(admin)).units.map((r: { id: string }) =>
      r.id === 'community:gexin-02' ? { ...r, parent: 'street:dongfeng' } : r,
    );
    const moved = await putUnits(admin, { units: rows });
    expect(moved.statusCode).toBe(200);
    expect(parsed(moved)).toMatchObject({
      version: 2,
      changed: true,
      changes: {
        added: [],
        renamed: [],
        moved: [{ id: 'community:gexin-02', from: 'street:gexin', to: 'street:dongfeng' }],
      },
    });
    // Sent again (a retry): no new version, nothing logged twice.
    expect(parsed(await putUnits(admin, { units: rows }))).toMatchObject({ version: 2, changed: false });
    const log = await adminDeps.adminLog.entries('city:shijiazhuang');
    expect(log).toMatchObject([{ action: 'units.put', target: 'units v2', by: 'admin-city' }]);

    // The open one stays in gexin's inbox, and gexin decides it; dongfeng neither sees nor decides it.
    expect((await inbox(actors.gexinApprover)).items.map((i: { id: string }) => i.id)).toContain(before.id);
    expect((await inbox(actors.dongfengApprover)).items.map((i: { id: string }) => i.id)).not.toContain(before.id);
    const decide = makeDecideApplication(api);
    const byDongfeng = await decide(
      httpEvent({
        actor: actors.dongfengApprover,
        pathParameters: { id: before.id },
        body: { decision: 'approve', expectedVersion: 1 },
      }),
      lambdaContext,
    );
    // Out of the approver's scope since the move: answered as an unknown id.
    expect(byDongfeng.statusCode).toBe(404);
    const byGexin = await decide(
      httpEvent({
        actor: actors.gexinApprover,
        pathParameters: { id: before.id },
        body: { decision: 'approve', expectedVersion: 1 },
      }),
      lambdaContext,
    );
    expect(parsed(byGexin)).toMatchObject({ stage: 'city', unitPath: before.unitPath });

    // The next application from the moved community goes to its new street.
    const after = parsed(
      await submit(
        httpEvent({ actor: actors.gexin02Staff, body: asPerson(contractBody('post-subsidy'), 7102) }),
        lambdaContext,
      ),
    );
    expect(after.unitPath).toEqual(['city:shijiazhuang', 'district:xinhua', 'street:dongfeng', 'community:gexin-02']);
    expect((await inbox(actors.dongfengApprover)).items.map((i: { id: string }) => i.id)).toContain(after.id);
    // Version 1 is kept, as it was.
    expect(parsed(await getUnits(admin, { version: '1' })).units).toContainEqual(
      expect.objectContaining({ id: 'community:gexin-02', parent: 'street:gexin' }),
    );
  });
});
