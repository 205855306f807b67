/**
 * Resubmission without slips: documents added or removed without restating the list, a
 * resubmission that would fail eligibility refused with nothing changed, and intake's dry run.
 */

import { describe, expect, it } from 'vitest';
import { decide } from '../../../functions/applications/domain/decisions.js';
import { NotEligibleError } from '../../../functions/applications/domain/eligibility-verdict.js';
import { checkEligibility, submitApplication } from '../../../functions/applications/domain/intake.js';
import type { Application } from '../../../functions/applications/domain/lifecycle.js';
import { nextStep } from '../../../functions/applications/domain/next-step.js';
import { resubmit, revisedDocuments } from '../../../functions/applications/domain/resubmission.js';
import { ForbiddenError, InvalidRequestError } from '../../../functions/kernel/domain/errors.js';
import { policyInForce } from '../../../functions/kernel/domain/policies/index.js';
import type { CityPolicy } from '../../../functions/kernel/domain/policy.js';
import { keptApplicant } from '../../../functions/kernel/domain/programmes.js';
import { actors, contractBody } from '../../../tools/support/fixtures.js';

const policy = policyInForce('city:shijiazhuang', '2026-11-28') as CityPolicy;
const path = ['city:shijiazhuang', 'district:changan', 'street:jianbei', 'community:jianbei-01'];
const t0 = '2026-11-30T02:00:00.000Z';
const t1 = '2026-12-01T02:00:00.000Z';

const plan = { kind: 'business-plan', ref: 'doc-0004' };
const licence = { kind: 'business-licence', ref: 'doc-0099' };

/** The contract's microloan-guarantee application as intake keeps it (only a business plan attached). */
function microloanDraft() {
  const body = contractBody('microloan-guarantee');
  return {
    programme: 'microloan-guarantee' as const,
    communityPath: path,
    ...keptApplicant(body.applicant as Parameters<typeof keptApplicant>[0]),
    details: body.details as Record<string, unknown>,
    documents: body.documents as { kind: string; ref: string }[],
  };
}

/** Taken in, then returned by the street asking for the business licence: version 2. */
function returnedForLicence(): Application {
  const submitted = submitApplication(
    { ...microloanDraft(), id: 'ml-1', applicantKey: 'k' },
    actors.jianbei01Staff,
    policy,
    t0,
  ).application;
  return decide(
    submitted,
    { decision: 'return', expectedVersion: 1, comment: '请补充营业执照' },
    actors.jianbeiApprover,
    policy,
    t0,
  ).application;
}

function refusalOf(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

describe('revisedDocuments', () => {
  const current = [plan, { kind: 'id-card', ref: 'doc-0001' }];

  it('keeps the list when no change is asked for', () => {
    expect(revisedDocuments(current, {})).toEqual(current);
  });

  it('replaces the whole list with documents', () => {
    expect(revisedDocuments(current, { documents: [licence] })).toEqual([licence]);
    expect(revisedDocuments(current, { documents: [] })).toEqual([]);
  });

  it('appends addDocuments and takes off removeDocuments by ref, removals first', () => {
    expect(revisedDocuments(current, { addDocuments: [licence] })).toEqual([...current, licence]);
    expect(revisedDocuments(current, { removeDocuments: ['doc-0001'] })).toEqual([plan]);
    // A document replaced under the same ref: removed, then added again as corrected.
    const corrected = { kind: 'business-plan', ref: 'doc-0001' };
    expect(revisedDocuments(current, { removeDocuments: ['doc-0001'], addDocuments: [corrected] })).toEqual([
      plan,
      corrected,
    ]);
  });

  it('refuses documents together with addDocuments or removeDocuments, naming each', () => {
    const refusal = refusalOf(() =>
      revisedDocuments(current, { documents: [licence], addDocuments: [licence], removeDocuments: ['doc-0004'] }),
    );
    expect(refusal).toBeInstanceOf(InvalidRequestError);
    expect((refusal as InvalidRequestError).fieldErrors).toEqual([
      { field: 'addDocuments', message: expect.stringContaining('cannot be combined with documents') },
      { field: 'removeDocuments', message: expect.stringContaining('cannot be combined with documents') },
    ]);
  });

  it('refuses a ref to remove that is not attached, or a ref to add that already is, naming the entry', () => {
    const refusal = refusalOf(() =>
      revisedDocuments(current, {
        removeDocuments: ['doc-0001', 'doc-7777', 'doc-0001'],
        addDocuments: [{ kind: 'business-plan', ref: 'doc-0004' }, licence, licence],
      }),
    ) as InvalidRequestError;
    expect(refusal).toBeInstanceOf(InvalidRequestError);
    expect(refusal.fieldErrors).toEqual([
      { field: 'removeDocuments.1', message: "doc-7777 is not among the application's documents" },
      { field: 'removeDocuments.2', message: 'doc-0001 is listed twice' },
      {
        field: 'addDocuments.0.ref',
        message: expect.stringContaining('doc-0004 is already attached (as business-plan)'),
      },
      { field: 'addDocuments.2.ref', message: 'doc-0099 is listed twice' },
    ]);
  });

  it('refuses more documents than an application holds', () => {
    const many = Array.from({ length: 49 }, (_, i) => ({ kind: 'other', ref: `doc-${i}` }));
    expect(revisedDocuments(many, { addDocuments: [licence] })).toHaveLength(50);
    const refusal = refusalOf(() =>
      revisedDocuments(many, { addDocuments: [licence, { kind: 'other', ref: 'doc-x' }] }),
    ) as InvalidRequestError;
    expect(refusal.fieldErrors).toEqual([{ field: 'addDocuments', message: expect.stringContaining('at most 50') }]);
  });
});

describe('a microloan guarantee returned for the business licence', () => {
  it('is refused, unchanged, when documents replaces the list and drops the business plan', () => {
    const returned = returnedForLicence();
    const snapshot = structuredClone(returned);
    const refusal = refusalOf(() =>
      resubmit(returned, { expectedVersion: 2, documents: [licence] }, actors.jianbei01Staff, policy, t1),
    ) as NotEligibleError;

    expect(refusal).toBeInstanceOf(NotEligibleError);
    expect(refusal.fieldErrors).toEqual([{ field: 'documents', message: 'missing documents: business-plan' }]);
    expect(refusal.details.eligibility.find((r) => r.ruleId === 'required-documents')).toEqual({
      ruleId: 'required-documents',
      passed: false,
      reason: { zh: '缺少材料：创业计划书', en: 'missing documents: business-plan' },
      figures: { required: 'business-plan', missing: 'business-plan' },
    });
    expect(returned).toEqual(snapshot);
    expect(returned).toMatchObject({ status: 'returned', stage: 'community', version: 2 });
  });

  it('goes back to the street, still eligible, when the licence is added, and is approved', () => {
    const returned = returnedForLicence();
    const { application, event } = resubmit(
      returned,
      { expectedVersion: 2, addDocuments: [licence], comment: '已补充营业执照' },
      actors.jianbei01Staff,
      policy,
      t1,
    );
    expect(application).toMatchObject({ status: 'in_review', stage: 'street', version: 3, documents: [plan, licence] });
    expect(application.eligibility.every((r) => r.passed)).toBe(true);
    expect(application.entitlement).toMatchObject({ months: 24, grantedFen: 15_000_000 });
    expect(event).toMatchObject({ action: 'resubmitted', status: 'in_review', stageAfter: 'street' });
    expect(event.reason).toBeUndefined();

    const atCity = decide(
      application,
      { decision: 'approve', expectedVersion: 3 },
      actors.jianbeiApprover,
      policy,
      t1,
    ).application;
    const approved = decide(atCity, { decision: 'approve', expectedVersion: 4 }, actors.cityApprover, policy, t1);
    expect(approved.application.status).toBe('approved');
    expect(approved.event).toMatchObject({ action: 'approved', grantedFen: 15_000_000 });
    expect(nextStep(approved.application)).toMatchObject({ action: 'finish', status: 'approved' });
  });

  it('refuses a removal that would leave it ineligible, naming the documents field', () => {
    const refusal = refusalOf(() =>
      resubmit(
        returnedForLicence(),
        { expectedVersion: 2, removeDocuments: ['doc-0004'], addDocuments: [licence] },
        actors.jianbei01Staff,
        policy,
        t1,
      ),
    ) as NotEligibleError;
    expect(refusal).toBeInstanceOf(NotEligibleError);
    expect(refusal.fieldErrors.map((e) => e.field)).toEqual(['documents']);
  });

  it('checks the version and the status before judging anything', () => {
    const returned = returnedForLicence();
    expect(() =>
      resubmit(returned, { expectedVersion: 1, documents: [licence] }, actors.jianbei01Staff, policy, t1),
    ).toThrow(/version 2, not 1/);
  });
});

describe('checkEligibility (intake’s dry run)', () => {
  it('answers what intake would record: every rule and the entitlement', () => {
    const outcome = checkEligibility(microloanDraft(), actors.jianbei01Staff, policy, t0);
    expect(outcome.eligible).toBe(true);
    expect(outcome.rules.every((r) => r.passed)).toBe(true);
    expect(outcome.entitlement).toEqual({
      start: '2026-11',
      months: 24,
      grantedFen: 15_000_000,
      maxMonthsLifetime: 36,
    });
    // The same verdict intake stores.
    const taken = submitApplication(
      { ...microloanDraft(), id: 'ml-2', applicantKey: 'k' },
      actors.jianbei01Staff,
      policy,
      t0,
    );
    expect(taken.application.eligibility).toEqual(outcome.rules);
    expect(taken.application.entitlement).toEqual(outcome.entitlement);
  });

  it('answers the failed rules of an ineligible draft, with their figures', () => {
    const draft = { ...microloanDraft(), documents: [licence] };
    const outcome = checkEligibility(draft, actors.jianbei01Staff, policy, t0);
    expect(outcome.eligible).toBe(false);
    expect(outcome.entitlement).toBeUndefined();
    expect(outcome.rules.filter((r) => !r.passed)).toEqual([
      expect.objectContaining({
        ruleId: 'required-documents',
        figures: { required: 'business-plan', missing: 'business-plan' },
      }),
    ]);
  });

  it('is open only to staff of the draft’s own community, as intake is', () => {
    expect(() => checkEligibility(microloanDraft(), actors.gexin01Staff, policy, t0)).toThrow(ForbiddenError);
    expect(() => checkEligibility(microloanDraft(), actors.jianbeiApprover, policy, t0)).toThrow(ForbiddenError);
  });
});
