/** The contract's request bodies (copied from shared/contract, checked equal by a unit test) and actors. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { submitApplication } from '../../functions/applications/domain/intake.js';
import type { Transition } from '../../functions/applications/domain/lifecycle.js';
import type { Actor } from '../../functions/kernel/domain/actor.js';
import type { CityPolicy } from '../../functions/kernel/domain/policy.js';
import type { ProgrammeId } from '../../functions/kernel/domain/programmes.js';
import { residentIdCheckChar, residentIdFacts } from '../../functions/kernel/domain/resident-id.js';

const contractDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'tests', 'fixtures', 'contract');

export const contractFiles = [
  'public-welfare-post',
  'flexible-employment',
  'post-subsidy',
  'microloan-guarantee',
] as const;
export type ContractBody = (typeof contractFiles)[number];

/** A fresh copy each call, so a test may change it freely. `any`: tests reach into arbitrary fields to break them. */
export function contractBody(name: ContractBody): Record<string, any> {
  return JSON.parse(readFileSync(join(contractDir, `${name}.json`), 'utf8'));
}

const contractOfProgramme: Record<ProgrammeId, ContractBody> = {
  'social-insurance/public-welfare-post': 'public-welfare-post',
  'social-insurance/flexible-employment': 'flexible-employment',
  'post-subsidy': 'post-subsidy',
  'microloan-guarantee': 'microloan-guarantee',
};

/**
 * For tests that call the domain's intake directly: the contract body's details, documents and
 * the facts its resident ID encodes, which the demo policy finds eligible (with any proof of
 * status the programme accepts, `hard-to-employ` included).
 */
export function eligibleParts(programme: ProgrammeId) {
  const body = contractBody(contractOfProgramme[programme]);
  return {
    details: body.details as Record<string, unknown>,
    documents: body.documents as { kind: string; ref: string }[],
    applicantFacts: residentIdFacts(body.applicant.idNumber as string),
  };
}

export const actors = {
  gexin01Staff: { sub: 'staff-gexin-01', role: 'community-staff', unit: 'community:gexin-01' },
  gexin02Staff: { sub: 'staff-gexin-02', role: 'community-staff', unit: 'community:gexin-02' },
  jianbei01Staff: { sub: 'staff-jianbei-01', role: 'community-staff', unit: 'community:jianbei-01' },
  gexinApprover: { sub: 'approver-gexin', role: 'street-approver', unit: 'street:gexin' },
  gexinApprover2: { sub: 'approver-gexin-2', role: 'street-approver', unit: 'street:gexin' },
  dongfengApprover: { sub: 'approver-dongfeng', role: 'street-approver', unit: 'street:dongfeng' },
  jianbeiApprover: { sub: 'approver-jianbei', role: 'street-approver', unit: 'street:jianbei' },
  cityApprover: { sub: 'approver-city', role: 'city-approver', unit: 'city:shijiazhuang' },
  cityMonitor: { sub: 'monitor-city', role: 'city-monitor', unit: 'city:shijiazhuang' },
} satisfies Record<string, Actor>;

/**
 * The body with its applicant replaced by another person (n = 0…9999) of the same birth date and
 * sex: a person may have only one active application per programme, so tests that take in the
 * same body more than once give each its own person.
 */
export function asPerson<T extends Record<string, any>>(body: T, n: number): T {
  const id: string = body.applicant.idNumber;
  const digits = String(n).padStart(4, '0');
  const first17 = `${id.slice(0, 4)}${digits.slice(0, 2)}${id.slice(6, 14)}${digits.slice(2)}${id[16]}`;
  return { ...body, applicant: { ...body.applicant, idNumber: `${first17}${residentIdCheckChar(first17)}` } };
}

/** Stands in for KMS in handler tests: opaque (a digest, never the clear number), one per number. */
export const sealForTests = async (clear: string) =>
  `test-sealed:${createHash('sha256').update(clear).digest('base64url')}`;

/**
 * A post-subsidy application taken in at gexin-01 by its staff (李建国, masked as stored), as the
 * domain computes it: the transition a store or handler test starts from. One person per id.
 */
export function takenIn(id: string, policy: CityPolicy, at: string, applicantKey = `key-${id}`): Transition {
  return submitApplication(
    {
      id,
      programme: 'post-subsidy',
      communityPath: ['city:shijiazhuang', 'district:xinhua', 'street:gexin', 'community:gexin-01'],
      applicant: {
        name: '李建国',
        idNumber: '1301**********0115',
        phone: '13800000002',
        proof: { kind: 'hard-to-employ', number: 'KN-1' },
      },
      applicantKey,
      ...eligibleParts('post-subsidy'),
    },
    actors.gexin01Staff,
    policy,
    at,
  );
}
