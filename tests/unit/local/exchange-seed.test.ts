/**
 * The local exchange's seed against the demo: the contract applicants clear every source their
 * programmes are checked against, and each made-up mismatch shows in the one source it is for.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { answerFrom } from '../../../local/exchange-records.js';
import { demoMismatches, seededRecordSet } from '../../../local/exchange-seed.js';

const contract = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../fixtures/contract/${name}.json`, import.meta.url), 'utf8'));
const records = seededRecordSet('2026-12-08');
const personSources = [
  'deaths',
  'imprisonments',
  'pensions',
  'unemploymentBenefits',
  'publicPayroll',
  'grantsElsewhere',
] as const;
const nothingOn = (idNumber: string) =>
  personSources.map((source) => answerFrom(records, source, { idNumber })).map(({ asOf: _, ...rest }) => rest);

describe('the local exchange’s seed', () => {
  it('has nothing against the four contract applicants in any person source', () => {
    for (const name of ['flexible-employment', 'post-subsidy', 'public-welfare-post', 'microloan-guarantee'])
      expect(nothingOn(contract(name).applicant.idNumber), name).toEqual([
        {},
        { periods: [] },
        {},
        { periods: [] },
        { periods: [] },
        { grants: [] },
      ]);
  });

  it('shows the flexibly employed paying their own contributions, and no business of theirs', () => {
    const { applicant } = contract('flexible-employment');
    const paid = answerFrom(records, 'contributions', {
      idNumber: applicant.idNumber,
      months: { from: '2026-04', to: '2026-11' },
    });

    expect(paid).toMatchObject({
      records: expect.arrayContaining([expect.objectContaining({ month: '2026-04', paid: true })]),
    });
    expect(JSON.stringify(paid)).not.toContain('employerCreditCode');
    expect(answerFrom(records, 'entities', { legalRepresentativeIdNumber: applicant.idNumber })).toMatchObject({
      entities: [],
    });
  });

  it('shows the employed paid for by the employer they declared, an active enterprise', () => {
    const { applicant, details } = contract('public-welfare-post');
    const paid = answerFrom(records, 'contributions', {
      idNumber: applicant.idNumber,
      months: { from: '2026-02', to: '2026-07' },
    });

    expect(paid).toMatchObject({
      records: Array.from({ length: 6 }, () => ({ employerCreditCode: details.employer.creditCode, paid: true })),
    });
    expect(answerFrom(records, 'entities', { creditCode: details.employer.creditCode })).toMatchObject({
      entities: [{ kind: 'enterprise', status: 'active' }],
    });
  });

  it('shows the microloan’s business active, with its applicant as legal representative', () => {
    const { applicant, details } = contract('microloan-guarantee');

    expect(answerFrom(records, 'entities', { creditCode: details.business.licenceNo })).toMatchObject({
      entities: [{ kind: 'individual-business', status: 'active', legalRepresentativeIdNumber: applicant.idNumber }],
    });
  });

  it('gives each made-up mismatch the record it is for', () => {
    expect(answerFrom(records, 'pensions', { idNumber: demoMismatches.drawingPension })).toMatchObject({
      from: '2025-01',
    });
    expect(answerFrom(records, 'deaths', { idNumber: demoMismatches.deceased })).toMatchObject({
      died: { on: '2026-10-03' },
    });
    expect(answerFrom(records, 'imprisonments', { idNumber: demoMismatches.imprisoned })).toMatchObject({
      periods: [{ from: '2026-03-01' }],
    });
    expect(answerFrom(records, 'publicPayroll', { idNumber: demoMismatches.publicPayroll })).toMatchObject({
      periods: [{}],
    });
    expect(answerFrom(records, 'unemploymentBenefits', { idNumber: demoMismatches.unemploymentBenefit })).toMatchObject(
      { periods: [{ to: '2026-11-30' }] },
    );
    expect(answerFrom(records, 'grantsElsewhere', { idNumber: demoMismatches.grantElsewhere })).toMatchObject({
      grants: [{ cityId: 'city:baoding' }],
    });
    expect(answerFrom(records, 'contributions', { idNumber: demoMismatches.otherEmployer })).toMatchObject({
      records: expect.arrayContaining([expect.objectContaining({ employerCreditCode: '91130102MA0YGQ4K23' })]),
    });
    expect(
      answerFrom(records, 'entities', { legalRepresentativeIdNumber: demoMismatches.individualBusinessOwner }),
    ).toMatchObject({ entities: [{ kind: 'individual-business', status: 'active' }] });
    for (const code of [demoMismatches.deregisteredBusiness, demoMismatches.deregisteredEnterprise])
      expect(answerFrom(records, 'entities', { creditCode: code })).toMatchObject({
        entities: [{ status: 'deregistered' }],
      });
  });
});
