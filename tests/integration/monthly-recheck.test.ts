/**
 * The monthly re-check of active grants against DynamoDB Local: grants made by the real intake and
 * decision handlers (IDs sealed by the local KMS), re-checked by the fact checker with an exchange
 * test double, through the routes a city monitor uses. A death suspends from its month with a
 * history event, the run's record and inbox notices; a second run changes nothing; an exchange that
 * cannot answer suspends nothing and is reported pending; a run that fails half-way converges when
 * worked again.
 */

import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policyRepository } from '../../functions/administration/store/policies.js';
import { payableMonths } from '../../functions/applications/domain/benefit-ledger.js';
import { makeAcknowledgeNotice } from '../../functions/applications/http/acknowledge-notice.js';
import { makeDecideApplication } from '../../functions/applications/http/decide-application.js';
import { makeGetRecheckRun } from '../../functions/applications/http/get-recheck-run.js';
import { makeInbox } from '../../functions/applications/http/inbox.js';
import type { RecheckRouteDependencies } from '../../functions/applications/http/recheck-dependencies.js';
import { makeRequestRecheckRun } from '../../functions/applications/http/request-recheck-run.js';
import { makeSubmitApplication } from '../../functions/applications/http/submit-application.js';
import type { FactCheckerDependencies } from '../../functions/applications/scheduled/dependencies.js';
import { makeFactChecker } from '../../functions/applications/scheduled/fact-checker.js';
import { activeGrantsPage, addMissingToActiveGrants } from '../../functions/applications/store/active-grants.js';
import { applicationRepository } from '../../functions/applications/store/applications.js';
import { recheckRunRepository } from '../../functions/applications/store/recheck-runs.js';
import { recheckSuspensions } from '../../functions/applications/store/recheck-suspensions.js';
import { verificationRecords } from '../../functions/applications/store/verification-records.js';
import { kmsResidentIdOpener } from '../../functions/kernel/adapters/resident-id-opener.js';
import { kmsResidentIdVault } from '../../functions/kernel/adapters/resident-id-vault.js';
import type { Actor } from '../../functions/kernel/domain/actor.js';
import { residentIdKey } from '../../functions/kernel/domain/resident-id-key.js';
import { keys, type TableContext, toItem } from '../../functions/kernel/store/table.js';
import {
  type Answer,
  type DataExchange,
  pendingChecksRepository,
  SourceUnavailableError,
} from '../../functions/verification/index.js';
import { actors, asPerson, contractBody } from '../../tools/support/fixtures.js';
import { httpEvent, lambdaContext, parsed } from '../../tools/support/http-events.js';
import { freshTable } from '../support/dynamo.js';
import { handlerDependencies, type TestDependencies } from '../support/handler-deps.js';

const cityId = 'city:shijiazhuang';
const keyId = 'arn:aws:kms:local:000000000000:key/resident-id';
const secret = 'r'.repeat(32);
const admin: Actor = { sub: 'admin-city', role: 'city-admin', unit: cityId };

/**
 * The exchange as a test double: answers from what was put in it (by clear ID), a quiet record
 * otherwise; `down` makes every source unavailable, `failOn` throws a plain error (not the port's
 * unavailable) for one person, once: a crash half-way through a run.
 */
class ExchangeDouble implements DataExchange {
  deaths = new Map<string, string>();
  imprisonments = new Map<string, string>();
  down = false;
  failOn: string | undefined;
  asked = 0;

  async ask<Q extends Parameters<DataExchange['ask']>[1]>(_cityId: string, question: Q) {
    this.asked++;
    if (this.down) throw new SourceUnavailableError(question.source, 'unreachable');
    if (question.source === 'entities') throw new SourceUnavailableError('entities', 'not-configured');
    const { idNumber, months } = question as { idNumber: string; months?: { from: string; to: string } };
    if (this.failOn === idNumber) {
      this.failOn = undefined;
      throw new Error('the process died here');
    }
    const asOf = '2026-11-27';
    const answers: Partial<Record<Answer['source'], Answer>> = {
      deaths: {
        source: 'deaths',
        asOf,
        ...(this.deaths.has(idNumber) ? { died: { on: this.deaths.get(idNumber) as string } } : {}),
      },
      imprisonments: {
        source: 'imprisonments',
        asOf,
        periods: this.imprisonments.has(idNumber) ? [{ from: this.imprisonments.get(idNumber) as string }] : [],
      },
      pensions: { source: 'pensions', asOf },
      contributions: {
        source: 'contributions',
        asOf,
        records: months ? [{ month: months.from, baseFen: 400_000, paid: true }] : [],
      },
    };
    return answers[question.source] as Extract<Answer, { source: Q['source'] }>;
  }
}

let table: TableContext;
let kmsClient: KMSClient;
let deps: TestDependencies & RecheckRouteDependencies;
let checkerDeps: FactCheckerDependencies;
const exchange = new ExchangeDouble();
const people: { id: string; idNumber: string }[] = [];
let inReview = '';

const call = <E>(
  make: (d: TestDependencies & RecheckRouteDependencies) => (e: E, c: typeof lambdaContext) => Promise<unknown>,
  event: E,
) => make(deps)(event, lambdaContext) as Promise<{ statusCode: number; body: string }>;

/** Takes in a flexible-employment application for person `n` and has the street approve it (version 2). */
async function atCity(n: number): Promise<{ id: string; idNumber: string }> {
  const body = asPerson(contractBody('flexible-employment'), 900 + n);
  const submitted = await call(makeSubmitApplication, httpEvent({ actor: actors.gexin01Staff, body }));
  expect(submitted.statusCode, submitted.body).toBe(201);
  const { id } = parsed(submitted as never) as { id: string };
  const street = await call(
    makeDecideApplication,
    httpEvent({
      actor: actors.gexinApprover,
      body: { decision: 'approve', expectedVersion: 1 },
      pathParameters: { id },
    }),
  );
  expect(street.statusCode, street.body).toBe(200);
  return { id, idNumber: body.applicant.idNumber as string };
}

const grantOf = async (idNumber: string) => {
  const ledger = await applicationRepository(table).personLedger({
    cityId,
    personKey: residentIdKey(idNumber, secret),
  });
  return ledger.grants[0];
};
const historyOf = async (id: string) => applicationRepository(table).history(id);
const runFactChecker = (event: unknown) => makeFactChecker(checkerDeps)(event);

beforeAll(async () => {
  table = await freshTable();
  kmsClient = new KMSClient({});
  deps = {
    ...handlerDependencies(table, 'recheck', {
      residentIdSecret: secret,
      sealResidentId: kmsResidentIdVault(kmsClient, keyId),
    }),
    runs: recheckRunRepository(table),
    suspensions: recheckSuspensions(table),
  };
  checkerDeps = {
    table,
    applications: applicationRepository(table),
    runs: recheckRunRepository(table),
    suspensions: recheckSuspensions(table),
    policies: policyRepository(table),
    exchange,
    openResidentId: kmsResidentIdOpener(kmsClient, keyId),
    now: deps.now,
    cities: async () => [cityId],
    verificationRecords: verificationRecords(table),
    pendingChecks: pendingChecksRepository(table),
    // One grant a page, one at a time: a failure half-way leaves pages done and pages to do.
    pageSize: 1,
    concurrency: 1,
  };
  // Three grants (granted April 2026 for 12 months) and one application still in review.
  for (const n of [1, 2, 3]) {
    const person = await atCity(n);
    const city = await call(
      makeDecideApplication,
      httpEvent({
        actor: actors.cityApprover,
        body: { decision: 'approve', expectedVersion: 2 },
        pathParameters: { id: person.id },
      }),
    );
    expect(city.statusCode, city.body).toBe(200);
    people.push(person);
  }
  inReview = (await atCity(4)).id;
});

afterAll(() => kmsClient.destroy());

describe('the monthly re-check of active grants', () => {
  it('suspends nothing while the exchange cannot answer, and reports the checks pending', async () => {
    exchange.down = true;
    const asked = await call(
      makeRequestRecheckRun,
      httpEvent({ actor: actors.cityMonitor, body: { month: '2026-09' } }),
    );
    expect(asked.statusCode, asked.body).toBe(202);

    await runFactChecker({ kind: 'resume-runs' });
    exchange.down = false;

    const report = parsed(
      (await call(
        makeGetRecheckRun,
        httpEvent({ actor: actors.cityMonitor, pathParameters: { month: '2026-09' } }),
      )) as never,
    );
    expect(report).toMatchObject({
      status: 'finished',
      grantsChecked: 3,
      pending: { grants: 3, checks: 12 },
      suspended: [],
    });
    for (const { idNumber } of people) expect((await grantOf(idNumber))?.suspendedFrom).toBeUndefined();
  });

  it('suspends a grant whose holder died from the month of the death, tells the community and the approver, and records it in the history', async () => {
    const [, dies] = people as [{ id: string; idNumber: string }, { id: string; idNumber: string }];
    exchange.deaths.set(dies.idNumber, '2026-08-17');

    const asked = await call(makeRequestRecheckRun, httpEvent({ actor: admin, body: { month: '2026-10' } }));
    expect(asked.statusCode, asked.body).toBe(202);
    await runFactChecker({ kind: 'resume-runs' });

    const report = parsed(
      (await call(
        makeGetRecheckRun,
        httpEvent({ actor: actors.cityMonitor, pathParameters: { month: '2026-10' } }),
      )) as never,
    );
    expect(report).toMatchObject({
      status: 'finished',
      grantsChecked: 3,
      pending: { grants: 0, checks: 0 },
      suspended: [
        {
          applicationId: dies.id,
          programme: 'social-insurance/flexible-employment',
          communityId: 'community:gexin-01',
          suspendedFrom: '2026-08',
          reason: { check: 'deceased', figures: { 死亡日期: '2026-08-17' } },
        },
      ],
    });
    const grant = await grantOf(dies.idNumber);
    expect(grant?.suspendedFrom).toBe('2026-08');
    expect(payableMonths(grant as NonNullable<typeof grant>).at(-1)).toBe('2026-07');
    const last = (await historyOf(dies.id)).at(-1);
    expect(last).toMatchObject({
      action: 'grant-suspended',
      actor: { sub: 'system', role: 'system' },
      reason: 'deceased',
      suspendedFrom: '2026-08',
      status: 'approved',
    });
    const stored = await applicationRepository(table).get(dies.id);
    expect((await applicationRepository(table).verifiedHistory(stored as never)).intact).toBe(true);

    for (const actor of [actors.cityApprover, actors.gexin01Staff]) {
      const inbox = parsed((await call(makeInbox, httpEvent({ actor }))) as never) as { notices: { id: string }[] };
      expect(inbox.notices, actor.sub).toEqual([
        expect.objectContaining({
          kind: 'grant-suspended',
          applicationId: dies.id,
          suspendedFrom: '2026-08',
          reason: 'deceased',
        }),
      ]);
    }
    const { notices } = parsed((await call(makeInbox, httpEvent({ actor: actors.cityApprover }))) as never) as {
      notices: { id: string }[];
    };
    const ack = await call(
      makeAcknowledgeNotice,
      httpEvent({ actor: actors.cityApprover, pathParameters: { id: notices[0]?.id as string } }),
    );
    expect(ack.statusCode).toBe(204);
    expect(
      (parsed((await call(makeInbox, httpEvent({ actor: actors.cityApprover }))) as never) as { notices: unknown[] })
        .notices,
    ).toEqual([]);
    // Gone: a repeat, like anyone else's id, finds nothing in the caller's inbox.
    const again = await call(
      makeAcknowledgeNotice,
      httpEvent({ actor: actors.cityApprover, pathParameters: { id: notices[0]?.id as string } }),
    );
    expect(again.statusCode).toBe(404);
  });

  it('changes nothing when the same month is run again', async () => {
    const [, dies] = people as [unknown, { id: string; idNumber: string }];
    const before = await historyOf(dies.id);

    const again = await call(
      makeRequestRecheckRun,
      httpEvent({ actor: actors.cityMonitor, body: { month: '2026-10' } }),
    );
    expect(again.statusCode).toBe(200);
    await runFactChecker({ kind: 'monthly-recheck', month: '2026-10' });

    expect(await historyOf(dies.id)).toEqual(before);
    expect((await recheckSuspensions(table).suspensions(cityId, '2026-10')).length).toBe(1);
    expect(await recheckRunRepository(table).get(cityId, '2026-10')).toMatchObject({
      round: 1,
      checked: 3,
      suspended: 1,
    });
  });

  it('converges when a run that failed half-way is worked again', async () => {
    const [first, , third] = people as { id: string; idNumber: string }[] as [
      { id: string; idNumber: string },
      unknown,
      { id: string; idNumber: string },
    ];
    exchange.imprisonments.set(first.idNumber, '2026-06-10');
    exchange.failOn = third.idNumber;

    await runFactChecker({ kind: 'monthly-recheck', cityId, month: '2026-07' }).then(
      () => expect.unreachable('the injected failure stops the run'),
      (error: Error) => expect(error.message).toBe('the process died here'),
    );
    expect(await recheckRunRepository(table).get(cityId, '2026-07')).toMatchObject({ status: 'running' });

    const answer = await runFactChecker({ kind: 'resume-runs' });

    expect(answer.runs).toEqual([{ cityId, month: '2026-07', outcome: 'finished' }]);
    expect(await recheckRunRepository(table).get(cityId, '2026-07')).toMatchObject({
      status: 'finished',
      checked: 3,
      suspended: 1,
      pendingGrants: 0,
    });
    expect((await grantOf(first.idNumber))?.suspendedFrom).toBe('2026-06');
    expect((await historyOf(first.id)).filter((e) => e.action === 'grant-suspended')).toHaveLength(1);
    // The grant suspended from August was checked for July too: its holder's death changes nothing more.
    expect(
      (await historyOf((people[1] as { id: string }).id)).filter((e) => e.action === 'grant-suspended'),
    ).toHaveLength(1);
  });

  it('never re-checks what is not granted, and refuses a month not ended or a role that does not run it', async () => {
    expect(await historyOf(inReview)).not.toContainEqual(expect.objectContaining({ action: 'grant-suspended' }));
    const future = await call(
      makeRequestRecheckRun,
      httpEvent({ actor: actors.cityMonitor, body: { month: '2026-11' } }),
    );
    expect(future.statusCode).toBe(422);
    const approver = await call(
      makeRequestRecheckRun,
      httpEvent({ actor: actors.cityApprover, body: { month: '2026-10' } }),
    );
    expect(approver.statusCode).toBe(403);
  });

  it('lists a grant recorded before the active-grants index once backfilled, and only once', async () => {
    const [, , third] = people as { id: string; idNumber: string }[];
    const personKey = residentIdKey((third as { idNumber: string }).idNumber, secret);
    const grant = await grantOf((third as { idNumber: string }).idNumber);
    await table.client.send(
      new UpdateItemCommand({
        TableName: table.tableName,
        Key: toItem(keys.grant(cityId, personKey, grant?.programme as string, grant?.start as string)),
        UpdateExpression: 'REMOVE grantsPk, grantsSk, policyVersion',
      }),
    );
    const listed = async () =>
      (await activeGrantsPage(table, cityId, '2026-10', { limit: 100 })).grants.map((g) => g.applicationId);
    expect(await listed()).not.toContain(third?.id);

    expect(await addMissingToActiveGrants(table)).toBe(1);
    expect(await addMissingToActiveGrants(table)).toBe(0);
    expect(await listed()).toContain(third?.id);
  });
});
