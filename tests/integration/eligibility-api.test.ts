/**
 * Eligibility through the HTTP handlers against DynamoDB Local: an ineligible submission is stored
 * and answered as rejected with its reasons, an ineligible resubmission is refused with nothing
 * stored; the granted amount is shown and carried by the final approval.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { nextStep } from '../../functions/applications/domain/next-step.js';
import { makeDecideApplication } from '../../functions/applications/http/decide-application.js';
import { makeGetApplication } from '../../functions/applications/http/get-application.js';
import { makeResubmitApplication } from '../../functions/applications/http/resubmit-application.js';
import { makeSubmitApplication } from '../../functions/applications/http/submit-application.js';
import { rerunPendingChecks } from '../../functions/applications/scheduled/rerun-pending.js';
import { verificationRecords } from '../../functions/applications/store/verification-records.js';
import type { Actor } from '../../functions/kernel/domain/actor.js';
import { residentIdCheckChar } from '../../functions/kernel/domain/resident-id.js';
import type { TableContext } from '../../functions/kernel/store/table.js';
import { pendingChecksRepository } from '../../functions/verification/index.js';
import { actors, contractBody } from '../../tools/support/fixtures.js';
import { httpEvent, lambdaContext, parsed } from '../../tools/support/http-events.js';
import { freshTable } from '../support/dynamo.js';
import type { TestDependencies } from '../support/handler-deps.js';
import { handlerDependencies, recordingWorkflow } from '../support/handler-deps.js';

const workflow = recordingWorkflow();
let deps: TestDependencies;
let table: TableContext;

beforeAll(async () => {
  table = await freshTable();
  deps = handlerDependencies(table, 'elig', { workflow });
});

const submit = (actor: Actor, body: unknown) => makeSubmitApplication(deps)(httpEvent({ actor, body }), lambdaContext);
const get = (actor: Actor, id: string) =>
  makeGetApplication(deps)(httpEvent({ actor, pathParameters: { id } }), lambdaContext);
const decide = (actor: Actor, id: string, body: unknown) =>
  makeDecideApplication(deps)(httpEvent({ actor, body, pathParameters: { id } }), lambdaContext);
const resubmit = (actor: Actor, id: string, body: unknown) =>
  makeResubmitApplication(deps)(httpEvent({ actor, body, pathParameters: { id } }), lambdaContext);

/** A resident ID for a person of this test alone (born on `birth`, YYYYMMDD), so no other test's application stands in the way. */
function residentId(birth: string, sequence: number): string {
  const first17 = `130105${birth}${String(sequence).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

describe('an ineligible submission', () => {
  it('answers 201 with status rejected, reason ineligible and every rule with its reasons, and shows the same on GET', async () => {
    // A woman of 36 asks for the 4050 flexible-employment subsidy, and forgets the receipt.
    const body = contractBody('flexible-employment');
    body.applicant.idNumber = residentId('19900101', 2);
    body.documents = [{ kind: 'id-card', ref: 'doc-1' }];

    const answer = await submit(actors.gexin01Staff, body);
    expect(answer.statusCode).toBe(201);
    const shown = parsed(answer);
    expect(shown).toMatchObject({ status: 'rejected', stage: null, eligible: false, availableDecisions: [] });
    expect(shown.entitlement).toBeUndefined();
    const failed = shown.eligibility.filter((r: { passed: boolean }) => !r.passed);
    expect(failed.map((r: { ruleId: string }) => r.ruleId).sort()).toEqual(['age-4050', 'required-documents']);
    expect(failed.find((r: { ruleId: string }) => r.ruleId === 'age-4050')).toMatchObject({
      reason: { zh: expect.stringContaining('40'), en: expect.stringContaining('women qualify from 40') },
      figures: { ageYears: 36, minAgeYears: 40, sex: 'female', applicationDate: '2026-11-28' },
    });
    expect(shown.history).toEqual([
      expect.objectContaining({ action: 'submitted', reason: 'ineligible', status: 'rejected' }),
    ]);

    const again = parsed(await get(actors.gexinApprover, shown.id));
    expect(again).toMatchObject({ status: 'rejected', eligible: false, historyIntact: true });
    expect(again.eligibility).toEqual(shown.eligibility);
    // Its execution is started and, asked what next, finishes at once.
    expect(workflow.started).toContain(shown.id);
    const stored = await deps.applications.get(shown.id);
    expect(nextStep(stored!.application)).toMatchObject({ action: 'finish', status: 'rejected' });
    expect(JSON.stringify(stored)).not.toContain(body.applicant.idNumber);
  });

  it('names a birth date that disagrees with the resident ID as a 422, not a verdict', async () => {
    const body = contractBody('flexible-employment');
    body.applicant = { ...body.applicant, idNumber: residentId('19800512', 4), birthDate: '1980-05-13' };
    const answer = await submit(actors.gexin01Staff, body);
    expect(answer.statusCode).toBe(422);
    expect(parsed(answer).errors).toEqual([expect.objectContaining({ field: 'applicant.birthDate' })]);
  });
});

describe('the granted amount', () => {
  it('is shown from submission, kept through resubmission and carried by the final approval', async () => {
    const body = contractBody('post-subsidy');
    body.applicant.idNumber = residentId('19700301', 11);
    const submitted = parsed(await submit(actors.gexin02Staff, body));
    expect(submitted).toMatchObject({
      status: 'in_review',
      eligible: true,
      entitlement: { start: '2026-02', months: 6, monthlyFen: 50_000, grantedFen: 300_000, maxMonthsLifetime: 36 },
    });

    await decide(actors.gexinApprover, submitted.id, { decision: 'return', expectedVersion: 1, comment: '请核对月数' });
    const resubmitted = parsed(
      await resubmit(actors.gexin02Staff, submitted.id, {
        expectedVersion: 2,
        details: { ...body.details, period: { start: '2026-02', months: 8 } },
      }),
    );
    expect(resubmitted).toMatchObject({
      status: 'in_review',
      stage: 'street',
      entitlement: { months: 8, grantedFen: 400_000 },
    });
    // Eight months are asked for now, not six: the checks wait for the re-runner to ask again.
    expect(resubmitted.verification.waitingOnData).toBe(true);
    const rerun = await rerunPendingChecks({
      ...deps,
      table,
      exchange: deps.dataExchange,
      verificationRecords: verificationRecords(table),
      pendingChecks: pendingChecksRepository(table),
      // The fact checker's KMS Decrypt, stood in for: the test knows whom it took in.
      openResidentId: async () => body.applicant.idNumber,
    });
    expect(rerun.answered).toBe(1);

    expect(
      (await decide(actors.gexinApprover, submitted.id, { decision: 'approve', expectedVersion: 3 })).statusCode,
    ).toBe(200);
    expect(
      (await decide(actors.cityApprover, submitted.id, { decision: 'approve', expectedVersion: 4 })).statusCode,
    ).toBe(200);
    const approved = parsed(await get(actors.cityApprover, submitted.id));
    expect(approved.status).toBe('approved');
    expect(approved.history.at(-1)).toMatchObject({ action: 'approved', status: 'approved', grantedFen: 400_000 });
  });

  it('refuses a resubmission whose correction would make the application ineligible, and records nothing', async () => {
    const body = contractBody('post-subsidy');
    body.applicant.idNumber = residentId('19700301', 13);
    const submitted = parsed(await submit(actors.gexin02Staff, body));
    await decide(actors.gexinApprover, submitted.id, { decision: 'return', expectedVersion: 1, comment: '补充' });
    const before = parsed(await get(actors.gexin02Staff, submitted.id));

    const answer = await resubmit(actors.gexin02Staff, submitted.id, { expectedVersion: 2, documents: [] });
    expect(answer.statusCode).toBe(422);
    expect(answer.headers?.['content-type']).toMatch(/^application\/problem\+json/);
    const refusal = parsed(answer);
    expect(refusal).toMatchObject({ type: '/problems/not-eligible', status: 422, eligible: false });
    expect(refusal.errors).toEqual([{ field: 'documents', message: 'missing documents: labour-contract' }]);
    expect(
      refusal.eligibility.filter((r: { passed: boolean }) => !r.passed).map((r: { ruleId: string }) => r.ruleId),
    ).toEqual(['required-documents']);

    const after = parsed(await get(actors.gexin02Staff, submitted.id));
    expect(after).toEqual(before);
    expect(after).toMatchObject({ status: 'returned', version: 2, eligible: true });
  });
});
