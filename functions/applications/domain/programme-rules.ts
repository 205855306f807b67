/** Each programme's rules and entitlement, built from the shared rules of `eligibility-rules.ts`. */
import { ageOn, contractMonths } from '../../kernel/domain/age-and-retirement.js';
import { lastMonthOf } from '../../kernel/domain/dates.js';
import type { CityPolicy } from '../../kernel/domain/policy.js';
import type { ProgrammeDetails } from '../../kernel/domain/programmes.js';
import { amountRule, durationRules, rule, sexZh, yuan } from './eligibility-rules.js';
import type { EligibilityInput, Entitlement, RuleResult } from './eligibility-verdict.js';

export type Judged = { rules: RuleResult[]; entitlement: Omit<Entitlement, 'maxMonthsLifetime'> };
export function publicWelfarePost(
  policy: CityPolicy,
  input: EligibilityInput,
  d: ProgrammeDetails['social-insurance/public-welfare-post'],
): Judged {
  const p = policy.programmes['social-insurance/public-welfare-post'];
  const length = contractMonths(d.contract.start, d.contract.end);
  const periodEnd = lastMonthOf(d.period.start, d.period.months);
  const withinContract = d.period.start >= d.contract.start.slice(0, 7) && periodEnd <= d.contract.end.slice(0, 7);
  const monthlyFen = Math.min(Math.floor((d.monthlyContribution * p.subsidyRateBasisPoints) / 10000), p.monthlyCapFen);
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
      amountRule(d.monthlyContribution, monthlyFen, p.monthlyCapFen, {
        zh: `单位缴费的 ${p.subsidyRateBasisPoints / 100}%`,
        en: `${p.subsidyRateBasisPoints / 100}% of the contribution`,
      }),
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

export function flexibleEmployment(
  policy: CityPolicy,
  input: EligibilityInput,
  d: ProgrammeDetails['social-insurance/flexible-employment'],
): Judged {
  const p = policy.programmes['social-insurance/flexible-employment'];
  const age = ageOn(input.person.birthDate, input.applicationDate);
  const minAge = p.minAgeYears[input.person.sex];
  const registeredInTime = d.registeredOn <= input.applicationDate && d.period.start >= d.registeredOn.slice(0, 7);
  const monthlyFen = Math.min(Math.floor((d.monthlyContribution * p.subsidyRateBasisPoints) / 10000), p.monthlyCapFen);
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
      amountRule(d.monthlyContribution, monthlyFen, p.monthlyCapFen, {
        zh: `个人缴费的 ${p.subsidyRateBasisPoints / 100}%`,
        en: `${p.subsidyRateBasisPoints / 100}% of the contribution`,
      }),
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

export function postSubsidy(policy: CityPolicy, input: EligibilityInput, d: ProgrammeDetails['post-subsidy']): Judged {
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
      amountRule(d.monthlyAmount, monthlyFen, p.monthlyCapFen, {
        zh: '申请额与月上限取低者',
        en: 'the lower of the amount asked and the cap',
      }),
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

export function microloanGuarantee(
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
