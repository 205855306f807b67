/**
 * The read audit and a person's data on request, through the handlers against DynamoDB Local:
 * a view with personal fields is recorded before it is answered (and refused when it cannot be),
 * a masked view is not; the city's administrator queries the audit by application or by reader;
 * GET /people/export finds everything held about a person by the keyed hash and is audited.
 */
import { GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { policyRepository } from '../../functions/administration/store/policies.js';
import { unitRepository } from '../../functions/administration/store/units.js';
import { makeGetApplication } from '../../functions/applications/http/get-application.js';
import { makeSubmitApplication } from '../../functions/applications/http/submit-application.js';
import { personHoldings } from '../../functions/applications/store/benefit-ledger.js';
import { makeRegisterLedgerEntry } from '../../functions/employment/http/ledger.js';
import { employmentLedgerRepository } from '../../functions/employment/store/employment-ledger.js';
import { makePeopleExport } from '../../functions/integrity/http/people-export.js';
import { makeListReadAudit } from '../../functions/integrity/http/read-audit.js';
import { historyMacFromEnvironment } from '../../functions/kernel/adapters/history-mac.js';
import type { Actor } from '../../functions/kernel/domain/actor.js';
import { minimumReadAuditRetentionDays } from '../../functions/kernel/domain/read-audit.js';
import { residentIdCheckChar } from '../../functions/kernel/domain/resident-id.js';
import { readAuditRepository } from '../../functions/kernel/store/read-audit.js';
import { fromItem, keys, type TableContext, toItem } from '../../functions/kernel/store/table.js';
import { actors, asPerson, contractBody } from '../../tools/support/fixtures.js';
import { httpEvent, lambdaContext, parsed } from '../../tools/support/http-events.js';
import { freshTable } from '../support/dynamo.js';
import { handlerDependencies, type TestDependencies } from '../support/handler-deps.js';

const admin: Actor = { sub: 'admin-city', role: 'city-admin', unit: 'city:shijiazhuang' };
const otherCityAdmin: Actor = { sub: 'admin-baoding', role: 'city-admin', unit: 'city:baoding' };
let table: TableContext;
let deps: TestDependencies;

beforeAll(async () => {
  table = await freshTable();
  deps = handlerDependencies(table, 'audit');
});

const submit = (actor: Actor, body: unknown) => makeSubmitApplication(deps)(httpEvent({ actor, body }), lambdaContext);
const get = (actor: Actor, id: string, over: Partial<TestDependencies> = {}) =>
  makeGetApplication({ ...deps, ...over })(httpEvent({ actor, pathParameters: { id } }), lambdaContext);
const audit = (actor: Actor, query: Record<string, string>) =>
  makeListReadAudit({ ...deps, readAudit: readAuditRepository(table) })(
    httpEvent({ actor, queryStringParameters: query }),
    lambdaContext,
  );
const employmentLedger = () => employmentLedgerRepository(table, historyMacFromEnvironment());
const exportPerson = (actor: Actor, idNumber: string) =>
  makePeopleExport({
    ...deps,
    holdings: (cityId, personKey) => personHoldings(table, { cityId, personKey }),
    employmentLedger: employmentLedger(),
  })(httpEvent({ actor, body: { idNumber } }), lambdaContext);

let person = 0;
async function takenIn(): Promise<{ id: string; idNumber: string; name: string; phone: string }> {
  const body = asPerson(contractBody('flexible-employment'), 4000 + ++person);
  const answer = await submit(actors.gexin01Staff, body);
  expect(answer.statusCode).toBe(201);
  return {
    id: parsed(answer).id,
    idNumber: body.applicant.idNumber,
    name: body.applicant.name,
    phone: body.applicant.phone,
  };
}

describe('the read audit', () => {
  it('records a view with personal fields before answering it, and not a masked view', async () => {
    const { id, name, phone } = await takenIn();
    expect((await get(actors.gexin01Staff, id)).statusCode).toBe(200);
    expect((await get(actors.cityMonitor, id)).statusCode).toBe(200);

    const answer = await audit(admin, { applicationId: id });
    expect(answer.statusCode).toBe(200);
    const all = parsed(answer).items as { purpose: string }[];
    // Intake's questions to other offices about the applicant are on record too; the views follow.
    expect(all.filter((entry) => entry.purpose === 'verification')).toEqual([
      expect.objectContaining({ sub: actors.gexin01Staff.sub, applicationId: id }),
    ]);
    const items = all.filter((entry) => entry.purpose !== 'verification');
    expect(items).toEqual([
      expect.objectContaining({
        sub: actors.gexin01Staff.sub,
        role: 'community-staff',
        unit: 'community:gexin-01',
        applicationId: id,
        purpose: 'application-detail',
        // The checks' figures are about the applicant too (what other offices' records say of them).
        fields: ['name', 'idNumber', 'phone', 'proof', 'household', 'verification-figures'],
      }),
    ]);
    // The entry names fields, never their values.
    expect(JSON.stringify(items)).not.toContain(name);
    expect(JSON.stringify(items)).not.toContain(phone);

    const bySub = parsed(await audit(admin, { sub: actors.gexin01Staff.sub }));
    expect(bySub.items.map((entry: { applicationId: string }) => entry.applicationId)).toContain(id);
  });

  it('keeps each entry at least six months', async () => {
    const { id } = await takenIn();
    await get(actors.gexin01Staff, id);
    const { Items } = await table.client.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: toItem({ ':pk': keys.readAuditOfApplication('city:shijiazhuang', id) }),
      }),
    );
    const [entry] = (Items ?? []).map(fromItem);
    const readAt = Date.parse(String(entry?.at));
    expect(Number(entry?.expiresAt) * 1000 - readAt).toBeGreaterThanOrEqual(minimumReadAuditRetentionDays * 86_400_000);
  });

  it('refuses the read when the audit cannot be recorded, and shows none of the data', async () => {
    const { id, name } = await takenIn();
    const answer = await get(actors.gexin01Staff, id, {
      readAudit: {
        record: async () => {
          throw new Error('table unavailable');
        },
      },
    });
    expect(answer.statusCode).toBe(503);
    expect(answer.headers?.['content-type']).toMatch(/problem\+json/);
    expect(answer.body).not.toContain(name);
  });

  it('is for the city administrator only, with exactly one of applicationId and sub, paged', async () => {
    expect((await audit(actors.cityMonitor, { applicationId: 'x' })).statusCode).toBe(403);
    const neither = await audit(admin, {});
    expect(neither.statusCode).toBe(422);
    expect(parsed(neither).errors[0].field).toBe('applicationId');
    expect((await audit(admin, { applicationId: 'x', sub: 'y' })).statusCode).toBe(422);
    expect((await audit(admin, { applicationId: 'x', limit: '1000' })).statusCode).toBe(422);
    expect((await audit(admin, { applicationId: 'x', from: '2024-01-01', to: '2026-01-01' })).statusCode).toBe(422);

    const { id } = await takenIn();
    for (let i = 0; i < 3; i++) await get(actors.gexin01Staff, id);
    const first = parsed(await audit(admin, { applicationId: id, limit: '2' }));
    expect(first.items).toHaveLength(2);
    // Three views and intake's questions to other offices (purpose `verification`): four entries.
    const second = parsed(await audit(admin, { applicationId: id, limit: '2', cursor: first.cursor }));
    expect(second.items).toHaveLength(2);
    expect((await audit(admin, { applicationId: id, cursor: '%%%' })).statusCode).toBe(422);
    // Another city's administrator sees none of this city's reads.
    expect(parsed(await audit(otherCityAdmin, { applicationId: id })).items).toEqual([]);
  });
});

describe("a person's data on request", () => {
  it('answers every application held about the person in the city, in full, and audits it', async () => {
    const { id, idNumber, name, phone } = await takenIn();
    const answer = await exportPerson(admin, idNumber);
    expect(answer.statusCode).toBe(200);
    const body = parsed(answer);
    expect(body.applications.map((a: { id: string }) => a.id)).toEqual([id]);
    expect(body.applications[0].applicant).toMatchObject({ name, phone });
    expect(body.applications[0].historyIntact).toBe(true);
    expect(body.grants).toEqual([]);
    const audited = parsed(await audit(admin, { sub: admin.sub }));
    expect(audited.items).toEqual([expect.objectContaining({ applicationId: id, purpose: 'people-export' })]);
  });

  it("adds the person's employment-ledger entry with its verified history, and answers for a person held only there", async () => {
    const { idNumber } = await takenIn();
    const register = (number: string) =>
      makeRegisterLedgerEntry({
        resolveActor: deps.resolveActor,
        ledger: employmentLedger(),
        units: unitRepository(table),
        policies: policyRepository(table),
        now: deps.now,
        newId: () => `audit-le-${number.slice(-6)}`,
        residentIdSecret: deps.residentIdSecret,
        sealResidentId: async (clear) => `sealed:${clear.length}`,
        readAudit: readAuditRepository(table),
      })(
        httpEvent({
          actor: actors.gexin01Staff,
          body: {
            idNumber: number,
            name: '王秀英',
            phone: '13900000007',
            registeredOn: '2026-03-02',
            household: { new: { label: '幸福路7号' } },
          },
        }),
        lambdaContext,
      );
    expect((await register(idNumber)).statusCode).toBe(201);

    const body = parsed(await exportPerson(admin, idNumber));
    expect(body.applications).toHaveLength(1);
    expect(body.employmentLedger).toMatchObject({
      entry: { status: 'unemployed', name: '王秀英', phone: '13900000007', personalData: 'identified' },
      household: { label: '幸福路7号', zeroEmployment: true },
      historyIntact: true,
    });
    expect(body.employmentLedger.history).toEqual([expect.objectContaining({ seq: 1 })]);
    // Of the household, nothing about its other members.
    expect(body.employmentLedger.household.members).toBeUndefined();

    const onlyInLedger = asPerson(contractBody('flexible-employment'), 4900).applicant.idNumber as string;
    expect((await register(onlyInLedger)).statusCode).toBe(201);
    const ledgerOnly = await exportPerson(admin, onlyInLedger);
    expect(ledgerOnly.statusCode).toBe(200);
    expect(parsed(ledgerOnly)).toMatchObject({ applications: [], employmentLedger: { entry: { name: '王秀英' } } });
  });

  it('is 404 when nothing is held (or only in another city), 422 for a number with a wrong check digit', async () => {
    const { idNumber } = await takenIn();
    const nobody = `${idNumber.slice(0, 6)}19000101123`;
    const unknown = await exportPerson(admin, `${nobody}${residentIdCheckChar(nobody)}`);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers?.['content-type']).toMatch(/problem\+json/);
    expect((await exportPerson(otherCityAdmin, idNumber)).statusCode).toBe(404);
    const wrong = `${idNumber.slice(0, 17)}${idNumber[17] === '0' ? '1' : '0'}`;
    const invalid = await exportPerson(admin, wrong);
    expect(invalid.statusCode).toBe(422);
    expect(parsed(invalid).errors[0].field).toBe('idNumber');
    expect((await exportPerson(actors.cityMonitor, idNumber)).statusCode).toBe(403);
  });

  it('keeps no trace of the number itself: the person is found under the keyed hash', async () => {
    const { idNumber } = await takenIn();
    await exportPerson(admin, idNumber);
    const { Item } = await table.client.send(
      new GetItemCommand({ TableName: table.tableName, Key: toItem({ pk: `PERSON#${idNumber}`, sk: 'IDENTITY' }) }),
    );
    expect(Item).toBeUndefined();
  });
});
