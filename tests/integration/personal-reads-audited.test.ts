/**
 * The README's "no unaudited read of personal data", route by route, on DynamoDB Local: every
 * route that can answer a clear personal field is called as a role that sees it in clear, and
 * must write exactly one read-audit entry naming what it showed (per answer, or per line of a
 * page); with the audit's write failing it must answer 503 and show nothing (and write no change).
 * Answers that show the name masked write none.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { policyRepository } from '../../functions/administration/store/policies.js';
import { unitRepository } from '../../functions/administration/store/units.js';
import { makeBatchApprove } from '../../functions/applications/http/batch-approve.js';
import { makeDecideApplication } from '../../functions/applications/http/decide-application.js';
import { makeGetApplication } from '../../functions/applications/http/get-application.js';
import { makeListApplications } from '../../functions/applications/http/list-applications.js';
import { makeResubmitApplication } from '../../functions/applications/http/resubmit-application.js';
import { makeSubmitApplication } from '../../functions/applications/http/submit-application.js';
import { makeWithdrawApplication } from '../../functions/applications/http/withdraw-application.js';
import { personHoldings } from '../../functions/applications/store/benefit-ledger.js';
import {
  makeChangeLedgerStatus,
  makeGetLedgerEntry,
  makeListLedgerEntries,
  makeRegisterLedgerEntry,
} from '../../functions/employment/http/ledger.js';
import { employmentLedgerRepository } from '../../functions/employment/store/employment-ledger.js';
import { makePeopleExport } from '../../functions/integrity/http/people-export.js';
import { makeListReadAudit } from '../../functions/integrity/http/read-audit.js';
import { historyMacFromEnvironment } from '../../functions/kernel/adapters/history-mac.js';
import type { Actor } from '../../functions/kernel/domain/actor.js';
import type { ReadAuditEntry } from '../../functions/kernel/domain/read-audit.js';
import { type ReadAuditRepository, readAuditRepository } from '../../functions/kernel/store/read-audit.js';
import type { TableContext } from '../../functions/kernel/store/table.js';
import { actors, asPerson, contractBody } from '../../tools/support/fixtures.js';
import { httpEvent, lambdaContext, parsed } from '../../tools/support/http-events.js';
import { freshTable } from '../support/dynamo.js';
import { handlerDependencies, type TestDependencies } from '../support/handler-deps.js';

type Answer = Awaited<ReturnType<ReturnType<typeof makeGetApplication>>>;
type Audit = Pick<ReadAuditRepository, 'record'>;

const admin: Actor = { sub: 'admin-city', role: 'city-admin', unit: 'city:shijiazhuang' };
const failing: Audit = {
  record: async () => {
    throw new Error('audit table unavailable');
  },
};

let table: TableContext;
let deps: TestDependencies;
let audit: ReadAuditRepository;
beforeAll(async () => {
  table = await freshTable();
  deps = handlerDependencies(table, 'pra');
  audit = readAuditRepository(table);
});

// Every person gets a name of their own, so an answer showing it in clear is told by the name.
const nameChars = '甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥';
let people = 0;
function person() {
  const n = ++people;
  const body = asPerson(contractBody('flexible-employment'), 6000 + n);
  const name = `王${nameChars[n % nameChars.length]}${nameChars[Math.floor(n / nameChars.length)]}`;
  return { ...body, applicant: { ...body.applicant, name } };
}

async function takenIn(staff: Actor = actors.gexin01Staff) {
  const body = { ...person(), communityId: staff.unit };
  const answer = await makeSubmitApplication(deps)(httpEvent({ actor: staff, body }), lambdaContext);
  expect(answer.statusCode, answer.body).toBe(201);
  return { id: parsed(answer).id as string, name: body.applicant.name, idNumber: body.applicant.idNumber as string };
}

const ledger = () => employmentLedgerRepository(table, historyMacFromEnvironment());
const ledgerDeps = (readAudit: Audit) => ({
  resolveActor: deps.resolveActor,
  ledger: ledger(),
  units: unitRepository(table),
  policies: policyRepository(table),
  now: deps.now,
  newId: () => `pra-le-${++people}`,
  residentIdSecret: deps.residentIdSecret,
  sealResidentId: async (clear: string) => `sealed:${clear.length}`,
  readAudit,
});

async function registered(staff: Actor, idNumber = person().applicant.idNumber as string) {
  const name = person().applicant.name;
  const answer = await makeRegisterLedgerEntry(ledgerDeps(audit))(
    httpEvent({
      actor: staff,
      body: { idNumber, name, phone: '13900000007', registeredOn: '2026-03-02', household: { new: {} } },
    }),
    lambdaContext,
  );
  expect(answer.statusCode).toBe(201);
  return { entryId: parsed(answer).id as string, name, idNumber };
}

const exportDeps = (readAudit: Audit) => ({
  ...deps,
  readAudit,
  holdings: (cityId: string, personKey: string) => personHoldings(table, { cityId, personKey }),
  employmentLedger: ledger(),
});

/** A route as a reader who sees the person in clear: what it shows, and whose data it is. */
interface PersonalRead {
  route: string;
  reader: Actor;
  purpose: ReadAuditEntry['purpose'];
  prepare: () => Promise<{
    name: string;
    subject: { applicationId: string } | { ledgerEntryId: string };
    call: (reader: Actor, readAudit: Audit) => Promise<Answer>;
  }>;
}

const personalReads: PersonalRead[] = [
  {
    route: 'GET /applications/{id}',
    reader: actors.gexin01Staff,
    purpose: 'application-detail',
    prepare: async () => {
      const { id, name } = await takenIn();
      return {
        name,
        subject: { applicationId: id },
        call: (reader, readAudit) =>
          makeGetApplication({ ...deps, readAudit })(
            httpEvent({ actor: reader, pathParameters: { id } }),
            lambdaContext,
          ),
      };
    },
  },
  {
    route: 'GET /applications/{id} (deciding approver)',
    reader: actors.gexinApprover,
    purpose: 'application-detail',
    prepare: async () => {
      const { id, name } = await takenIn();
      return {
        name,
        subject: { applicationId: id },
        call: (reader, readAudit) =>
          makeGetApplication({ ...deps, readAudit })(
            httpEvent({ actor: reader, pathParameters: { id } }),
            lambdaContext,
          ),
      };
    },
  },
  {
    route: 'GET /applications?q= (search by name)',
    reader: actors.gexin01Staff,
    purpose: 'application-list',
    prepare: async () => {
      const { id, name } = await takenIn();
      return {
        name,
        subject: { applicationId: id },
        call: (reader, readAudit) =>
          makeListApplications({ ...deps, readAudit })(
            httpEvent({ actor: reader, queryStringParameters: { q: name } }),
            lambdaContext,
          ),
      };
    },
  },
  {
    route: 'GET /applications (a page, deciding approver)',
    reader: actors.gexinApprover,
    purpose: 'application-list',
    prepare: async () => {
      // The only application of gexin-02 in this table: the page is one line.
      const { id, name } = await takenIn(actors.gexin02Staff);
      return {
        name,
        subject: { applicationId: id },
        call: (reader, readAudit) =>
          makeListApplications({ ...deps, readAudit })(
            httpEvent({ actor: reader, queryStringParameters: { communityId: 'community:gexin-02' } }),
            lambdaContext,
          ),
      };
    },
  },
  {
    route: 'POST /applications/{id}/withdraw',
    reader: actors.gexin01Staff,
    purpose: 'application-change',
    prepare: async () => {
      const { id, name } = await takenIn();
      return {
        name,
        subject: { applicationId: id },
        call: (reader, readAudit) =>
          makeWithdrawApplication({ ...deps, readAudit })(
            httpEvent({ actor: reader, pathParameters: { id }, body: { expectedVersion: 1 } }),
            lambdaContext,
          ),
      };
    },
  },
  {
    route: 'POST /applications/{id}/resubmit',
    reader: actors.gexin01Staff,
    purpose: 'application-change',
    prepare: async () => {
      const { id, name } = await takenIn();
      const returned = await makeDecideApplication(deps)(
        httpEvent({
          actor: actors.gexinApprover,
          pathParameters: { id },
          body: { decision: 'return', expectedVersion: 1, comment: '合同期限不对' },
        }),
        lambdaContext,
      );
      expect(returned.statusCode).toBe(200);
      return {
        name,
        subject: { applicationId: id },
        call: (reader, readAudit) =>
          makeResubmitApplication({ ...deps, readAudit })(
            httpEvent({ actor: reader, pathParameters: { id }, body: { expectedVersion: 2 } }),
            lambdaContext,
          ),
      };
    },
  },
  {
    route: 'GET /ledger/entries/{id}',
    reader: actors.gexin01Staff,
    purpose: 'ledger-entry',
    prepare: async () => {
      const { entryId, name } = await registered(actors.gexin01Staff);
      return {
        name,
        subject: { ledgerEntryId: entryId },
        call: (reader, readAudit) =>
          makeGetLedgerEntry(ledgerDeps(readAudit))(
            httpEvent({ actor: reader, pathParameters: { id: entryId } }),
            lambdaContext,
          ),
      };
    },
  },
  {
    route: 'POST /ledger/entries/{id}/changes',
    reader: actors.gexin01Staff,
    purpose: 'ledger-change',
    prepare: async () => {
      const { entryId, name } = await registered(actors.gexin01Staff);
      const change = {
        on: '2026-11-20',
        status: 'employed',
        employment: 'enterprise',
        evidence: { kind: 'contract' },
        expectedVersion: 1,
      };
      return {
        name,
        subject: { ledgerEntryId: entryId },
        call: (reader, readAudit) =>
          makeChangeLedgerStatus(ledgerDeps(readAudit))(
            httpEvent({ actor: reader, pathParameters: { id: entryId }, body: change }),
            lambdaContext,
          ),
      };
    },
  },
  {
    route: 'GET /ledger/entries',
    reader: actors.jianbei01Staff,
    purpose: 'ledger-list',
    prepare: async () => {
      // The only entry of jianbei-01 in this table: the list is one person.
      const { entryId, name } = await registered(actors.jianbei01Staff);
      return {
        name,
        subject: { ledgerEntryId: entryId },
        call: (reader, readAudit) =>
          makeListLedgerEntries(ledgerDeps(readAudit))(httpEvent({ actor: reader }), lambdaContext),
      };
    },
  },
  {
    route: 'POST /people/export (a person with an application)',
    reader: admin,
    purpose: 'people-export',
    prepare: async () => {
      const { id, name, idNumber } = await takenIn();
      return {
        name,
        subject: { applicationId: id },
        call: (reader, readAudit) =>
          makePeopleExport(exportDeps(readAudit))(httpEvent({ actor: reader, body: { idNumber } }), lambdaContext),
      };
    },
  },
  {
    route: 'POST /people/export (a person held only in the employment ledger)',
    reader: admin,
    purpose: 'people-export',
    prepare: async () => {
      const { entryId, name, idNumber } = await registered(actors.gexin01Staff);
      return {
        name,
        subject: { ledgerEntryId: entryId },
        call: (reader, readAudit) =>
          makePeopleExport(exportDeps(readAudit))(httpEvent({ actor: reader, body: { idNumber } }), lambdaContext),
      };
    },
  },
];

/** Each call reads as a reader of its own (same role and unit), so the reader's entries are the call's. */
let readers = 0;
const asOwnReader = (reader: Actor): Actor => ({ ...reader, sub: `${reader.sub}-pra-${++readers}` });
const entriesOf = async (reader: Actor) =>
  (
    await audit.query({
      cityId: 'city:shijiazhuang',
      sub: reader.sub,
      from: '2026-01-01',
      to: '2027-01-01',
      limit: 100,
    })
  ).items;

describe('every answer with a clear personal field is audited', () => {
  it.each(personalReads)('$route writes exactly one entry naming what it showed', async (row) => {
    const { name, subject, call } = await row.prepare();
    const reader = asOwnReader(row.reader);

    const answer = await call(reader, audit);

    expect(answer.statusCode).toBe(200);
    expect(answer.body).toContain(name);
    expect(await entriesOf(reader)).toEqual([
      expect.objectContaining({ ...subject, sub: reader.sub, role: reader.role, purpose: row.purpose }),
    ]);
    // The city's administrator finds it by whose data it was, too (GET /audit/reads).
    const bySubject = await makeListReadAudit({ ...deps, readAudit: audit })(
      httpEvent({ actor: admin, queryStringParameters: subject }),
      lambdaContext,
    );
    expect(bySubject.statusCode).toBe(200);
    expect(parsed(bySubject).items.filter((entry: ReadAuditEntry) => entry.sub === reader.sub)).toHaveLength(1);
  });

  it.each(personalReads)('$route answers 503 and shows nothing when the entry cannot be written', async (row) => {
    const { name, subject, call } = await row.prepare();
    const before = 'applicationId' in subject ? await deps.applications.get(subject.applicationId) : undefined;
    const entryBefore = 'ledgerEntryId' in subject ? await ledger().entry(subject.ledgerEntryId) : undefined;
    const reader = asOwnReader(row.reader);

    const answer = await call(reader, failing);

    expect(answer.statusCode).toBe(503);
    expect(answer.body).not.toContain(name);
    expect(await entriesOf(reader)).toEqual([]);
    // A change whose answer could not be audited is not written: sending it again is safe.
    if (before)
      expect((await deps.applications.get(before.application.id))?.application.version).toBe(
        before.application.version,
      );
    if (entryBefore) expect((await ledger().entry(entryBefore.id))?.version).toBe(entryBefore.version);
  });
});

describe('answers that show the name masked', () => {
  it('write no entry: a decision and a batch approval leave the approver a masked view', async () => {
    const one = await takenIn();
    const two = await takenIn();
    const reader = asOwnReader(actors.gexinApprover);

    const decided = await makeDecideApplication(deps)(
      httpEvent({ actor: reader, pathParameters: { id: one.id }, body: { decision: 'approve', expectedVersion: 1 } }),
      lambdaContext,
    );
    const batch = await makeBatchApprove(deps)(
      httpEvent({ actor: reader, body: { decisions: [{ applicationId: two.id, expectedVersion: 1 }] } }),
      lambdaContext,
    );

    expect(decided.statusCode).toBe(200);
    expect(parsed(batch).succeeded).toBe(1);
    expect(decided.body).not.toContain(one.name);
    expect(batch.body).not.toContain(two.name);
    expect(await entriesOf(reader)).toEqual([]);
  });

  it('write no entry: a monitor reading an application, an approver listing what they do not decide', async () => {
    const { id, name } = await takenIn();
    const withdrawn = await makeWithdrawApplication(deps)(
      httpEvent({ actor: actors.gexin01Staff, pathParameters: { id }, body: { expectedVersion: 1 } }),
      lambdaContext,
    );
    expect(withdrawn.statusCode).toBe(200);
    const monitor = asOwnReader(actors.cityMonitor);
    const approver = asOwnReader(actors.gexinApprover);

    const detail = await makeGetApplication(deps)(httpEvent({ actor: monitor, pathParameters: { id } }), lambdaContext);
    const list = await makeListApplications(deps)(
      httpEvent({ actor: approver, queryStringParameters: { communityId: 'community:gexin-01', status: 'withdrawn' } }),
      lambdaContext,
    );

    expect(detail.statusCode).toBe(200);
    expect(parsed(list).items.map((line: { id: string }) => line.id)).toContain(id);
    expect(detail.body).not.toContain(name);
    expect(list.body).not.toContain(name);
    expect([...(await entriesOf(monitor)), ...(await entriesOf(approver))]).toEqual([]);
  });
});
