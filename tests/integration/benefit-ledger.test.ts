/**
 * The benefit ledger, the one-active-application rule and the sealed resident ID, through the
 * HTTP handlers against DynamoDB Local, with the resident ID sealed by the real KMS client
 * talking to the local KMS endpoint.
 */

import { GetItemCommand, QueryCommand, ScanCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finalApprovalVerdict } from '../../functions/applications/domain/benefit-ledger.js';
import { decide as decideDomain } from '../../functions/applications/domain/decisions.js';
import { makeBatchApprove } from '../../functions/applications/http/batch-approve.js';
import { makeDecideApplication } from '../../functions/applications/http/decide-application.js';
import { makeGetApplication } from '../../functions/applications/http/get-application.js';
import { makeResubmitApplication } from '../../functions/applications/http/resubmit-application.js';
import { makeSubmitApplication } from '../../functions/applications/http/submit-application.js';
import { makeWithdrawApplication } from '../../functions/applications/http/withdraw-application.js';
import { StaleWriteError } from '../../functions/applications/store/applications.js';
import { heldPeriodsUpdate } from '../../functions/applications/store/held-periods.js';
import {
  ciphertextOf,
  kmsResidentIdVault,
  residentIdEncryptionContext,
} from '../../functions/kernel/adapters/resident-id-vault.js';
import type { Actor } from '../../functions/kernel/domain/actor.js';
import { policyOfApplication } from '../../functions/kernel/domain/policies/index.js';
import { residentIdKey } from '../../functions/kernel/domain/resident-id-key.js';
import { fromItem, keys, type TableContext, toItem } from '../../functions/kernel/store/table.js';
import { type LocalKms, startLocalKms } from '../../local/kms.js';
import { actors, asPerson, contractBody } from '../../tools/support/fixtures.js';
import { httpEvent, lambdaContext, parsed } from '../../tools/support/http-events.js';
import { freshTable } from '../support/dynamo.js';
import type { TestDependencies } from '../support/handler-deps.js';
import { handlerDependencies } from '../support/handler-deps.js';

const secret = 'k'.repeat(32);
/** Every application here is taken in within one city: the city of its approver. */
const cityId = actors.cityApprover.unit;
let table: TableContext;
let kms: LocalKms;
let kmsClient: KMSClient;
let deps: TestDependencies;
/** Every person here is new to the table: each test takes its own. */
let people = 0;

beforeAll(async () => {
  table = await freshTable();
  kms = await startLocalKms(Buffer.alloc(32, 7).toString('base64url'));
  kmsClient = new KMSClient({
    endpoint: kms.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  deps = handlerDependencies(table, 'ledger', {
    residentIdSecret: secret,
    sealResidentId: kmsResidentIdVault(kmsClient, kms.keyId),
  });
});

afterAll(async () => {
  kmsClient.destroy();
  await kms.close();
});

const submit = (actor: Actor, body: unknown, headers: Record<string, string> = {}) =>
  makeSubmitApplication(deps)(httpEvent({ actor, body, headers }), lambdaContext);
const decide = (actor: Actor, id: string, body: unknown) =>
  makeDecideApplication(deps)(httpEvent({ actor, body, pathParameters: { id } }), lambdaContext);
const withdraw = (actor: Actor, id: string, body: unknown) =>
  makeWithdrawApplication(deps)(httpEvent({ actor, body, pathParameters: { id } }), lambdaContext);
const resubmit = (actor: Actor, id: string, body: unknown) =>
  makeResubmitApplication(deps)(httpEvent({ actor, body, pathParameters: { id } }), lambdaContext);
const batch = (actor: Actor, body: unknown) => makeBatchApprove(deps)(httpEvent({ actor, body }), lambdaContext);
const get = (actor: Actor, id: string) =>
  makeGetApplication(deps)(httpEvent({ actor, pathParameters: { id } }), lambdaContext);

/** A body of `programme`'s contract example, for the person `idNumber` (name and proof kept). */
function bodyFor(
  name: Parameters<typeof contractBody>[0],
  idNumber: string,
  details: Record<string, unknown> = {},
): Record<string, any> & { communityId: string } {
  const body = contractBody(name);
  return {
    ...body,
    communityId: String(body.communityId),
    applicant: { ...body.applicant, idNumber },
    details: { ...body.details, ...details },
  };
}

/** A fresh woman born 1980-05-12 (the flexible-employment example's birth date): 4050-eligible, far from retirement. */
const newWoman = () => asPerson(contractBody('flexible-employment'), ++people).applicant.idNumber as string;
/** A fresh man born 1990-07-07 (the microloan example's): far from retirement, so the plain 36-month cap applies. */
const newYoungMan = () => asPerson(contractBody('microloan-guarantee'), ++people).applicant.idNumber as string;

const staffOf = (body: { communityId: string }) =>
  Object.values(actors).find((a) => a.role === 'community-staff' && a.unit === body.communityId) as Actor;

/** Submits and lets the street approve: the application then waits for the city's final decision (version 2). */
async function atCity(body: { communityId: string }): Promise<string> {
  const submitted = await submit(staffOf(body), body);
  expect(submitted.statusCode, submitted.body).toBe(201);
  const { id } = parsed(submitted);
  const street = await decide(
    actors.gexinApprover.unit === streetOf(body) ? actors.gexinApprover : actors.jianbeiApprover,
    id,
    { decision: 'approve', expectedVersion: 1 },
  );
  expect(street.statusCode, street.body).toBe(200);
  return id;
}
const streetOf = (body: { communityId: string }) =>
  body.communityId.startsWith('community:gexin') ? 'street:gexin' : 'street:jianbei';

async function personItems(idNumber: string) {
  const { Items } = await table.client.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: toItem({ ':pk': keys.person(cityId, residentIdKey(idNumber, secret)) }),
      ConsistentRead: true,
    }),
  );
  return (Items ?? []).map((item) => fromItem(item));
}

describe('one active application per person and programme', () => {
  it('refuses a second active application at intake with 409 naming the first, and answers a replayed key with the first 201', async () => {
    const id = newWoman();
    const body = bodyFor('flexible-employment', id);
    const first = await submit(actors.gexin01Staff, body, { 'idempotency-key': `first-${people}` });
    expect(first.statusCode, first.body).toBe(201);
    const firstId = parsed(first).id;

    const second = await submit(actors.gexin01Staff, body, { 'idempotency-key': `second-${people}` });
    expect(second.statusCode).toBe(409);
    expect(second.headers?.['content-type']).toContain('application/problem+json');
    expect(parsed(second)).toMatchObject({
      status: 409,
      existingApplicationId: firstId,
      programme: 'social-insurance/flexible-employment',
    });
    expect(parsed(second).detail).toContain(firstId);

    const replay = await submit(actors.gexin01Staff, body, { 'idempotency-key': `first-${people}` });
    expect(replay.statusCode).toBe(201);
    expect(parsed(replay).id).toBe(firstId);

    // Another programme is another matter.
    expect((await submit(actors.gexin02Staff, bodyFor('public-welfare-post', id))).statusCode).toBe(201);
  });

  it('lets only one of two simultaneous intakes for the same person and programme through', async () => {
    const body = bodyFor('flexible-employment', newWoman());
    const answers = await Promise.all([
      submit(actors.gexin01Staff, body),
      submit(actors.gexin01Staff, body),
      submit(actors.gexin01Staff, body),
    ]);
    const codes = answers.map((a) => a.statusCode).sort();
    expect(codes).toEqual([201, 409, 409]);
    const winner = parsed(answers.find((a) => a.statusCode === 201) as (typeof answers)[number]).id;
    for (const loser of answers.filter((a) => a.statusCode === 409))
      expect(parsed(loser).existingApplicationId).toBe(winner);
  });

  it('releases the marker when the application is withdrawn, rejected or approved, so a new one can be made', async () => {
    const body = bodyFor('flexible-employment', newWoman());
    const withdrawn = parsed(await submit(actors.gexin01Staff, body)).id;
    expect((await withdraw(actors.gexin01Staff, withdrawn, { expectedVersion: 1 })).statusCode).toBe(200);

    const rejected = parsed(await submit(actors.gexin01Staff, body)).id;
    expect(rejected).not.toBe(withdrawn);
    expect(
      (
        await decide(actors.gexinApprover, rejected, {
          decision: 'reject',
          expectedVersion: 1,
          reason: 'incomplete-documents',
        })
      ).statusCode,
    ).toBe(200);

    const approved = await atCity(body);
    expect((await decide(actors.cityApprover, approved, { decision: 'approve', expectedVersion: 2 })).statusCode).toBe(
      200,
    );

    const again = await submit(actors.gexin01Staff, body);
    expect(again.statusCode, again.body).toBe(201);
    const markers = (await personItems(body.applicant.idNumber)).filter((item) =>
      String(item.sk).startsWith('ACTIVE#'),
    );
    expect(markers.map((m) => m.applicationId)).toEqual([parsed(again).id]);
  });

  it('keeps the marker while the application is returned, and moves it when the corrected resident ID names another person', async () => {
    const before = newWoman();
    const body = bodyFor('flexible-employment', before);
    const id = parsed(await submit(actors.gexin01Staff, body)).id;
    expect(
      (await decide(actors.gexinApprover, id, { decision: 'return', expectedVersion: 1, comment: '身份证号有误' }))
        .statusCode,
    ).toBe(200);
    expect((await submit(actors.gexin01Staff, body)).statusCode).toBe(409);

    const after = newWoman();
    const corrected = await resubmit(actors.gexin01Staff, id, {
      expectedVersion: 2,
      applicant: { ...body.applicant, idNumber: after },
    });
    expect(corrected.statusCode, corrected.body).toBe(200);
    expect((await personItems(before)).filter((i) => String(i.sk).startsWith('ACTIVE#'))).toEqual([]);
    expect((await personItems(after)).find((i) => String(i.sk).startsWith('ACTIVE#'))?.applicationId).toBe(id);
    expect((await personItems(after)).find((i) => i.sk === 'IDENTITY')?.sealedIdNumber).toMatch(/^kms1:/);
    expect((await submit(actors.gexin01Staff, body)).statusCode).toBe(201);
  });
});

describe('the benefit ledger at final approval', () => {
  it('records the grant with the approval, and answers 409 naming the earlier grant for an overlapping period of the same programme', async () => {
    const idNumber = newWoman();
    const body = bodyFor('flexible-employment', idNumber);
    const first = await atCity(body);
    const approved = await decide(actors.cityApprover, first, { decision: 'approve', expectedVersion: 2 });
    expect(approved.statusCode, approved.body).toBe(200);
    const items = await personItems(idNumber);
    expect(items.find((i) => i.sk === 'GRANT#social-insurance/flexible-employment#2026-04')).toMatchObject({
      programme: 'social-insurance/flexible-employment',
      start: '2026-04',
      months: 12,
      applicationId: first,
    });
    expect(items.find((i) => i.sk === 'LEDGER')?.version).toBe(1);

    const second = await atCity(bodyFor('flexible-employment', idNumber, { period: { start: '2027-01', months: 6 } }));
    const refused = await decide(actors.cityApprover, second, { decision: 'approve', expectedVersion: 2 });
    expect(refused.statusCode).toBe(409);
    expect(refused.headers?.['content-type']).toContain('application/problem+json');
    const problem = parsed(refused);
    expect(problem).toMatchObject({
      title: 'Refused by the benefit ledger',
      conflictingApplicationIds: [first],
      currentVersion: 2,
      currentStage: 'city',
    });
    expect(problem.violations).toEqual([
      expect.objectContaining({
        rule: 'overlapping-period',
        conflictingGrant: expect.objectContaining({ applicationId: first }),
      }),
    ]);

    // Nothing changed: the application still waits for the city, which rejects it as a duplicate.
    expect(parsed(await get(actors.cityApprover, second))).toMatchObject({
      status: 'in_review',
      stage: 'city',
      version: 2,
    });
    expect((await personItems(idNumber)).filter((i) => String(i.sk).startsWith('GRANT#'))).toHaveLength(1);
    const rejected = await decide(actors.cityApprover, second, {
      decision: 'reject',
      expectedVersion: 2,
      reason: 'duplicate-application',
    });
    expect(rejected.statusCode).toBe(200);
  });

  it('holds a batch approval to the same check: the conflicting item fails, the others pass', async () => {
    const idNumber = newWoman();
    const first = await atCity(bodyFor('flexible-employment', idNumber));
    expect((await decide(actors.cityApprover, first, { decision: 'approve', expectedVersion: 2 })).statusCode).toBe(
      200,
    );
    const overlapping = await atCity(
      bodyFor('flexible-employment', idNumber, { period: { start: '2026-10', months: 6 } }),
    );
    const unrelated = await atCity(bodyFor('flexible-employment', newWoman()));

    const answer = parsed(
      await batch(actors.cityApprover, {
        decisions: [
          { applicationId: overlapping, expectedVersion: 2 },
          { applicationId: unrelated, expectedVersion: 2 },
        ],
      }),
    );

    expect(answer).toMatchObject({ succeeded: 1, failed: 1 });
    expect(answer.results[0]).toMatchObject({
      applicationId: overlapping,
      status: 409,
      problem: { conflictingApplicationIds: [first] },
    });
    expect(answer.results[1]).toMatchObject({ applicationId: unrelated, status: 200 });
  });

  it('refuses a grant that would pass the lifetime cap, and allows one that reaches it exactly', async () => {
    const idNumber = newYoungMan();
    const contract = (start: string, end: string) => ({ contract: { start, end } });
    const first = await atCity(
      bodyFor('public-welfare-post', idNumber, {
        ...contract('2026-02-01', '2028-01-31'),
        period: { start: '2026-02', months: 24 },
      }),
    );
    expect((await decide(actors.cityApprover, first, { decision: 'approve', expectedVersion: 2 })).statusCode).toBe(
      200,
    );

    const tooMany = await atCity(
      bodyFor('public-welfare-post', idNumber, {
        ...contract('2028-02-01', '2030-01-31'),
        period: { start: '2028-02', months: 24 },
      }),
    );
    const refused = await decide(actors.cityApprover, tooMany, { decision: 'approve', expectedVersion: 2 });
    expect(refused.statusCode).toBe(409);
    expect(parsed(refused).violations).toEqual([
      expect.objectContaining({
        rule: 'lifetime-cap',
        monthsAlreadyGranted: 24,
        monthsAsked: 24,
        maxMonthsLifetime: 36,
      }),
    ]);
    expect(
      (
        await decide(actors.cityApprover, tooMany, {
          decision: 'reject',
          expectedVersion: 2,
          reason: 'duplicate-application',
        })
      ).statusCode,
    ).toBe(200);

    const exactly = await atCity(
      bodyFor('public-welfare-post', idNumber, {
        ...contract('2028-02-01', '2030-01-31'),
        period: { start: '2028-02', months: 12 },
      }),
    );
    const allowed = await decide(actors.cityApprover, exactly, { decision: 'approve', expectedVersion: 2 });
    expect(allowed.statusCode, allowed.body).toBe(200);
  });

  it('refuses overlapping months of a programme the policy declares exclusive, whichever side declares it', async () => {
    const idNumber = newWoman();
    const flexible = await atCity(bodyFor('flexible-employment', idNumber));
    expect((await decide(actors.cityApprover, flexible, { decision: 'approve', expectedVersion: 2 })).statusCode).toBe(
      200,
    );

    // The policy names flexible-employment under public-welfare-post's exclusions.
    const post = await atCity(bodyFor('public-welfare-post', idNumber));
    const refused = await decide(actors.cityApprover, post, { decision: 'approve', expectedVersion: 2 });
    expect(refused.statusCode).toBe(409);
    expect(parsed(refused).violations).toEqual([
      expect.objectContaining({
        rule: 'excluded-programme',
        conflictingGrant: expect.objectContaining({ applicationId: flexible }),
      }),
    ]);
  });

  it('lets only one of two simultaneous final approvals for the same person win when they exclude each other', async () => {
    for (let round = 0; round < 3; round++) {
      const idNumber = newWoman();
      const flexible = await atCity(bodyFor('flexible-employment', idNumber));
      const post = await atCity(bodyFor('public-welfare-post', idNumber));

      const answers = await Promise.all([
        decide(actors.cityApprover, flexible, { decision: 'approve', expectedVersion: 2 }),
        decide(actors.cityApprover, post, { decision: 'approve', expectedVersion: 2 }),
      ]);

      expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
      const loser = answers.find((a) => a.statusCode === 409);
      expect(parsed(loser as NonNullable<typeof loser>)).toMatchObject({
        title: 'Refused by the benefit ledger',
        violations: [expect.objectContaining({ rule: 'excluded-programme' })],
      });
      const grants = (await personItems(idNumber)).filter((i) => String(i.sk).startsWith('GRANT#'));
      expect(grants).toHaveLength(1);
      const winner = answers[0]?.statusCode === 200 ? flexible : post;
      expect(grants[0]?.applicationId).toBe(winner);
      const statuses = await Promise.all(
        [flexible, post].map(async (id) => parsed(await get(actors.cityApprover, id)).status),
      );
      expect(statuses.sort()).toEqual(['approved', 'in_review']);
    }
  });

  it('refuses, at the store, a second approval written against a ledger read before the first was recorded', async () => {
    const idNumber = newWoman();
    // Not exclusive, not overlapping: only the ledger head stands between the two writes.
    const a = await atCity(bodyFor('flexible-employment', idNumber));
    const b = await atCity(bodyFor('public-welfare-post', newYoungMan()));
    const storedA = (await deps.applications.get(a))!;
    const storedB = (await deps.applications.get(b))!;
    // Give B the same person as A, as a concurrent reader would see it.
    const person = { cityId, personKey: storedA.application.applicantKey };
    const ledgerSeenByBoth = await deps.applications.personLedger(person);
    const approve = (stored: NonNullable<typeof storedA>) =>
      decideDomain(
        stored.application,
        { decision: 'approve', expectedVersion: 2 },
        actors.cityApprover,
        policyOfApplication(stored.application),
        '2026-11-28T04:00:00.000Z',
      );

    await deps.applications.commit(storedA, approve(storedA), { ledger: { ledger: ledgerSeenByBoth } });
    const late = deps.applications.commit(storedB, approve(storedB), { ledger: { ledger: ledgerSeenByBoth } });

    await expect(late).rejects.toBeInstanceOf(StaleWriteError);
    expect((await deps.applications.get(b))?.application.status).toBe('in_review');
    expect((await deps.applications.personLedger(person)).version).toBe(1);
  });

  it("refuses, at the store, a grant written against the national periods read before another city's grant of the programme", async () => {
    const idNumber = newWoman();
    const id = await atCity(bodyFor('flexible-employment', idNumber));
    const stored = (await deps.applications.get(id))!;
    const { applicantKey: personKey, programme } = stored.application;
    const at = '2026-11-28T04:00:00.000Z';
    const read = await deps.applications.personLedger({ cityId, personKey }, programme);
    const approval = decideDomain(
      stored.application,
      { decision: 'approve', expectedVersion: 2 },
      actors.cityApprover,
      policyOfApplication(stored.application),
      at,
    );
    const { grant } = finalApprovalVerdict(approval.application, read.grants, policyOfApplication(stored.application));

    // Meanwhile another city records a grant of the programme for the same person, years apart.
    await table.client.send(
      new TransactWriteItemsCommand({
        TransactItems: [heldPeriodsUpdate(table.tableName, read.held!, { start: '2031-01', months: 3 }, at)],
      }),
    );
    const late = deps.applications.commit(stored, approval, { ledger: { ledger: read, grant } });

    await expect(late).rejects.toBeInstanceOf(StaleWriteError);
    expect((await deps.applications.get(id))?.application.status).toBe('in_review');
    // Read again, the periods do not overlap: the approval passes and adds its period, and the
    // national item holds periods only (no city, application or amount).
    const approved = await decide(actors.cityApprover, id, { decision: 'approve', expectedVersion: 2 });
    expect(approved.statusCode, approved.body).toBe(200);
    const { Item } = await table.client.send(
      new GetItemCommand({ TableName: table.tableName, Key: toItem(keys.heldPeriods(personKey, programme)) }),
    );
    const held = fromItem(Item!);
    expect(Object.keys(held).sort()).toEqual(['periods', 'pk', 'sk', 'type', 'updatedAt', 'version']);
    expect(held).toMatchObject({
      version: 2,
      periods: [
        { start: '2031-01', months: 3 },
        { start: grant!.start, months: grant!.months },
      ],
    });
  });

  it('will not write a final approval that carries no ledger check', async () => {
    const id = await atCity(bodyFor('flexible-employment', newWoman()));
    const stored = (await deps.applications.get(id))!;
    const transition = decideDomain(
      stored.application,
      { decision: 'approve', expectedVersion: 2 },
      actors.cityApprover,
      policyOfApplication(stored.application),
      '2026-11-28T04:00:00.000Z',
    );
    await expect(deps.applications.commit(stored, transition)).rejects.toThrow(/without the benefit ledger check/);
  });
});

describe('the resident ID at rest', () => {
  it('keeps a KMS-sealed copy under the person that decrypts, with the resident-id context only, to the number', async () => {
    const idNumber = newWoman();
    expect((await submit(actors.gexin01Staff, bodyFor('flexible-employment', idNumber))).statusCode).toBe(201);
    const identity = (await personItems(idNumber)).find((i) => i.sk === 'IDENTITY');
    expect(identity?.sealedIdNumber).toMatch(/^kms1:/);
    const blob = ciphertextOf(String(identity?.sealedIdNumber));

    const opened = await kmsClient.send(
      new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: residentIdEncryptionContext }),
    );
    expect(Buffer.from(opened.Plaintext ?? []).toString('utf8')).toBe(idNumber);
    await expect(
      kmsClient.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { purpose: 'other' } })),
    ).rejects.toThrow();
  });

  it('stores the clear number in no item of the table after every outcome above', async () => {
    const { Items } = await table.client.send(new ScanCommand({ TableName: table.tableName }));
    const dump = JSON.stringify(Items);
    expect(Items?.length).toBeGreaterThan(50);
    // Every person this file took in, by the numbers the fixtures make.
    for (let n = 1; n <= people; n++) {
      for (const example of ['flexible-employment', 'microloan-guarantee'] as const) {
        const clear = asPerson(contractBody(example), n).applicant.idNumber as string;
        expect(dump).not.toContain(clear);
        // Nor the 17 digits before the check character.
        expect(dump).not.toContain(clear.slice(0, 17));
      }
    }
  });
});
