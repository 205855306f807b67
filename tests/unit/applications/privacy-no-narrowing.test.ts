/**
 * No narrowing of the resident ID. For each contract body and each role that may read the
 * application, every resident ID number that fits everything the role is shown (the mask, the unit
 * path, every date, age, figure and the entitlement in the view and its history) is enumerated, and
 * at least 1,000 must remain. The same for someone who reads the raw table items (everything but
 * the keyed hash and the KMS-sealed ciphertexts, which they cannot open without the keys).
 *
 * The attacker is granted the most: the 6-digit region code is taken as known (the unit path
 * names the district), and candidate birth dates run from 1920 to 2010. A candidate is a birth
 * date, a sex and a 3-digit sequence code; the check character follows from the rest.
 */

import { afterAll, describe, expect, it } from 'vitest';
import { sealApplicantFacts } from '../../../functions/applications/domain/applicant-facts.js';
import { judge, submitApplication } from '../../../functions/applications/domain/intake.js';
import type { Application } from '../../../functions/applications/domain/lifecycle.js';
import { applicationView } from '../../../functions/applications/domain/views.js';
import { applicationItem } from '../../../functions/applications/store/application-item.js';
import { contextOf, historyEventPut } from '../../../functions/applications/store/history-events.js';
import type { Actor } from '../../../functions/kernel/domain/actor.js';
import type { HistoryEvent } from '../../../functions/kernel/domain/application-events.js';
import { policyInForce } from '../../../functions/kernel/domain/policies/index.js';
import type { CityPolicy } from '../../../functions/kernel/domain/policy.js';
import { applicantSchema, keptApplicant, type ProgrammeId } from '../../../functions/kernel/domain/programmes.js';
import { residentIdCheckChar } from '../../../functions/kernel/domain/resident-id.js';
import { fromItem } from '../../../functions/kernel/store/table.js';
import { type ContractBody, contractBody, contractFiles } from '../../../tools/support/fixtures.js';

const now = '2026-11-28T02:00:00.000Z';
const policy = policyInForce('city:shijiazhuang', '2026-11-28') as CityPolicy;
const paths: Record<string, string[]> = {
  'community:gexin-01': ['city:shijiazhuang', 'district:xinhua', 'street:gexin', 'community:gexin-01'],
  'community:gexin-02': ['city:shijiazhuang', 'district:xinhua', 'street:gexin', 'community:gexin-02'],
  'community:jianbei-01': ['city:shijiazhuang', 'district:changan', 'street:jianbei', 'community:jianbei-01'],
};

/** Everyone who may read an application waiting at the street, and whether they decide it. */
function readers(communityId: string): Record<string, Actor> {
  const street = paths[communityId]?.[2] as string;
  return {
    'community staff of the community': { sub: 's', role: 'community-staff', unit: communityId },
    'street approver deciding it': { sub: 'a', role: 'street-approver', unit: street },
    'city approver (not yet its stage)': { sub: 'c', role: 'city-approver', unit: 'city:shijiazhuang' },
    'street monitor': { sub: 'm', role: 'city-monitor', unit: street },
    'city monitor': { sub: 'm', role: 'city-monitor', unit: 'city:shijiazhuang' },
    'city administrator': { sub: 'x', role: 'city-admin', unit: 'city:shijiazhuang' },
  };
}

function idOf(region: string, birthDate: string, sequence: number): string {
  const first17 = `${region}${birthDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

function takeIn(body: Record<string, any>, idNumber: string): { application: Application; history: HistoryEvent[] } {
  const { applicant, applicantFacts } = keptApplicant(applicantSchema.parse({ ...body.applicant, idNumber }));
  const { application, event } = submitApplication(
    {
      id: 'app-1',
      programme: body.programme as ProgrammeId,
      communityPath: paths[body.communityId] as string[],
      applicant,
      applicantKey: 'keyed-hash',
      details: body.details,
      documents: body.documents,
      applicantFacts,
      // As intake seals them: the raw items hold the facts only as ciphertext.
      sealedFacts: sealApplicantFacts(applicantFacts, 'the city secret', 'keyed-hash'),
    },
    { sub: 's', role: 'community-staff', unit: body.communityId },
    policy,
    now,
  );
  return { application, history: [event] };
}

/** The raw items as stored, less what is opaque without a key: the keyed hash and sealed ciphertexts. */
function rawItems({ application, history }: ReturnType<typeof takeIn>): string {
  const items = [
    fromItem(applicationItem(application)),
    ...history.map((event) =>
      fromItem(historyEventPut('t', application.id, event, contextOf(application)).Put?.Item ?? {}),
    ),
  ];
  return JSON.stringify(items, (key, value) =>
    key === 'applicantKey' || (typeof value === 'string' && /^(kms1|facts1):/.test(value)) ? '<opaque>' : value,
  );
}

const days: string[] = [];
for (let t = Date.UTC(1920, 0, 1); t <= Date.UTC(2010, 11, 31); t += 86_400_000)
  days.push(new Date(t).toISOString().slice(0, 10));

type Taken = ReturnType<typeof takeIn>;

/** The eligibility verdict alone: part of everything any reader is shown, so a cheap first filter. */
function verdictOf(body: Record<string, any>, idNumber: string): string {
  const { applicant, applicantFacts } = keptApplicant(applicantSchema.parse({ ...body.applicant, idNumber }));
  return JSON.stringify(judge({ ...body, applicant, applicantFacts } as never, policy, now));
}

/** For each reader, how many ID numbers produce exactly what it is shown of the real one. */
function candidates(body: Record<string, any>, readers: Record<string, (taken: Taken) => string>) {
  const real: string = body.applicant.idNumber;
  const region = real.slice(0, 6);
  const realTaken = takeIn(body, real);
  const seen = Object.fromEntries(Object.entries(readers).map(([label, observe]) => [label, observe(realTaken)]));
  const realVerdict = verdictOf(body, real);
  const counts = Object.fromEntries(Object.keys(readers).map((label) => [label, 0]));
  for (const birthDate of days) {
    for (const sex of [0, 1]) {
      // Intake reads the number only through keptApplicant: its mask and the facts it encodes
      // (birth date, sex). So one representative per birth date and sex is judged and shown; then
      // every sequence code of that sex counts whose mask is the representative's.
      const representative = idOf(region, birthDate, sex);
      if (verdictOf(body, representative) !== realVerdict) continue;
      const taken = takeIn(body, representative);
      const shownMask = keptApplicant({ ...body.applicant, idNumber: representative }).applicant.idNumber;
      let sameMask = 0;
      for (let sequence = sex; sequence < 1000; sequence += 2) {
        const id = idOf(region, birthDate, sequence);
        if (keptApplicant({ ...body.applicant, idNumber: id }).applicant.idNumber === shownMask) sameMask++;
      }
      for (const [label, observe] of Object.entries(readers))
        if (observe(taken) === seen[label]) counts[label] = (counts[label] as number) + sameMask;
    }
  }
  return counts;
}

const counts: Record<string, Record<string, number>> = {};
// The README's table of counts is copied from this line of the test's output.
afterAll(() => console.info(`candidate counts: ${JSON.stringify(counts)}`));

describe.each(contractFiles)('the ID behind %s cannot be narrowed', (name: ContractBody) => {
  const body = contractBody(name);
  it('by any role reading it, nor by a reader of the raw table: at least 1,000 candidates each', () => {
    const views = Object.entries(readers(body.communityId)).map(([label, actor]) => [
      label,
      ({ application, history }: Taken) =>
        JSON.stringify(applicationView(application, policy, actor, { events: history, intact: true })),
    ]);
    const row = candidates(body, { ...Object.fromEntries(views), 'reader of the raw table items': rawItems });
    counts[name] = row;
    for (const [label, count] of Object.entries(row)) expect(count, `${name}: ${label}`).toBeGreaterThanOrEqual(1000);
  }, 300_000);
});
