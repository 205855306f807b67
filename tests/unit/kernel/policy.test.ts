/** City policy as versioned data: documents validated, the version in force by date, and an application judged by its own version to the end. */
import { describe, expect, it } from 'vitest';
import { decide } from '../../../functions/applications/domain/decisions.js';
import { submitApplication } from '../../../functions/applications/domain/intake.js';
import type { Application } from '../../../functions/applications/domain/lifecycle.js';
import { resubmit } from '../../../functions/applications/domain/resubmission.js';
import type { Actor } from '../../../functions/kernel/domain/actor.js';
import { policyInForce, shippedPolicies } from '../../../functions/kernel/domain/policies/index.js';
import { shijiazhuang2026v1 } from '../../../functions/kernel/domain/policies/shijiazhuang-2026.1.js';
import {
  type CityPolicy,
  createPolicyRegistry,
  InvalidPolicyDocumentError,
  ledgerRulesFor,
  loadPolicyDocument,
} from '../../../functions/kernel/domain/policy.js';
import {
  minimumReadAuditRetentionDays,
  readAuditEntry,
  readAuditExpiry,
} from '../../../functions/kernel/domain/read-audit.js';
import { actors, eligibleParts } from '../../../tools/support/fixtures.js';

/**
 * A second version as a JSON document would arrive: from 2027 women qualify for the flexible
 * employment subsidy from 47, the monthly cap drops and the district joins the chain.
 */
function secondVersionJson(): string {
  const document = structuredClone(shijiazhuang2026v1) as Record<string, any>;
  document.version = 'shijiazhuang-2027.1';
  document.effectiveFrom = '2027-01-01';
  document.approvalChain = ['street', 'district', 'city'];
  document.programmes['social-insurance/flexible-employment'].minAgeYears = { female: 47, male: 50 };
  document.programmes['social-insurance/flexible-employment'].monthlyCapFen = 50_000;
  return JSON.stringify(document);
}

const path = ['city:shijiazhuang', 'district:xinhua', 'street:gexin', 'community:gexin-01'];
const staff = actors.gexin01Staff;

function intake(registry: ReturnType<typeof createPolicyRegistry>, at: string): Application {
  const policy = registry.inForce('city:shijiazhuang', at.slice(0, 10)) as CityPolicy;
  return submitApplication(
    {
      id: `flex-${at}`,
      programme: 'social-insurance/flexible-employment',
      communityPath: path,
      applicant: {
        name: '王秀英',
        idNumber: '1301**********0240',
        phone: '13800000001',
        proof: { kind: 're-employment-certificate', number: 'JZ-1' },
      },
      applicantKey: 'k',
      ...eligibleParts('social-insurance/flexible-employment'),
    },
    staff,
    policy,
    at,
  ).application;
}

describe('the shipped policy', () => {
  it('ships the demo city version with its deadlines, reasons and programme rules', () => {
    const policy = policyInForce('city:shijiazhuang', '2026-11-28') as CityPolicy;
    expect(policy).toMatchObject({
      version: 'shijiazhuang-2026.1',
      approvalChain: ['street', 'city'],
      decisionDeadlineWorkingDays: 10,
      maxReturnRounds: 3,
    });
    expect(policy.rejectionReasons.map((r) => r.code)).toEqual(
      expect.arrayContaining(['ineligible', 'not-eligible', 'other']),
    );
    expect(policy.programmes['social-insurance/flexible-employment'].minAgeYears).toEqual({ female: 40, male: 50 });
    expect(policy.programmes['social-insurance/public-welfare-post'].minContractMonths).toBe(12);
    expect(shippedPolicies.versions().map((p) => p.version)).toEqual(['shijiazhuang-2026.1']);
  });

  it('gives the ledger each programme’s cap, retirement extension and exclusions', () => {
    const policy = policyInForce('city:shijiazhuang', '2026-11-28') as CityPolicy;
    expect(ledgerRulesFor(policy, 'social-insurance/public-welfare-post')).toEqual({
      maxMonthsLifetime: 36,
      extendedToRetirementWithinYears: 5,
      exclusiveWith: ['social-insurance/flexible-employment'],
    });
    expect(ledgerRulesFor(policy, 'microloan-guarantee')).toEqual({ maxMonthsLifetime: 36, exclusiveWith: [] });
  });

  it('fills in the brief’s defaults where a document leaves them out', () => {
    const document = structuredClone(shijiazhuang2026v1) as Record<string, any>;
    delete document.programmes['social-insurance/flexible-employment'].minAgeYears;
    delete document.programmes['social-insurance/public-welfare-post'].minContractMonths;
    const policy = loadPolicyDocument(document);
    expect(policy.programmes['social-insurance/flexible-employment'].minAgeYears).toEqual({ female: 40, male: 50 });
    expect(policy.programmes['social-insurance/public-welfare-post'].minContractMonths).toBe(12);
  });

  it("keeps read-audit entries as long as the city's policy says, never under six months", () => {
    const document = structuredClone(shijiazhuang2026v1) as Record<string, any>;
    delete document.readAuditRetentionDays;
    expect(loadPolicyDocument(document).readAuditRetentionDays).toBe(minimumReadAuditRetentionDays);
    document.readAuditRetentionDays = 3 * 365 + 1;
    const threeYears = loadPolicyDocument(document);
    const at = new Date('2026-11-28T03:00:00Z');
    const entry = readAuditEntry(
      actors.gexin01Staff,
      { id: 'a-1', unitPath: ['city:shijiazhuang'] },
      'application-detail',
      ['name'],
      at,
      threeYears,
    );
    expect(entry.retentionDays).toBe(1096);
    expect(readAuditExpiry(at, entry.retentionDays) - at.getTime() / 1000).toBe(1096 * 86_400);
    document.readAuditRetentionDays = 30;
    expect(() => loadPolicyDocument(document)).toThrow(/readAuditRetentionDays/);
  });

  it('refuses a document with a bad field, naming it', () => {
    const document = structuredClone(shijiazhuang2026v1) as Record<string, any>;
    document.programmes['post-subsidy'].monthlyCapFen = 600.5;
    document.rejectionReasons = document.rejectionReasons.filter((r: { code: string }) => r.code !== 'ineligible');
    expect(() => loadPolicyDocument(document)).toThrow(InvalidPolicyDocumentError);
    expect(() => loadPolicyDocument(document)).toThrow(/programmes\.post-subsidy\.monthlyCapFen/);
    expect(() => loadPolicyDocument(document)).toThrow(/rejectionReasons: must include the reason ineligible/);
    expect(() => createPolicyRegistry([shijiazhuang2026v1, shijiazhuang2026v1])).toThrow(/appears twice/);
  });
});

describe('a second version, loaded as data', () => {
  const registry = createPolicyRegistry([shijiazhuang2026v1, JSON.parse(secondVersionJson())]);
  const city: Actor = actors.cityApprover;

  it('is in force from its effective date and not before', () => {
    expect(registry.inForce('city:shijiazhuang', '2026-12-31')?.version).toBe('shijiazhuang-2026.1');
    expect(registry.inForce('city:shijiazhuang', '2027-01-01')?.version).toBe('shijiazhuang-2027.1');
    expect(registry.inForce('city:shijiazhuang', '2025-12-31')).toBeUndefined();
  });

  it('judges an application submitted before it by the old version to the end, and a later one by the new', () => {
    // 王秀英 is 46: a woman qualifies from 40 under 2026.1, from 47 under 2027.1.
    const before = intake(registry, '2026-12-01T02:00:00.000Z');
    expect(before).toMatchObject({
      policyVersion: 'shijiazhuang-2026.1',
      status: 'in_review',
      stage: 'street',
      entitlement: { monthlyFen: 65_336 },
    });

    // Returned in 2026, resubmitted in 2027: judged again, still by 2026.1 (its chain, its ages, its cap).
    const oldPolicy = registry.version(before.policyVersion) as CityPolicy;
    const returned = decide(
      before,
      { decision: 'return', expectedVersion: 1, comment: '补充材料' },
      actors.gexinApprover,
      oldPolicy,
      '2026-12-02T02:00:00.000Z',
    );
    const resubmitted = resubmit(
      returned.application,
      { expectedVersion: 2 },
      staff,
      oldPolicy,
      '2027-02-01T02:00:00.000Z',
    );
    expect(resubmitted.application).toMatchObject({
      status: 'in_review',
      stage: 'street',
      policyVersion: 'shijiazhuang-2026.1',
      entitlement: { monthlyFen: 65_336, grantedFen: 784_032 },
    });
    const atCity = decide(
      resubmitted.application,
      { decision: 'approve', expectedVersion: 3 },
      actors.gexinApprover2,
      oldPolicy,
      '2027-02-02T02:00:00.000Z',
    );
    expect(atCity.application.stage).toBe('city');
    const approved = decide(
      atCity.application,
      { decision: 'approve', expectedVersion: 4 },
      city,
      oldPolicy,
      '2027-02-03T02:00:00.000Z',
    );
    expect(approved.application.status).toBe('approved');
    expect(approved.event.grantedFen).toBe(784_032);

    const after = intake(registry, '2027-02-01T02:00:00.000Z');
    expect(after).toMatchObject({ policyVersion: 'shijiazhuang-2027.1', status: 'rejected', stage: null });
    expect(after.eligibility.find((r) => r.ruleId === 'age-4050')).toMatchObject({
      passed: false,
      figures: { ageYears: 46, minAgeYears: 47 },
    });
  });
});
