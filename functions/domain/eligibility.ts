/**
 * Eligibility with reasons: judges one application against its city's policy, rule by rule.
 * Pure. Every rule is evaluated (not only up to the first failure) so that the person is told
 * everything that is wrong at once; each result says in Chinese and English why, with the figures
 * it used. The same pass computes the entitlement: the monthly amount × months, or the
 * guaranteed loan.
 */
import { lastMonthOf, monthIndex } from './dates.js';
import type { CityPolicy, RetirementSchedule } from './policy.js';
import { detailsSchemas, type ProgrammeDetails, type ProgrammeId } from './programmes.js';
import type { ResidentIdFacts } from './residentId.js';

export interface RuleResult {
  /** Stable id of the rule, e.g. `age-4050`. */
  ruleId: string;
  passed: boolean;
  reason: { zh: string; en: string };
  /** The numbers and dates the rule used, so a person can check the verdict. */
  figures: Record<string, number | string>;
}

/** The result of every rule, in the order they were evaluated. */
export type EligibilityVerdict = RuleResult[];

/** The grant as the policy computes it. For the microloan guarantee, the loan amount over the loan term. */
export interface Entitlement {
  /** First month covered, `YYYY-MM`. */
  start: string;
  months: number;
  monthlyFen?: number;
  grantedFen: number;
  /** The person's lifetime cap for the programme, extended towards retirement where the policy allows. */
  maxMonthsLifetime: number;
}

export interface EligibilityInput {
  programme: ProgrammeId;
  details: Record<string, unknown>;
  documents: readonly { kind: string; ref: string }[];
  proofKind: string;
  /** Birth date and sex, as the resident ID encodes them. */
  person: ResidentIdFacts;
  /** The application date (YYYY-MM-DD, Asia/Shanghai): ages are taken on this day. */
  applicationDate: string;
}

export interface EligibilityOutcome {
  eligible: boolean;
  rules: EligibilityVerdict;
  /** Present when every rule passed. */
  entitlement?: Entitlement;
}

// ---------------------------------------------------------------------------------------------
// Calendar arithmetic on plain dates (YYYY-MM-DD); no time zones are involved.

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function parts(date: string): [number, number, number] {
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The same day `months` later; a day the target month lacks becomes its last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonthsToDate(date: string, months: number): string {
  const [year, month, day] = parts(date);
  const index = year * 12 + (month - 1) + months;
  const toYear = Math.floor(index / 12);
  const toMonth = (index % 12) + 1;
  return `${pad(toYear, 4)}-${pad(toMonth)}-${pad(Math.min(day, daysInMonth(toYear, toMonth)))}`;
}

function dayAfter(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/**
 * Age in whole years on a date. A birthday is reached on the same month and day; someone born on
 * 29 February reaches it on 28 February in other years (the end of their birth month).
 */
export function ageOn(birthDate: string, onDate: string): number {
  const [birthYear] = parts(birthDate);
  const [year] = parts(onDate);
  const candidate = year - birthYear;
  return addMonthsToDate(birthDate, candidate * 12) <= onDate ? candidate : candidate - 1;
}

/** Months of statutory retirement age for someone born in `birthMonth` (YYYY-MM) under a schedule. */
export function retirementAgeMonths(schedule: RetirementSchedule, birthMonth: string): number {
  const base = schedule.baseYears * 12;
  const cohortsIn = monthIndex(birthMonth) - monthIndex(schedule.reformFromBirthMonth);
  if (cohortsIn < 0) return base;
  const extra = Math.floor(cohortsIn / schedule.birthMonthsPerExtraMonth) + 1;
  return Math.min(base + extra, schedule.targetYears * 12);
}

/** The day the person reaches statutory retirement age under the city's policy. */
export function retirementDate(person: ResidentIdFacts, policy: CityPolicy): string {
  return addMonthsToDate(
    person.birthDate,
    retirementAgeMonths(policy.retirementAge[person.sex], person.birthDate.slice(0, 7)),
  );
}

/**
 * The person's lifetime cap in months for a programme, for a grant starting in `start`: the
 * policy's cap, extended up to retirement when the months left before the retirement month are
 * within the policy's window and more than the cap.
 */
export function durationCapMonths(
  policy: CityPolicy,
  programme: ProgrammeId,
  person: ResidentIdFacts,
  start: string,
): number {
  const rules = policy.programmes[programme];
  const within = rules.extendedToRetirementWithinYears;
  if (within === undefined) return rules.maxMonthsLifetime;
  const monthsLeft = monthsBeforeRetirement(policy, person, start);
  return monthsLeft > 0 && monthsLeft <= within * 12
    ? Math.max(rules.maxMonthsLifetime, monthsLeft)
    : rules.maxMonthsLifetime;
}

/** Months from `start` up to (not including) the month the person reaches retirement age. */
function monthsBeforeRetirement(policy: CityPolicy, person: ResidentIdFacts, start: string): number {
  return monthIndex(retirementDate(person, policy).slice(0, 7)) - monthIndex(start);
}

/** Whole months a contract from `start` to `end` (both days included) runs. */
export function contractMonths(start: string, end: string): number {
  const endExclusive = dayAfter(end);
  let months = Math.max(
    0,
    (parts(endExclusive)[0] - parts(start)[0]) * 12 + parts(endExclusive)[1] - parts(start)[1] - 1,
  );
  while (addMonthsToDate(start, months + 1) <= endExclusive) months++;
  return months;
}

// ---------------------------------------------------------------------------------------------
// The rules.

const yuan = (fen: number) => `${(fen / 100).toFixed(2)}`;

function rule(
  ruleId: string,
  passed: boolean,
  reason: { zh: string; en: string },
  figures: RuleResult['figures'],
): RuleResult {
  return { ruleId, passed, reason, figures };
}

const sexZh = { female: '女性', male: '男性' } as const;

function proofRule(policy: CityPolicy, input: EligibilityInput): RuleResult {
  const accepted: readonly string[] = policy.programmes[input.programme].proofKinds;
  const passed = accepted.includes(input.proofKind);
  return rule(
    'proof-of-status',
    passed,
    passed
      ? {
          zh: `身份证明（${input.proofKind}）符合要求`,
          en: `the proof of status (${input.proofKind}) is one this programme accepts`,
        }
      : {
          zh: `本项目不接受该身份证明（${input.proofKind}），可接受：${accepted.join('、')}`,
          en: `this programme does not accept ${input.proofKind} as proof of status; it accepts ${accepted.join(', ')}`,
        },
    { proofKind: input.proofKind, accepted: accepted.join(',') },
  );
}

function documentsRule(policy: CityPolicy, input: EligibilityInput): RuleResult {
  const required = policy.programmes[input.programme].requiredDocuments;
  const attached = new Set(input.documents.map((d) => d.kind));
  const missing = required.filter((kind) => !attached.has(kind));
  return rule(
    'required-documents',
    missing.length === 0,
    missing.length === 0
      ? { zh: '所需材料齐全', en: 'every required document is attached' }
      : { zh: `缺少材料：${missing.join('、')}`, en: `missing documents: ${missing.join(', ')}` },
    { required: required.join(','), missing: missing.join(',') },
  );
}

function workingAgeRule(policy: CityPolicy, input: EligibilityInput): RuleResult {
  const retiresOn = retirementDate(input.person, policy);
  const passed = input.applicationDate < retiresOn;
  const age = ageOn(input.person.birthDate, input.applicationDate);
  return rule(
    'below-retirement-age',
    passed,
    passed
      ? {
          zh: `申请日未达法定退休年龄（${retiresOn} 退休）`,
          en: `below statutory retirement age on the application date (retires ${retiresOn})`,
        }
      : {
          zh: `申请日已达法定退休年龄（${retiresOn}）`,
          en: `already at statutory retirement age on the application date (${retiresOn})`,
        },
    { applicationDate: input.applicationDate, ageYears: age, retirementDate: retiresOn },
  );
}

function durationRules(
  policy: CityPolicy,
  input: EligibilityInput,
  start: string,
  months: number,
  requireBeforeRetirement: boolean,
): RuleResult[] {
  const cap = durationCapMonths(policy, input.programme, input.person, start);
  const base = policy.programmes[input.programme].maxMonthsLifetime;
  const results = [
    rule(
      'duration-cap',
      months <= cap,
      months <= cap
        ? {
            zh: `申请 ${months} 个月，未超过最长期限 ${cap} 个月`,
            en: `${months} months asked, within the cap of ${cap} months`,
          }
        : {
            zh: `申请 ${months} 个月，超过最长期限 ${cap} 个月`,
            en: `${months} months asked, more than the cap of ${cap} months`,
          },
      { monthsAsked: months, maxMonthsLifetime: cap, policyCapMonths: base },
    ),
  ];
  if (requireBeforeRetirement) {
    const retirementMonth = retirementDate(input.person, policy).slice(0, 7);
    const last = lastMonthOf(start, months);
    const passed = monthIndex(last) < monthIndex(retirementMonth);
    results.push(
      rule(
        'period-before-retirement',
        passed,
        passed
          ? {
              zh: `补贴期（至 ${last}）在退休当月（${retirementMonth}）之前结束`,
              en: `the period (to ${last}) ends before the retirement month (${retirementMonth})`,
            }
          : {
              zh: `补贴期（至 ${last}）延续到退休当月（${retirementMonth}）或之后`,
              en: `the period (to ${last}) runs into or past the retirement month (${retirementMonth})`,
            },
        { periodStart: start, periodEnd: last, retirementMonth },
      ),
    );
  }
  return results;
}

function amountRule(askedFen: number, monthlyFen: number, capFen: number, basis: string): RuleResult {
  const passed = monthlyFen > 0;
  return rule(
    'subsidy-amount',
    passed,
    passed
      ? {
          zh: `每月补贴 ${yuan(monthlyFen)} 元（${basis}，月上限 ${yuan(capFen)} 元）`,
          en: `${yuan(monthlyFen)} yuan a month (${basis}, monthly cap ${yuan(capFen)} yuan)`,
        }
      : { zh: '计算所得每月补贴为零', en: 'the monthly subsidy works out at zero' },
    { askedFen, monthlyFen, monthlyCapFen: capFen },
  );
}

type Judged = { rules: RuleResult[]; entitlement: Omit<Entitlement, 'maxMonthsLifetime'> };

function publicWelfarePost(
  policy: CityPolicy,
  input: EligibilityInput,
  d: ProgrammeDetails['social-insurance/public-welfare-post'],
): Judged {
  const p = policy.programmes['social-insurance/public-welfare-post'];
  const length = contractMonths(d.contract.start, d.contract.end);
  const periodEnd = lastMonthOf(d.period.start, d.period.months);
  const withinContract = d.period.start >= d.contract.start.slice(0, 7) && periodEnd <= d.contract.end.slice(0, 7);
  const monthlyFen = Math.min(Math.floor((d.monthlyContribution * p.subsidyRateBasisPoints) / 10_000), p.monthlyCapFen);
  return {
    rules: [
      rule(
        'contract-length',
        length >= p.minContractMonths,
        length >= p.minContractMonths
          ? {
              zh: `劳动合同期限 ${length} 个月，不少于 ${p.minContractMonths} 个月`,
              en: `the labour contract runs ${length} months, at least the ${p.minContractMonths} required`,
            }
          : {
              zh: `劳动合同期限 ${length} 个月，少于 ${p.minContractMonths} 个月`,
              en: `the labour contract runs ${length} months, fewer than the ${p.minContractMonths} required`,
            },
        {
          contractStart: d.contract.start,
          contractEnd: d.contract.end,
          contractMonths: length,
          minContractMonths: p.minContractMonths,
        },
      ),
      rule(
        'period-within-contract',
        withinContract,
        withinContract
          ? { zh: '补贴期在劳动合同期内', en: 'the period claimed lies within the labour contract' }
          : {
              zh: `补贴期（${d.period.start} 至 ${periodEnd}）超出劳动合同期`,
              en: `the period claimed (${d.period.start} to ${periodEnd}) lies outside the labour contract`,
            },
        { periodStart: d.period.start, periodEnd, contractStart: d.contract.start, contractEnd: d.contract.end },
      ),
      amountRule(
        d.monthlyContribution,
        monthlyFen,
        p.monthlyCapFen,
        `单位缴费的 ${p.subsidyRateBasisPoints / 100}% / ${p.subsidyRateBasisPoints / 100}% of the contribution`,
      ),
      ...durationRules(policy, input, d.period.start, d.period.months, true),
    ],
    entitlement: {
      start: d.period.start,
      months: d.period.months,
      monthlyFen,
      grantedFen: monthlyFen * d.period.months,
    },
  };
}

function flexibleEmployment(
  policy: CityPolicy,
  input: EligibilityInput,
  d: ProgrammeDetails['social-insurance/flexible-employment'],
): Judged {
  const p = policy.programmes['social-insurance/flexible-employment'];
  const age = ageOn(input.person.birthDate, input.applicationDate);
  const minAge = p.minAgeYears[input.person.sex];
  const registeredInTime = d.registeredOn <= input.applicationDate && d.period.start >= d.registeredOn.slice(0, 7);
  const monthlyFen = Math.min(Math.floor((d.monthlyContribution * p.subsidyRateBasisPoints) / 10_000), p.monthlyCapFen);
  return {
    rules: [
      rule(
        'age-4050',
        age >= minAge,
        age >= minAge
          ? {
              zh: `申请日 ${age} 周岁，${sexZh[input.person.sex]}满 ${minAge} 周岁`,
              en: `${age} on the application date; ${input.person.sex === 'female' ? 'women' : 'men'} qualify from ${minAge}`,
            }
          : {
              zh: `申请日 ${age} 周岁，${sexZh[input.person.sex]}须满 ${minAge} 周岁`,
              en: `${age} on the application date; ${input.person.sex === 'female' ? 'women' : 'men'} qualify from ${minAge}`,
            },
        { applicationDate: input.applicationDate, ageYears: age, minAgeYears: minAge, sex: input.person.sex },
      ),
      rule(
        'registered-before-period',
        registeredInTime,
        registeredInTime
          ? {
              zh: `已于 ${d.registeredOn} 办理灵活就业登记，补贴期自登记当月或之后开始`,
              en: `registered as flexibly employed on ${d.registeredOn}; the period starts no earlier than that month`,
            }
          : {
              zh: `灵活就业登记（${d.registeredOn}）须早于申请日，且补贴期不得早于登记当月`,
              en: `the registration (${d.registeredOn}) must precede the application, and the period may not start before its month`,
            },
        { registeredOn: d.registeredOn, periodStart: d.period.start, applicationDate: input.applicationDate },
      ),
      amountRule(
        d.monthlyContribution,
        monthlyFen,
        p.monthlyCapFen,
        `个人缴费的 ${p.subsidyRateBasisPoints / 100}% / ${p.subsidyRateBasisPoints / 100}% of the contribution`,
      ),
      ...durationRules(policy, input, d.period.start, d.period.months, true),
    ],
    entitlement: {
      start: d.period.start,
      months: d.period.months,
      monthlyFen,
      grantedFen: monthlyFen * d.period.months,
    },
  };
}

function postSubsidy(policy: CityPolicy, input: EligibilityInput, d: ProgrammeDetails['post-subsidy']): Judged {
  const p = policy.programmes['post-subsidy'];
  const postStarted = d.period.start >= d.post.startDate.slice(0, 7);
  const monthlyFen = Math.min(d.monthlyAmount, p.monthlyCapFen);
  return {
    rules: [
      rule(
        'period-after-post-start',
        postStarted,
        postStarted
          ? {
              zh: `补贴期自上岗（${d.post.startDate}）当月或之后开始`,
              en: `the period starts no earlier than the month the post began (${d.post.startDate})`,
            }
          : {
              zh: `补贴期（${d.period.start}）早于上岗日期（${d.post.startDate}）`,
              en: `the period (${d.period.start}) starts before the post began (${d.post.startDate})`,
            },
        { periodStart: d.period.start, postStartDate: d.post.startDate },
      ),
      amountRule(
        d.monthlyAmount,
        monthlyFen,
        p.monthlyCapFen,
        '申请额与月上限取低者 / the lower of the amount asked and the cap',
      ),
      ...durationRules(policy, input, d.period.start, d.period.months, true),
    ],
    entitlement: {
      start: d.period.start,
      months: d.period.months,
      monthlyFen,
      grantedFen: monthlyFen * d.period.months,
    },
  };
}

function microloanGuarantee(
  policy: CityPolicy,
  input: EligibilityInput,
  d: ProgrammeDetails['microloan-guarantee'],
): Judged {
  const caps = policy.programmes['microloan-guarantee'].loanCaps[d.business.type];
  const start = input.applicationDate.slice(0, 7);
  return {
    rules: [
      rule(
        'loan-cap',
        d.loanAmount <= caps.maxLoanFen,
        d.loanAmount <= caps.maxLoanFen
          ? {
              zh: `贷款 ${yuan(d.loanAmount)} 元，未超过上限 ${yuan(caps.maxLoanFen)} 元`,
              en: `a loan of ${yuan(d.loanAmount)} yuan, within the cap of ${yuan(caps.maxLoanFen)} yuan`,
            }
          : {
              zh: `贷款 ${yuan(d.loanAmount)} 元，超过上限 ${yuan(caps.maxLoanFen)} 元`,
              en: `a loan of ${yuan(d.loanAmount)} yuan, more than the cap of ${yuan(caps.maxLoanFen)} yuan`,
            },
        { loanFen: d.loanAmount, maxLoanFen: caps.maxLoanFen, businessType: d.business.type },
      ),
      rule(
        'loan-term',
        d.termMonths <= caps.maxTermMonths,
        d.termMonths <= caps.maxTermMonths
          ? {
              zh: `贷款期限 ${d.termMonths} 个月，未超过 ${caps.maxTermMonths} 个月`,
              en: `a term of ${d.termMonths} months, within the ${caps.maxTermMonths} allowed`,
            }
          : {
              zh: `贷款期限 ${d.termMonths} 个月，超过 ${caps.maxTermMonths} 个月`,
              en: `a term of ${d.termMonths} months, more than the ${caps.maxTermMonths} allowed`,
            },
        { termMonths: d.termMonths, maxTermMonths: caps.maxTermMonths, businessType: d.business.type },
      ),
      rule(
        'jobs-created',
        d.jobsCreated >= caps.minJobsCreated,
        d.jobsCreated >= caps.minJobsCreated
          ? {
              zh: `带动就业 ${d.jobsCreated} 人，不少于 ${caps.minJobsCreated} 人`,
              en: `${d.jobsCreated} jobs created, at least the ${caps.minJobsCreated} required`,
            }
          : {
              zh: `带动就业 ${d.jobsCreated} 人，少于 ${caps.minJobsCreated} 人`,
              en: `${d.jobsCreated} jobs created, fewer than the ${caps.minJobsCreated} required`,
            },
        { jobsCreated: d.jobsCreated, minJobsCreated: caps.minJobsCreated, businessType: d.business.type },
      ),
      // A loan may run past retirement; the guarantee's own duration cap still applies.
      ...durationRules(policy, input, start, d.termMonths, false),
    ],
    entitlement: { start, months: d.termMonths, grantedFen: d.loanAmount },
  };
}

function judgeDetails(policy: CityPolicy, input: EligibilityInput): Judged | RuleResult {
  const parsed = detailsSchemas[input.programme].safeParse(input.details);
  if (!parsed.success) {
    // The API validates details before they get here; this guards data stored by older versions.
    const fields = parsed.error.issues.map((issue) => issue.path.join('.')).join(',');
    return rule(
      'application-details',
      false,
      { zh: `申请内容不完整或有误：${fields}`, en: `the application's details are incomplete or invalid: ${fields}` },
      { fields },
    );
  }
  switch (input.programme) {
    case 'social-insurance/public-welfare-post':
      return publicWelfarePost(policy, input, parsed.data as ProgrammeDetails['social-insurance/public-welfare-post']);
    case 'social-insurance/flexible-employment':
      return flexibleEmployment(policy, input, parsed.data as ProgrammeDetails['social-insurance/flexible-employment']);
    case 'post-subsidy':
      return postSubsidy(policy, input, parsed.data as ProgrammeDetails['post-subsidy']);
    case 'microloan-guarantee':
      return microloanGuarantee(policy, input, parsed.data as ProgrammeDetails['microloan-guarantee']);
  }
}

/** Evaluates every rule of the programme under the policy; the entitlement comes with a pass. */
export function evaluateEligibility(policy: CityPolicy, input: EligibilityInput): EligibilityOutcome {
  const judged = judgeDetails(policy, input);
  const specific = 'ruleId' in judged ? [judged] : judged.rules;
  const rules = [proofRule(policy, input), documentsRule(policy, input), workingAgeRule(policy, input), ...specific];
  const eligible = rules.every((r) => r.passed);
  if (!eligible || 'ruleId' in judged) return { eligible: false, rules };
  const maxMonthsLifetime = durationCapMonths(policy, input.programme, input.person, judged.entitlement.start);
  return { eligible, rules, entitlement: { ...judged.entitlement, maxMonthsLifetime } };
}

/** The part of the application body each rule judges, for rules whose field is the same in every programme. */
const commonRuleFields: Record<string, string> = {
  'proof-of-status': 'applicant.proof.kind',
  'required-documents': 'documents',
  // Ages and retirement are read from the resident ID.
  'below-retirement-age': 'applicant.idNumber',
  'age-4050': 'applicant.idNumber',
  'application-details': 'details',
  'contract-length': 'details.contract',
  'period-within-contract': 'details.period',
  'period-before-retirement': 'details.period',
  'registered-before-period': 'details.registeredOn',
  'period-after-post-start': 'details.period.start',
  'loan-cap': 'details.loanAmount',
  'loan-term': 'details.termMonths',
  'jobs-created': 'details.jobsCreated',
};

/**
 * The field of the application body a rule judges, as a field error names it (`documents`,
 * `details.period`, …): a refusal then points at what to correct.
 */
export function fieldOfRule(programme: ProgrammeId, ruleId: string): string {
  if (ruleId === 'subsidy-amount')
    return programme === 'post-subsidy' ? 'details.monthlyAmount' : 'details.monthlyContribution';
  if (ruleId === 'duration-cap')
    return programme === 'microloan-guarantee' ? 'details.termMonths' : 'details.period.months';
  return commonRuleFields[ruleId] ?? 'details';
}
