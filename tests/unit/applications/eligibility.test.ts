/** Eligibility against the demo policy: each programme's rules table-driven, and the age and duration rules as properties. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateEligibility, fieldOfRule } from '../../../functions/applications/domain/eligibility.js';
import type { EligibilityInput } from '../../../functions/applications/domain/eligibility-verdict.js';
import {
  addMonthsToDate,
  ageOn,
  contractMonths,
  durationCapMonths,
  retirementAgeMonths,
  retirementDate,
} from '../../../functions/kernel/domain/age-and-retirement.js';
import { lastMonthOf, monthIndex } from '../../../functions/kernel/domain/dates.js';
import { policyInForce } from '../../../functions/kernel/domain/policies/index.js';
import type { CityPolicy } from '../../../functions/kernel/domain/policy.js';
import type { ProgrammeId } from '../../../functions/kernel/domain/programmes.js';
import { type ResidentIdFacts, residentIdFacts } from '../../../functions/kernel/domain/resident-id.js';
import { type ContractBody, contractBody } from '../../../tools/support/fixtures.js';

const policy = policyInForce('city:shijiazhuang', '2026-11-28') as CityPolicy;
const today = '2026-11-28';

/** The eligibility input of a contract body, changed by `change` (which may mutate the body freely). */
function inputOf(
  name: ContractBody,
  change: (body: Record<string, any>) => void = () => {},
  applicationDate = today,
): EligibilityInput {
  const body = contractBody(name);
  change(body);
  return {
    programme: body.programme as ProgrammeId,
    details: body.details,
    documents: body.documents ?? [],
    proofKind: body.applicant.proof.kind,
    person: body.person ?? residentIdFacts(body.applicant.idNumber),
    applicationDate,
  };
}

const failedRules = (input: EligibilityInput) =>
  evaluateEligibility(policy, input)
    .rules.filter((r) => !r.passed)
    .map((r) => r.ruleId)
    .sort();

describe('the contract bodies under the demo policy', () => {
  it.each([
    [
      'public-welfare-post',
      { start: '2026-02', months: 6, monthlyFen: 112_000, grantedFen: 672_000, maxMonthsLifetime: 36 },
    ],
    // 980.00 yuan paid a month, two thirds (66.67 %) back, rounded down to the fen.
    [
      'flexible-employment',
      { start: '2026-04', months: 12, monthlyFen: 65_336, grantedFen: 784_032, maxMonthsLifetime: 36 },
    ],
    ['post-subsidy', { start: '2026-02', months: 6, monthlyFen: 50_000, grantedFen: 300_000, maxMonthsLifetime: 36 }],
    // The guaranteed loan over its term, counted from the month of application.
    ['microloan-guarantee', { start: '2026-11', months: 24, grantedFen: 15_000_000, maxMonthsLifetime: 36 }],
  ] as const)('finds %s eligible and computes its entitlement', (name, entitlement) => {
    const outcome = evaluateEligibility(policy, inputOf(name));
    expect(outcome.rules.filter((r) => !r.passed)).toEqual([]);
    expect(outcome).toMatchObject({ eligible: true });
    expect(outcome.entitlement).toEqual(entitlement);
  });

  it('gives every rule a reason in Chinese and English and the figures it used', () => {
    for (const name of ['public-welfare-post', 'flexible-employment', 'post-subsidy', 'microloan-guarantee'] as const) {
      for (const result of evaluateEligibility(policy, inputOf(name)).rules) {
        expect(result.reason.zh).toMatch(/\p{Script=Han}/u);
        expect(result.reason.en).toMatch(/[a-z]/);
        expect(Object.keys(result.figures).length).toBeGreaterThan(0);
      }
    }
  });
});

describe('each programme’s rules, one failing at a time', () => {
  const rows: [string, ContractBody, (b: Record<string, any>) => void, string[]][] = [
    // common
    [
      'a proof of status the programme does not accept',
      'post-subsidy',
      (b) => (b.applicant.proof.kind = 'unemployment-registration'),
      ['proof-of-status'],
    ],
    [
      'a required document missing',
      'public-welfare-post',
      (b) => (b.documents = [{ kind: 'id-card', ref: 'doc-9' }]),
      ['required-documents'],
    ],
    [
      'a person already retired',
      'post-subsidy',
      (b) => (b.person = { birthDate: '1960-03-01', sex: 'male' }),
      ['below-retirement-age', 'period-before-retirement'],
    ],
    // public-welfare post
    [
      'a labour contract one day short of a year',
      'public-welfare-post',
      (b) => (b.details.contract = { start: '2026-02-01', end: '2027-01-30' }),
      ['contract-length'],
    ],
    [
      'a period running past the contract',
      'public-welfare-post',
      (b) => (b.details.period = { start: '2027-12', months: 3 }),
      ['period-within-contract'],
    ],
    ['no employer contribution', 'public-welfare-post', (b) => (b.details.monthlyContribution = 0), ['subsidy-amount']],
    [
      'more months than the cap',
      'public-welfare-post',
      (b) => {
        b.details.contract.end = '2030-12-31';
        b.details.period = { start: '2026-02', months: 37 };
      },
      ['duration-cap'],
    ],
    // flexible employment ("4050")
    [
      'a woman under 40',
      'flexible-employment',
      (b) => (b.person = { birthDate: '1990-01-01', sex: 'female' }),
      ['age-4050'],
    ],
    ['a man of 46', 'flexible-employment', (b) => (b.person = { birthDate: '1980-05-12', sex: 'male' }), ['age-4050']],
    [
      'a period before the registration',
      'flexible-employment',
      (b) => (b.details.period = { start: '2026-02', months: 12 }),
      ['registered-before-period'],
    ],
    [
      'a registration after the application date',
      'flexible-employment',
      (b) => (b.details.registeredOn = '2026-12-01'),
      ['registered-before-period'],
    ],
    // post subsidy
    [
      'a period before the post began',
      'post-subsidy',
      (b) => (b.details.period = { start: '2026-01', months: 6 }),
      ['period-after-post-start'],
    ],
    [
      'a period into the retirement month',
      'post-subsidy',
      (b) => (b.details.period = { start: '2031-02', months: 6 }),
      ['period-before-retirement'],
    ],
    // microloan guarantee
    [
      'a loan above the individual cap',
      'microloan-guarantee',
      (b) => (b.details.loanAmount = 30_000_001),
      ['loan-cap'],
    ],
    [
      'a term longer than allowed',
      'microloan-guarantee',
      (b) => (b.details.termMonths = 48),
      ['duration-cap', 'loan-term'],
    ],
    [
      'a small enterprise creating too few jobs',
      'microloan-guarantee',
      (b) => (b.details.business.type = 'small-enterprise'),
      ['jobs-created'],
    ],
  ];

  it.each(rows)('refuses %s, naming exactly the rules that fail', (_label, name, change, expected) => {
    const input = inputOf(name, change);
    const outcome = evaluateEligibility(policy, input);
    expect(failedRules(input)).toEqual([...expected].sort());
    expect(outcome.eligible).toBe(false);
    expect(outcome.entitlement).toBeUndefined();
    // Every rule is still evaluated: as many results as for the eligible body.
    expect(outcome.rules.map((r) => r.ruleId)).toEqual(
      evaluateEligibility(policy, inputOf(name)).rules.map((r) => r.ruleId),
    );
  });

  it('caps the monthly amount at the policy cap rather than refusing', () => {
    const outcome = evaluateEligibility(
      policy,
      inputOf('post-subsidy', (b) => (b.details.monthlyAmount = 90_000)),
    );
    expect(outcome.entitlement).toMatchObject({ monthlyFen: 60_000, grantedFen: 360_000 });
    expect(outcome.rules.find((r) => r.ruleId === 'subsidy-amount')?.figures).toMatchObject({
      askedFen: 90_000,
      monthlyFen: 60_000,
      monthlyCapFen: 60_000,
    });
  });

  it('names the fields of details stored in a shape the schema no longer accepts', () => {
    const outcome = evaluateEligibility(
      policy,
      inputOf('post-subsidy', (b) => delete b.details.period),
    );
    expect(outcome.eligible).toBe(false);
    expect(outcome.rules.find((r) => r.ruleId === 'application-details')?.figures.fields).toBe('period');
  });
});

// -------------------------------------------------------------------------------------------

const birthDates = fc
  .date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2005-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const sexes = fc.constantFrom<'female' | 'male'>('female', 'male');
const dayBefore = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

describe('the 4050 rule at its boundaries', () => {
  const ageRule = (person: ResidentIdFacts, applicationDate: string) =>
    evaluateEligibility(
      policy,
      inputOf(
        'flexible-employment',
        (b) => {
          b.person = person;
          b.details.registeredOn = '1990-01-01';
        },
        applicationDate,
      ),
    ).rules.find((r) => r.ruleId === 'age-4050');

  it('passes on the 40th (women) or 50th (men) birthday and fails the day before', () => {
    fc.assert(
      fc.property(birthDates, sexes, (birthDate, sex) => {
        const minAge = sex === 'female' ? 40 : 50;
        const birthday = addMonthsToDate(birthDate, minAge * 12);
        expect(ageRule({ birthDate, sex }, birthday)).toMatchObject({ passed: true, figures: { ageYears: minAge } });
        expect(ageRule({ birthDate, sex }, dayBefore(birthday))).toMatchObject({
          passed: false,
          figures: { ageYears: minAge - 1 },
        });
      }),
    );
  });

  it('counts whole years, a 29 February birthday reached on 28 February in other years', () => {
    expect(ageOn('1984-02-29', '2024-02-28')).toBe(39);
    expect(ageOn('1984-02-29', '2024-02-29')).toBe(40);
    expect(ageOn('1988-02-29', '2028-02-28')).toBe(39);
    expect(ageOn('1988-02-29', '2029-02-28')).toBe(41);
    expect(ageOn('1988-02-29', '2029-02-27')).toBe(40);
  });

  it('agrees with counting birthdays one by one', () => {
    fc.assert(
      fc.property(birthDates, fc.integer({ min: 0, max: 30_000 }), (birthDate, days) => {
        const onDate = new Date(Date.parse(`${birthDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
        let age = 0;
        while (addMonthsToDate(birthDate, (age + 1) * 12) <= onDate) age++;
        expect(ageOn(birthDate, onDate)).toBe(age);
      }),
    );
  });
});

describe('statutory retirement age under the 2025 reform (policy data)', () => {
  it.each([
    ['male', '1964-12', 60 * 12],
    ['male', '1965-01', 60 * 12 + 1],
    ['male', '1970-03', 61 * 12 + 4],
    ['male', '1976-09', 63 * 12],
    ['male', '1990-07', 63 * 12],
    ['female', '1969-12', 55 * 12],
    ['female', '1970-01', 55 * 12 + 1],
    ['female', '1980-05', 57 * 12 + 8],
    ['female', '1981-09', 58 * 12],
  ] as const)('a %s born %s retires at %i months of age', (sex, birthMonth, months) => {
    expect(retirementAgeMonths(policy.retirementAge[sex], birthMonth)).toBe(months);
  });
});

describe('the duration cap and its extension up to retirement', () => {
  const programmes = [
    'social-insurance/public-welfare-post',
    'social-insurance/flexible-employment',
    'post-subsidy',
  ] as const;

  it('is 36 months, or the months left before retirement when those are within 5 years and more than 36', () => {
    // The boundaries are drawn often, not left to chance.
    const monthsLeftArb = fc.oneof(fc.integer({ min: 1, max: 120 }), fc.constantFrom(1, 36, 37, 59, 60, 61));
    fc.assert(
      fc.property(
        birthDates,
        sexes,
        monthsLeftArb,
        fc.constantFrom(...programmes),
        (birthDate, sex, monthsLeft, programme) => {
          const person = { birthDate, sex };
          const retirementMonth = retirementDate(person, policy).slice(0, 7);
          const start = lastMonthOf(retirementMonth, 1 - monthsLeft);
          const expected = monthsLeft > 36 && monthsLeft <= 60 ? monthsLeft : 36;
          expect(monthIndex(retirementMonth) - monthIndex(start)).toBe(monthsLeft);
          expect(durationCapMonths(policy, programme, person, start)).toBe(expected);
        },
      ),
    );
  });

  it('lets a person within 5 years of retirement claim every month up to it, and not one more', () => {
    fc.assert(
      fc.property(
        birthDates.filter((d) => d >= '1960-01-01'),
        sexes,
        fc.integer({ min: 37, max: 60 }),
        (birthDate, sex, monthsLeft) => {
          const person = { birthDate, sex };
          const start = lastMonthOf(retirementDate(person, policy).slice(0, 7), 1 - monthsLeft);
          const judge = (months: number) =>
            evaluateEligibility(policy, {
              programme: 'post-subsidy',
              details: {
                ...contractBody('post-subsidy').details,
                post: { title: '保洁', startDate: `${start}-01` },
                period: { start, months },
              },
              documents: [{ kind: 'labour-contract', ref: 'd' }],
              proofKind: 'hard-to-employ',
              person,
              applicationDate: `${start}-01`,
            });
          const upToRetirement = judge(monthsLeft);
          expect(upToRetirement.rules.filter((r) => !r.passed)).toEqual([]);
          expect(upToRetirement.entitlement?.maxMonthsLifetime).toBe(monthsLeft);
          const oneMore = judge(monthsLeft + 1);
          expect(
            oneMore.rules
              .filter((r) => !r.passed)
              .map((r) => r.ruleId)
              .sort(),
          ).toEqual(['duration-cap', 'period-before-retirement']);
        },
      ),
    );
  });

  it('does not extend the microloan guarantee, whose policy has no extension', () => {
    // Born January 1970, a man retires at 61 years 4 months: May 2031, 54 months after November 2026.
    const person = { birthDate: '1970-01-01', sex: 'male' as const };
    expect(retirementDate(person, policy)).toBe('2031-05-01');
    expect(durationCapMonths(policy, 'post-subsidy', person, '2026-11')).toBe(54);
    expect(durationCapMonths(policy, 'microloan-guarantee', person, '2026-11')).toBe(36);
  });
});

describe('labour-contract length', () => {
  it.each([
    ['2026-02-01', '2027-01-31', 12],
    ['2026-02-01', '2027-01-30', 11],
    // One month after 31 January is 28 February (the month's last day), so the contract ends the day before.
    ['2026-01-31', '2026-02-26', 0],
    ['2026-01-31', '2026-02-27', 1],
    ['2026-02-01', '2028-01-31', 24],
  ])('counts a contract from %s to %s as %i whole months', (start, end, months) => {
    expect(contractMonths(start, end)).toBe(months);
  });
});

describe('the field each rule judges', () => {
  const programmes: ContractBody[] = [
    'public-welfare-post',
    'flexible-employment',
    'post-subsidy',
    'microloan-guarantee',
  ];

  it.each(programmes)('names a field of the %s body for every rule it evaluates', (name) => {
    const input = inputOf(name);
    const body = contractBody(name);
    for (const { ruleId } of evaluateEligibility(policy, input).rules) {
      const field = fieldOfRule(input.programme, ruleId);
      // A field the body really has (its first segments at least), not the catch-all.
      const top = field.split('.').slice(0, 2);
      let value: unknown = body;
      for (const segment of top) value = (value as Record<string, unknown> | undefined)?.[segment];
      expect(value, `${ruleId} → ${field}`).toBeDefined();
      expect(field, ruleId).not.toBe('details');
    }
  });

  it('tells the amount and the duration apart by programme', () => {
    expect(fieldOfRule('post-subsidy', 'subsidy-amount')).toBe('details.monthlyAmount');
    expect(fieldOfRule('social-insurance/flexible-employment', 'subsidy-amount')).toBe('details.monthlyContribution');
    expect(fieldOfRule('microloan-guarantee', 'duration-cap')).toBe('details.termMonths');
    expect(fieldOfRule('post-subsidy', 'duration-cap')).toBe('details.period.months');
    expect(fieldOfRule('microloan-guarantee', 'required-documents')).toBe('documents');
    expect(fieldOfRule('microloan-guarantee', 'application-details')).toBe('details');
  });
});
