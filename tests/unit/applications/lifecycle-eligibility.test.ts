/**
 * Eligibility inside the lifecycle: judged at intake and again at resubmission. An ineligible
 * application at intake is kept, rejected, and its workflow finishes; an ineligible resubmission
 * is refused and nothing changes.
 */

import { describe, expect, it } from 'vitest';
import { decide } from '../../../functions/applications/domain/decisions.js';
import { NotEligibleError } from '../../../functions/applications/domain/eligibility-verdict.js';
import { submitApplication } from '../../../functions/applications/domain/intake.js';
import type { Application } from '../../../functions/applications/domain/lifecycle.js';
import { nextStep } from '../../../functions/applications/domain/next-step.js';
import { resubmit } from '../../../functions/applications/domain/resubmission.js';
import { policyInForce } from '../../../functions/kernel/domain/policies/index.js';
import type { CityPolicy } from '../../../functions/kernel/domain/policy.js';
import { actors, contractBody, eligibleParts } from '../../../tools/support/fixtures.js';

const policy = policyInForce('city:shijiazhuang', '2026-11-28') as CityPolicy;
const path = ['city:shijiazhuang', 'district:xinhua', 'street:gexin', 'community:gexin-02'];
const staff = actors.gexin02Staff;
const t0 = '2026-11-30T02:00:00.000Z';
const applicant = {
  name: '李建国',
  idNumber: '1301**********0115',
  phone: '13800000002',
  proof: { kind: 'hard-to-employ', number: 'KN-1' },
};

function intake(details: Record<string, unknown> = eligibleParts('social-insurance/public-welfare-post').details) {
  return submitApplication(
    {
      id: 'pw-1',
      programme: 'social-insurance/public-welfare-post',
      communityPath: path,
      applicant,
      applicantKey: 'k',
      ...eligibleParts('social-insurance/public-welfare-post'),
      details,
    },
    staff,
    policy,
    t0,
  );
}

const shortContract = () => ({
  ...contractBody('public-welfare-post').details,
  contract: { start: '2026-02-01', end: '2026-10-31' },
});

describe('eligibility at intake', () => {
  it('stores the rule results and the entitlement of an eligible application and puts it in review', () => {
    const { application, event } = intake();
    expect(application).toMatchObject({
      status: 'in_review',
      stage: 'street',
      entitlement: { start: '2026-02', months: 6, monthlyFen: 112_000, grantedFen: 672_000, maxMonthsLifetime: 36 },
    });
    expect(application.eligibility.length).toBeGreaterThan(5);
    expect(application.eligibility.every((r) => r.passed)).toBe(true);
    expect(event).toMatchObject({ action: 'submitted', status: 'in_review' });
    expect(event.reason).toBeUndefined();
  });

  it('keeps an ineligible application, rejected with the reason ineligible and every rule result, and finishes its workflow', () => {
    const { application, event } = intake(shortContract());
    expect(application).toMatchObject({ status: 'rejected', stage: null, version: 1, overdue: false });
    expect(application.dueAt).toBeUndefined();
    expect(application.entitlement).toBeUndefined();
    expect(application.eligibility.filter((r) => !r.passed)).toEqual([
      expect.objectContaining({
        ruleId: 'contract-length',
        figures: expect.objectContaining({ contractMonths: 9, minContractMonths: 12 }),
      }),
    ]);
    expect(event).toMatchObject({ action: 'submitted', reason: 'ineligible', status: 'rejected', stageAfter: null });
    expect(nextStep(application)).toEqual({ action: 'finish', status: 'rejected', version: 1 });
  });
});

describe('eligibility at resubmission', () => {
  const returned = (): Application =>
    decide(
      intake().application,
      { decision: 'return', expectedVersion: 1, comment: '请核对合同' },
      actors.gexinApprover,
      policy,
      t0,
    ).application;

  it('judges the corrected application again and refuses a correction that no longer qualifies, changing nothing', () => {
    const before = returned();
    const snapshot = structuredClone(before);
    let refusal: unknown;
    try {
      resubmit(before, { expectedVersion: 2, details: shortContract() }, staff, policy, '2026-12-01T02:00:00.000Z');
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(NotEligibleError);
    const { fieldErrors, details, message } = refusal as NotEligibleError;
    expect(fieldErrors).toEqual([{ field: 'details.contract', message: expect.stringContaining('9 months') }]);
    expect(message).toMatch(/would not be eligible.*stays returned/);
    // Every rule, as the application shows them, the failed one with its figures.
    expect(details.eligible).toBe(false);
    expect(details.eligibility.map((r) => r.ruleId)).toEqual(before.eligibility.map((r) => r.ruleId));
    expect(details.eligibility.filter((r) => !r.passed)).toEqual([
      expect.objectContaining({
        ruleId: 'contract-length',
        reason: { zh: expect.stringContaining('9'), en: expect.stringContaining('9 months') },
        figures: expect.objectContaining({ contractMonths: 9, minContractMonths: 12 }),
      }),
    ]);
    // The application as given is untouched: still returned, same version, still awaiting resubmission.
    expect(before).toEqual(snapshot);
    expect(nextStep(before)).toEqual({ action: 'await-resubmission', stage: 'community', version: 2 });
  });

  it('recomputes the entitlement from corrected details', () => {
    const details = {
      ...contractBody('public-welfare-post').details,
      monthlyContribution: 150_000,
      period: { start: '2026-03', months: 10 },
    };
    const { application } = resubmit(
      returned(),
      { expectedVersion: 2, details },
      staff,
      policy,
      '2026-12-01T02:00:00.000Z',
    );
    // 1,500.00 yuan a month is capped at the policy's 1,200.00.
    expect(application).toMatchObject({
      status: 'in_review',
      stage: 'street',
      entitlement: { start: '2026-03', months: 10, monthlyFen: 120_000, grantedFen: 1_200_000 },
    });
  });

  it('lets an application stored before eligibility existed go on unjudged', () => {
    // As stored by the walking skeleton: no facts, no rule results, no entitlement.
    const { applicantFacts: _facts, eligibility: _rules, entitlement: _grant, ...legacy } = returned();
    const { application } = resubmit(
      legacy as Application,
      { expectedVersion: 2, details: shortContract() },
      staff,
      policy,
      '2026-12-01T02:00:00.000Z',
    );
    expect(application).toMatchObject({ status: 'in_review', stage: 'street', eligibility: [] });
    expect(application.entitlement).toBeUndefined();
  });

  it('needs the resident ID facts with a corrected applicant', () => {
    expect(() =>
      resubmit(returned(), { expectedVersion: 2, applicant, applicantKey: 'k2' }, staff, policy, t0),
    ).toThrow(/facts/);
  });
});

describe('the granted amount on the final approval', () => {
  it('is recorded on the event that approves the application, not on an intermediate one', () => {
    const atCity = decide(
      intake().application,
      { decision: 'approve', expectedVersion: 1 },
      actors.gexinApprover,
      policy,
      t0,
    );
    expect(atCity.event.grantedFen).toBeUndefined();
    const approved = decide(
      atCity.application,
      { decision: 'approve', expectedVersion: 2 },
      actors.cityApprover,
      policy,
      t0,
    );
    expect(approved.event).toMatchObject({ action: 'approved', status: 'approved', grantedFen: 672_000 });
  });
});
