/** Minimum necessary: who sees the applicant's name, phone and proof, and sealed facts that open only for their person. */
import { describe, expect, it } from 'vitest';
import { openApplicantFacts, sealApplicantFacts } from '../../../functions/applications/domain/applicant-facts.js';
import { decide } from '../../../functions/applications/domain/decisions.js';
import { submitApplication } from '../../../functions/applications/domain/intake.js';
import { applicationView } from '../../../functions/applications/domain/views.js';
import type { Actor } from '../../../functions/kernel/domain/actor.js';
import { policyInForce } from '../../../functions/kernel/domain/policies/index.js';
import type { CityPolicy } from '../../../functions/kernel/domain/policy.js';
import { actors, eligibleParts } from '../../../tools/support/fixtures.js';

const policy = policyInForce('city:shijiazhuang', '2026-11-28') as CityPolicy;
const t0 = '2026-11-28T02:00:00.000Z';
const applicant = {
  name: '王秀英',
  idNumber: '1301**********0240',
  phone: '13800000001',
  proof: { kind: 'hard-to-employ', number: 'KN-1' },
};
const atStreet = submitApplication(
  {
    id: 'app-1',
    programme: 'post-subsidy',
    communityPath: ['city:shijiazhuang', 'district:xinhua', 'street:gexin', 'community:gexin-01'],
    applicant,
    applicantKey: 'key',
    ...eligibleParts('post-subsidy'),
  },
  actors.gexin01Staff,
  policy,
  t0,
).application;
const atCity = decide(
  atStreet,
  { decision: 'approve', expectedVersion: 1 },
  actors.gexinApprover,
  policy,
  t0,
).application;

const identified = { ...applicant, idNumber: '1301**************' };
const masked = { name: '王*英', idNumber: '1301**************' };
const admin: Actor = { sub: 'admin', role: 'city-admin', unit: 'city:shijiazhuang' };

describe('the role × field matrix', () => {
  it.each([
    ['the community that took it in', actors.gexin01Staff, atStreet, identified],
    ['the street approver deciding it', actors.gexinApprover, atStreet, identified],
    ['the street approver once it moved on', actors.gexinApprover, atCity, masked],
    ['the city approver before it reaches the city', actors.cityApprover, atStreet, masked],
    ['the city approver deciding it', actors.cityApprover, atCity, identified],
    ['a city monitor', actors.cityMonitor, atCity, masked],
    ['the city administrator', admin, atCity, masked],
  ] as const)('%s', (_who, actor, application, expected) => {
    const view = applicationView(application, policy, actor);
    expect(view.applicant).toEqual(expected);
    if (expected === masked) expect(JSON.stringify(view)).not.toMatch(/13800000001|KN-1|王秀英/);
  });
});

describe('sealed applicant facts', () => {
  const facts = { birthDate: '1980-05-12', sex: 'female' } as const;
  it('open with the same secret for the same person only', () => {
    const sealed = sealApplicantFacts(facts, 'secret', 'person-a');
    expect(sealed).not.toContain('1980');
    expect(openApplicantFacts(sealed, 'secret', 'person-a')).toEqual(facts);
    expect(() => openApplicantFacts(sealed, 'secret', 'person-b')).toThrow();
    expect(() => openApplicantFacts(sealed, 'other secret', 'person-a')).toThrow();
  });
});
