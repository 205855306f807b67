/**
 * Scope before content, through the handlers against DynamoDB Local: a caller outside an
 * application's (or a ledger entry's) scope is refused before their body is judged against it, so
 * a body that would fail its programme's rules tells them nothing of that programme; and nothing
 * is written.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { policyRepository } from '../../functions/administration/store/policies.js';
import { unitRepository } from '../../functions/administration/store/units.js';
import { makeBatchApprove } from '../../functions/applications/http/batch-approve.js';
import { makeDecideApplication } from '../../functions/applications/http/decide-application.js';
import { makeResubmitApplication } from '../../functions/applications/http/resubmit-application.js';
import { makeSubmitApplication } from '../../functions/applications/http/submit-application.js';
import { makeWithdrawApplication } from '../../functions/applications/http/withdraw-application.js';
import { makeChangeLedgerStatus, makeRegisterLedgerEntry } from '../../functions/employment/http/ledger.js';
import { employmentLedgerRepository } from '../../functions/employment/store/employment-ledger.js';
import { historyMacFromEnvironment } from '../../functions/kernel/adapters/history-mac.js';
import type { Actor } from '../../functions/kernel/domain/actor.js';
import type { TableContext } from '../../functions/kernel/store/table.js';
import { actors, asPerson, contractBody } from '../../tools/support/fixtures.js';
import { actorFromTestClaims, httpEvent, lambdaContext, parsed } from '../../tools/support/http-events.js';
import { freshTable } from '../support/dynamo.js';
import { handlerDependencies, type TestDependencies } from '../support/handler-deps.js';

let table: TableContext;
let deps: TestDependencies;
let people = 0;

beforeAll(async () => {
  table = await freshTable();
  deps = handlerDependencies(table, 'scope');
});

const call = (handler: (deps: TestDependencies) => Handler, actor: Actor, id: string, body: unknown) =>
  handler(deps)(httpEvent({ actor, body, pathParameters: { id } }), lambdaContext);

/** A microloan guarantee of jianbei-01, taken in (version 1) and, with `returned`, returned by the street (version 2). */
async function application(returned: boolean): Promise<string> {
  const body = asPerson(contractBody('microloan-guarantee'), 2600 + ++people);
  const answer = await makeSubmitApplication(deps)(httpEvent({ actor: actors.jianbei01Staff, body }), lambdaContext);
  expect(answer.statusCode, answer.body).toBe(201);
  const { id } = parsed(answer);
  if (returned) {
    const back = await call(makeDecideApplication, actors.jianbeiApprover, id, {
      decision: 'return',
      expectedVersion: 1,
      comment: '请补充',
    });
    expect(back.statusCode, back.body).toBe(200);
  }
  return id;
}

type Handler = ReturnType<typeof makeDecideApplication>;

// Out of scope is answered as an unknown id (404), never with what the body got wrong.
const refusedForScope = (answer: { statusCode?: number; body?: string }) => {
  expect(answer.statusCode, answer.body).toBe(404);
  // Nothing of the programme's body: no field of its details is named.
  expect(answer.body).not.toMatch(/details\.|business|loan/i);
};

describe('an out-of-scope caller is refused before the body is judged', () => {
  it('resubmit: staff of another community with details wrong for the programme get 404 as for an unknown id, not its fields', async () => {
    const id = await application(true);
    const refused = await call(makeResubmitApplication, actors.gexin01Staff, id, {
      expectedVersion: 2,
      details: { unexpected: true },
    });
    refusedForScope(refused);
    // The community's own staff sending the same body learn what is wrong with it.
    const own = await call(makeResubmitApplication, actors.jianbei01Staff, id, {
      expectedVersion: 2,
      details: { unexpected: true },
    });
    expect(own.statusCode).toBe(422);
    expect(parsed(own).errors.some((e: { field: string }) => e.field.startsWith('details.'))).toBe(true);
    expect((await deps.applications.get(id))?.application).toMatchObject({ status: 'returned', version: 2 });
  });

  it('resubmit: a corrected applicant from outside the community is refused before its number is sealed', async () => {
    const id = await application(true);
    let sealed = 0;
    const counting = {
      ...deps,
      sealResidentId: (clear: string) => {
        sealed++;
        return deps.sealResidentId(clear);
      },
    };
    const applicant = asPerson(contractBody('microloan-guarantee'), 2650).applicant;
    const refused = await makeResubmitApplication(counting)(
      httpEvent({ actor: actors.gexin01Staff, body: { expectedVersion: 2, applicant }, pathParameters: { id } }),
      lambdaContext,
    );
    refusedForScope(refused);
    expect(sealed).toBe(0);
  });

  it('decide and batch: an approver of another street with a reason the city does not know gets 404', async () => {
    const id = await application(false);
    refusedForScope(
      await call(makeDecideApplication, actors.gexinApprover, id, {
        decision: 'reject',
        reason: 'not-a-reason',
        expectedVersion: 1,
      }),
    );
    const batch = await makeBatchApprove(deps)(
      httpEvent({ actor: actors.gexinApprover, body: { decisions: [{ applicationId: id, expectedVersion: 9 }] } }),
      lambdaContext,
    );
    expect(parsed(batch).results).toMatchObject([{ applicationId: id, status: 404 }]);
    expect((await deps.applications.get(id))?.application).toMatchObject({ status: 'in_review', version: 1 });
  });

  it('withdraw: staff of another community with a stale version get 404, not the current version', async () => {
    const id = await application(false);
    const refused = await call(makeWithdrawApplication, actors.gexin01Staff, id, { expectedVersion: 7 });
    refusedForScope(refused);
    expect(refused.body).not.toContain('currentVersion');
  });

  it('ledger change: staff of another community with a change dated in the future get 404', async () => {
    const ledgerDeps = {
      resolveActor: actorFromTestClaims,
      ledger: employmentLedgerRepository(table, historyMacFromEnvironment()),
      units: unitRepository(table),
      policies: policyRepository(table),
      now: () => new Date('2026-11-28T03:00:00Z'),
      newId: () => `sc-${++people}`,
      residentIdSecret: 's'.repeat(32),
      sealResidentId: async (clear: string) => `sealed:${clear.length}`,
      readAudit: deps.readAudit,
    };
    const entry = parsed(
      await makeRegisterLedgerEntry(ledgerDeps)(
        httpEvent({
          actor: actors.gexin01Staff,
          body: {
            idNumber: asPerson(contractBody('microloan-guarantee'), 2700 + ++people).applicant.idNumber,
            name: '王芳',
            registeredOn: '2026-03-02',
            household: { new: {} },
          },
        }),
        lambdaContext,
      ),
    );
    const refused = await makeChangeLedgerStatus(ledgerDeps)(
      httpEvent({
        actor: actors.jianbei01Staff,
        pathParameters: { id: entry.id },
        body: { on: '2027-01-01', status: 'left-labour-force', evidence: { kind: 'x' }, expectedVersion: 9 },
      }),
      lambdaContext,
    );
    expect(refused.statusCode, refused.body).toBe(404);
    expect(refused.body).not.toMatch(/registration|version|2026-03-02/);
  });
});
