/**
 * Issue 19 through the HTTP handlers against DynamoDB Local: a microloan guarantee returned for
 * the business licence survives a resubmission that would drop the business plan (422, nothing
 * stored), is corrected with addDocuments and approved; and intake's dry run answers the verdict
 * while writing nothing at all.
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeCheckEligibility } from '../../functions/applications/http/check-eligibility.js';
import { makeDecideApplication } from '../../functions/applications/http/decide-application.js';
import { makeGetApplication } from '../../functions/applications/http/get-application.js';
import { makeResubmitApplication } from '../../functions/applications/http/resubmit-application.js';
import { makeSubmitApplication } from '../../functions/applications/http/submit-application.js';
import type { Actor } from '../../functions/kernel/domain/actor.js';
import type { TableContext } from '../../functions/kernel/store/table.js';
import { contractFirms, exchangeDouble, withOwnBusiness } from '../../tools/support/exchange-double.js';
import { actors, asPerson, contractBody } from '../../tools/support/fixtures.js';
import { httpEvent, lambdaContext, parsed } from '../../tools/support/http-events.js';
import { freshTable } from '../support/dynamo.js';
import type { TestDependencies } from '../support/handler-deps.js';
import { handlerDependencies, recordingWorkflow } from '../support/handler-deps.js';

const workflow = recordingWorkflow();
let table: TableContext;
let deps: TestDependencies;

const exchange = exchangeDouble(structuredClone(contractFirms));

beforeAll(async () => {
  table = await freshTable();
  deps = handlerDependencies(table, 'slip', { workflow, dataExchange: exchange });
});

const submit = (actor: Actor, body: unknown) => makeSubmitApplication(deps)(httpEvent({ actor, body }), lambdaContext);
const get = async (actor: Actor, id: string) =>
  parsed(await makeGetApplication(deps)(httpEvent({ actor, pathParameters: { id } }), lambdaContext));
const decide = (actor: Actor, id: string, body: unknown) =>
  makeDecideApplication(deps)(httpEvent({ actor, body, pathParameters: { id } }), lambdaContext);
const resubmit = (actor: Actor, id: string, body: unknown) =>
  makeResubmitApplication(deps)(httpEvent({ actor, body, pathParameters: { id } }), lambdaContext);
const checkEligibility = (actor: Actor, body: unknown, headers: Record<string, string> = {}) =>
  makeCheckEligibility(deps)(httpEvent({ actor, body, headers }), lambdaContext);

/**
 * Every item in the table: applications, events, markers, idempotency keys, vault entries; not the
 * read audit, which each identified view of the application (the test's own reads) adds to.
 */
async function itemCount(): Promise<number> {
  const { Count } = await table.client.send(
    new ScanCommand({
      TableName: table.tableName,
      Select: 'COUNT',
      FilterExpression: 'attribute_not_exists(#type) OR #type <> :audit',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':audit': { S: 'read-audit' } },
    }),
  );
  return Count ?? 0;
}

const staff = actors.jianbei01Staff;
const plan = { kind: 'business-plan', ref: 'doc-0004' };
const licence = { kind: 'business-licence', ref: 'doc-0099' };
let people = 0;

/** The contract's microloan guarantee for a person of its own, taken in and returned by the street for the licence. */
async function returnedForLicence(): Promise<string> {
  const n = 1900 + ++people;
  const answer = await submit(staff, withOwnBusiness(exchange, asPerson(contractBody('microloan-guarantee'), n), n));
  expect(answer.statusCode).toBe(201);
  const { id, documents } = parsed(answer);
  expect(documents).toEqual([plan]);
  const returned = await decide(actors.jianbeiApprover, id, {
    decision: 'return',
    expectedVersion: 1,
    comment: '请补充营业执照',
  });
  expect(parsed(returned)).toMatchObject({ status: 'returned', stage: 'community', version: 2 });
  return id;
}

describe('a microloan guarantee returned for the business licence', () => {
  it('refuses the slip that drops the business plan with 422 and its reasons, stores nothing, then takes the licence added and ends approved', async () => {
    const id = await returnedForLicence();
    const before = await get(staff, id);
    const itemsBefore = await itemCount();

    // The slip: documents replaces the list, so the business plan would drop out.
    const slip = await resubmit(staff, id, { expectedVersion: 2, documents: [licence] });
    expect(slip.statusCode).toBe(422);
    expect(slip.headers?.['content-type']).toMatch(/^application\/problem\+json/);
    const refusal = parsed(slip);
    expect(refusal).toMatchObject({
      type: '/problems/not-eligible',
      title: 'Not eligible',
      status: 422,
      eligible: false,
      errors: [{ field: 'documents', message: 'missing documents: business-plan' }],
    });
    expect(refusal.detail).toMatch(/stays returned/);
    // Every rule as the application view shows them; the failed one with its figures.
    expect(refusal.eligibility.map((r: { ruleId: string }) => r.ruleId)).toEqual(
      before.eligibility.map((r: { ruleId: string }) => r.ruleId),
    );
    expect(refusal.eligibility.filter((r: { passed: boolean }) => !r.passed)).toEqual([
      {
        ruleId: 'required-documents',
        passed: false,
        reason: { zh: '缺少材料：创业计划书', en: 'missing documents: business-plan' },
        figures: { required: 'business-plan', missing: 'business-plan' },
      },
    ]);

    // Nothing recorded: same application, same version, same history; no item written anywhere.
    const after = await get(staff, id);
    expect(after).toEqual(before);
    expect(after).toMatchObject({ status: 'returned', stage: 'community', version: 2, documents: [plan] });
    expect(await itemCount()).toBe(itemsBefore);

    // The correction: the licence added, the plan kept without restating the list.
    const corrected = await resubmit(staff, id, {
      expectedVersion: 2,
      addDocuments: [licence],
      comment: '已补充营业执照',
    });
    expect(corrected.statusCode).toBe(200);
    expect(parsed(corrected)).toMatchObject({
      status: 'in_review',
      stage: 'street',
      version: 3,
      documents: [plan, licence],
      eligible: true,
      entitlement: { months: 24, grantedFen: 15_000_000 },
    });

    expect((await decide(actors.jianbeiApprover, id, { decision: 'approve', expectedVersion: 3 })).statusCode).toBe(
      200,
    );
    expect((await decide(actors.cityApprover, id, { decision: 'approve', expectedVersion: 4 })).statusCode).toBe(200);
    const approved = await get(staff, id);
    expect(approved).toMatchObject({ status: 'approved', stage: null, version: 5, historyIntact: true });
    expect(approved.history.map((e: { action: string; status: string }) => `${e.action}:${e.status}`)).toEqual([
      'submitted:in_review',
      'returned:returned',
      'resubmitted:in_review',
      'approved:in_review',
      'approved:approved',
    ]);
    expect(approved.history.at(-1)).toMatchObject({ grantedFen: 15_000_000 });
  });

  it('refuses documents combined with addDocuments, and a ref to remove that is not attached, naming the field', async () => {
    const id = await returnedForLicence();
    const before = await get(staff, id);

    const combined = await resubmit(staff, id, { expectedVersion: 2, documents: [plan], addDocuments: [licence] });
    expect(combined.statusCode).toBe(422);
    expect(parsed(combined).errors).toEqual([
      { field: 'addDocuments', message: 'cannot be combined with documents, which replaces the whole list' },
    ]);

    const unknown = await resubmit(staff, id, { expectedVersion: 2, removeDocuments: ['doc-9999'] });
    expect(unknown.statusCode).toBe(422);
    expect(parsed(unknown).errors).toEqual([
      { field: 'removeDocuments.0', message: "doc-9999 is not among the application's documents" },
    ]);

    const malformed = await resubmit(staff, id, { expectedVersion: 2, addDocuments: [{ kind: 'business-licence' }] });
    expect(malformed.statusCode).toBe(422);
    expect(parsed(malformed).errors).toEqual([expect.objectContaining({ field: 'addDocuments.0.ref' })]);

    expect(await get(staff, id)).toEqual(before);
  });

  it('takes a document removed and another added in one resubmission', async () => {
    const id = await returnedForLicence();
    const newPlan = { kind: 'business-plan', ref: 'doc-0200' };
    const answer = await resubmit(staff, id, {
      expectedVersion: 2,
      removeDocuments: ['doc-0004'],
      addDocuments: [newPlan, licence],
    });
    expect(answer.statusCode).toBe(200);
    expect(parsed(answer)).toMatchObject({ status: 'in_review', version: 3, documents: [newPlan, licence] });
  });
});

describe('POST /applications/eligibility-check (intake’s dry run)', () => {
  it('answers the verdict and the entitlement of an eligible body, and writes nothing', async () => {
    const body = asPerson(contractBody('microloan-guarantee'), 1800);
    const itemsBefore = await itemCount();
    const started = workflow.started.length;

    const answer = await checkEligibility(staff, body, { 'idempotency-key': 'dry-run-1' });
    expect(answer.statusCode).toBe(200);
    const verdict = parsed(answer);
    expect(verdict).toMatchObject({
      programme: 'microloan-guarantee',
      communityId: 'community:jianbei-01',
      policyVersion: 'shijiazhuang-2026.1',
      applicationDate: '2026-11-28',
      eligible: true,
      entitlement: { start: '2026-11', months: 24, grantedFen: 15_000_000, maxMonthsLifetime: 36 },
    });
    expect(verdict.eligibility.every((r: { passed: boolean }) => r.passed)).toBe(true);
    // No application, event, marker, idempotency key or sealed ID; no execution; no resident ID in the answer.
    expect(await itemCount()).toBe(itemsBefore);
    expect(workflow.started.length).toBe(started);
    expect(answer.body).not.toContain(body.applicant.idNumber);

    // The same body taken in afterwards is judged the same, and the key was never spent.
    const taken = parsed(
      await makeSubmitApplication(deps)(
        httpEvent({ actor: staff, body, headers: { 'idempotency-key': 'dry-run-1' } }),
        lambdaContext,
      ),
    );
    expect(taken).toMatchObject({ status: 'in_review', eligible: true, entitlement: verdict.entitlement });
    expect(taken.eligibility).toEqual(verdict.eligibility);
  });

  it('answers 200 with the failed rules and their figures for an ineligible body, writing nothing', async () => {
    const body = asPerson(contractBody('microloan-guarantee'), 1801);
    body.documents = [licence];
    body.details.loanAmount = 40_000_000;
    const itemsBefore = await itemCount();

    const answer = await checkEligibility(staff, body);
    expect(answer.statusCode).toBe(200);
    const verdict = parsed(answer);
    expect(verdict.eligible).toBe(false);
    expect(verdict.entitlement).toBeUndefined();
    expect(verdict.eligibility.filter((r: { passed: boolean }) => !r.passed)).toEqual([
      expect.objectContaining({
        ruleId: 'required-documents',
        figures: { required: 'business-plan', missing: 'business-plan' },
      }),
      expect.objectContaining({
        ruleId: 'loan-cap',
        reason: expect.objectContaining({ en: expect.stringContaining('400000.00') }),
        figures: { loanFen: 40_000_000, maxLoanFen: 30_000_000, businessType: 'individual' },
      }),
    ]);
    expect(await itemCount()).toBe(itemsBefore);
  });

  it('refuses as intake does: another community’s staff 403, a bad field or an unknown community 422', async () => {
    const body = asPerson(contractBody('microloan-guarantee'), 1802);
    expect((await checkEligibility(actors.gexin01Staff, body)).statusCode).toBe(403);
    expect((await checkEligibility(actors.jianbeiApprover, body)).statusCode).toBe(403);

    const bad = await checkEligibility(staff, { ...body, details: { ...body.details, termMonths: 0 } });
    expect(bad.statusCode).toBe(422);
    expect(parsed(bad).errors).toEqual([expect.objectContaining({ field: 'details.termMonths' })]);

    const nowhere = await checkEligibility(staff, { ...body, communityId: 'community:nowhere' });
    expect(nowhere.statusCode).toBe(422);
    expect(parsed(nowhere).errors).toEqual([expect.objectContaining({ field: 'communityId' })]);
  });
});
