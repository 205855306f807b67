/**
 * What the employment ledger shows, through its handlers against DynamoDB Local: a household's
 * label (an address) only to whom sees the members' names in clear, evidence and labels screened
 * as comments are, and text a spreadsheet would run refused at the door with nothing written.
 */

import { beforeAll, describe, expect, it } from 'vitest';
import { policyRepository } from '../../functions/administration/store/policies.js';
import { unitRepository } from '../../functions/administration/store/units.js';
import {
  type LedgerRegistrationDependencies,
  makeChangeLedgerStatus,
  makeGetLedgerEntry,
  makeListLedgerEntries,
  makeRegisterLedgerEntry,
} from '../../functions/employment/http/ledger.js';
import { employmentLedgerRepository } from '../../functions/employment/store/employment-ledger.js';
import { historyMacFromEnvironment } from '../../functions/kernel/adapters/history-mac.js';
import type { Actor } from '../../functions/kernel/domain/actor.js';
import { readAuditRepository } from '../../functions/kernel/store/read-audit.js';
import { actors, asPerson, contractBody } from '../../tools/support/fixtures.js';
import { actorFromTestClaims, httpEvent, lambdaContext, parsed } from '../../tools/support/http-events.js';
import { freshTable } from '../support/dynamo.js';

let deps: LedgerRegistrationDependencies;
let ids = 0;
let people = 0;
const newPerson = () => asPerson(contractBody('microloan-guarantee'), 7000 + ++people).applicant.idNumber as string;

beforeAll(async () => {
  const table = await freshTable();
  deps = {
    resolveActor: actorFromTestClaims,
    ledger: employmentLedgerRepository(table, historyMacFromEnvironment()),
    units: unitRepository(table),
    policies: policyRepository(table),
    now: () => new Date('2026-11-28T03:00:00Z'),
    newId: () => `lx-${++ids}`,
    residentIdSecret: 'x'.repeat(32),
    sealResidentId: async (clear) => `sealed:${clear.length}`,
    readAudit: readAuditRepository(table),
  };
});

const register = (actor: Actor, body: unknown) =>
  makeRegisterLedgerEntry(deps)(httpEvent({ actor, body }), lambdaContext);
const getEntry = (actor: Actor, id: string) =>
  makeGetLedgerEntry(deps)(httpEvent({ actor, pathParameters: { id } }), lambdaContext);
const list = (actor: Actor) =>
  makeListLedgerEntries(deps)(
    httpEvent({ actor, queryStringParameters: { community: 'community:gexin-01' } }),
    lambdaContext,
  );
const registration = (body: Record<string, unknown> = {}) => ({
  idNumber: newPerson(),
  name: '李秀英',
  registeredOn: '2026-03-02',
  household: { new: { label: '幸福路7号' } },
  ...body,
});

describe('the household label follows the privacy matrix', () => {
  it('shows the label to the community’s own staff and to nobody who sees the name masked', async () => {
    const answer = await register(actors.gexin01Staff, registration());
    expect(answer.statusCode, answer.body).toBe(201);
    const entry = parsed(answer);
    expect(entry.household.label).toBe('幸福路7号');
    expect(parsed(await getEntry(actors.gexin01Staff, entry.id)).household.label).toBe('幸福路7号');

    for (const reader of [actors.gexinApprover, actors.cityMonitor]) {
      const page = await getEntry(reader, entry.id);
      expect(page.statusCode).toBe(200);
      expect(parsed(page)).toMatchObject({ name: '李*英', personalData: 'masked' });
      const listed = await list(reader);
      expect(listed.statusCode).toBe(200);
      // Not under any name: the answers do not carry the address at all.
      expect(page.body).not.toContain('幸福路');
      expect(listed.body).not.toContain('幸福路');
    }
    expect(parsed(await list(actors.gexin01Staff)).households).toContainEqual(
      expect.objectContaining({ id: entry.householdId, label: '幸福路7号' }),
    );
  });
});

describe('ledger free text', () => {
  it('screens a resident ID and a mobile number out of evidence and labels before they are stored', async () => {
    const pasted = newPerson();
    const entry = parsed(
      await register(
        actors.gexin01Staff,
        registration({
          household: { new: { label: `幸福路8号 户主 ${pasted}` } },
          evidence: { kind: 'unemployment-registration', reference: `DJ-1 电话13900000002` },
        }),
      ),
    );
    const changed = await makeChangeLedgerStatus(deps)(
      httpEvent({
        actor: actors.gexin01Staff,
        pathParameters: { id: entry.id },
        body: {
          on: '2026-04-01',
          status: 'employed',
          employment: 'enterprise',
          evidence: { kind: `合同 ${pasted}`, reference: '联系 138 0000 0003' },
        },
      }),
      lambdaContext,
    );
    expect(changed.statusCode, changed.body).toBe(200);

    const page = await getEntry(actors.gexin01Staff, entry.id);
    expect(page.body).not.toContain(pasted);
    expect(page.body).not.toContain('13900000002');
    expect(page.body).not.toContain('0003');
    const { household, history } = parsed(page);
    expect(household.label).toBe('幸福路8号 户主 [身份证号已隐去]');
    expect(history.map((e: { evidence?: unknown }) => e.evidence)).toEqual([
      { kind: 'unemployment-registration', reference: 'DJ-1 电话[手机号已隐去]' },
      { kind: '合同 [身份证号已隐去]', reference: '联系 [手机号已隐去]' },
    ]);
  });

  it.each([
    [{ household: { new: { label: '=HYPERLINK("http://x","幸福路")' } } }, 'household.new.label'],
    [{ evidence: { kind: '=1+1' } }, 'evidence.kind'],
    [{ evidence: { kind: 'contract', reference: ' =cmd|x' } }, 'evidence.reference'],
    [{ name: '=李' }, 'name'],
  ])('refuses text starting with = with 422 naming the field, writing nothing: %j', async (body, field) => {
    const idNumber = newPerson();
    const refused = await register(actors.gexin01Staff, registration({ idNumber, ...body }));
    expect(refused.statusCode).toBe(422);
    expect(refused.headers?.['content-type']).toMatch(/problem\+json/);
    expect(parsed(refused).errors.map((e: { field: string }) => e.field)).toEqual([field]);
    // Nothing half-written: the same person registers cleanly afterwards.
    expect((await register(actors.gexin01Staff, registration({ idNumber }))).statusCode).toBe(201);
  });
});
