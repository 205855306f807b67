/**
 * The rules every programme shares, each answering a `RuleResult` with its reason in Chinese and
 * English and the figures it used: proof of status, documents, working age, duration caps and
 * amounts.
 */
import { ageOn, durationCapMonths, retirementDate } from '../../kernel/domain/age-and-retirement.js';
import { lastMonthOf, monthIndex } from '../../kernel/domain/dates.js';
import type { CityPolicy } from '../../kernel/domain/policy.js';
import { documentKindNameZh, proofKindNameZh } from '../../kernel/domain/programmes.js';
import type { EligibilityInput, RuleResult } from './eligibility-verdict.js';

// ---------------------------------------------------------------------------------------------
// The rules.

export const yuan = (fen: number) => `${(fen / 100).toFixed(2)}`;

export function rule(
  ruleId: string,
  passed: boolean,
  reason: { zh: string; en: string },
  figures: RuleResult['figures'],
): RuleResult {
  return { ruleId, passed, reason, figures };
}

export const sexZh = { female: '女性', male: '男性' } as const;
export function proofRule(policy: CityPolicy, input: EligibilityInput): RuleResult {
  const accepted: readonly string[] = policy.programmes[input.programme].proofKinds;
  const passed = accepted.includes(input.proofKind);
  return rule(
    'proof-of-status',
    passed,
    passed
      ? {
          zh: `身份证明（${proofKindNameZh(input.proofKind)}）符合要求`,
          en: `the proof of status (${input.proofKind}) is one this programme accepts`,
        }
      : {
          zh: `本项目不接受该身份证明（${proofKindNameZh(input.proofKind)}），可接受：${accepted.map(proofKindNameZh).join('、')}`,
          en: `this programme does not accept ${input.proofKind} as proof of status; it accepts ${accepted.join(', ')}`,
        },
    { proofKind: input.proofKind, accepted: accepted.join(',') },
  );
}

export function documentsRule(policy: CityPolicy, input: EligibilityInput): RuleResult {
  const required = policy.programmes[input.programme].requiredDocuments;
  const attached = new Set(input.documents.map((d) => d.kind));
  const missing = required.filter((kind) => !attached.has(kind));
  return rule(
    'required-documents',
    missing.length === 0,
    missing.length === 0
      ? { zh: '所需材料齐全', en: 'every required document is attached' }
      : {
          zh: `缺少材料：${missing.map(documentKindNameZh).join('、')}`,
          en: `missing documents: ${missing.join(', ')}`,
        },
    { required: required.join(','), missing: missing.join(',') },
  );
}

export function workingAgeRule(policy: CityPolicy, input: EligibilityInput): RuleResult {
  const retiresOn = retirementDate(input.person, policy);
  const passed = input.applicationDate < retiresOn;
  const age = ageOn(input.person.birthDate, input.applicationDate);
  // Neither the reason nor the figures name the retirement date: it is the birth date plus a
  // schedule anyone can read, and with it the resident ID's mask would narrow to one number.
  return rule(
    'below-retirement-age',
    passed,
    passed
      ? { zh: '申请日未达法定退休年龄', en: 'below statutory retirement age on the application date' }
      : { zh: '申请日已达法定退休年龄', en: 'already at statutory retirement age on the application date' },
    { applicationDate: input.applicationDate, ageYears: age },
  );
}

export function durationRules(
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
        // The retirement month is not shown, for the reason `workingAgeRule` gives.
        passed
          ? {
              zh: `补贴期（至 ${last}）在退休当月之前结束`,
              en: `the period (to ${last}) ends before the retirement month`,
            }
          : {
              zh: `补贴期（至 ${last}）延续到退休当月或之后`,
              en: `the period (to ${last}) runs into or past the retirement month`,
            },
        { periodStart: start, periodEnd: last },
      ),
    );
  }
  return results;
}

export function amountRule(
  askedFen: number,
  monthlyFen: number,
  capFen: number,
  basis: { zh: string; en: string },
): RuleResult {
  const passed = monthlyFen > 0;
  return rule(
    'subsidy-amount',
    passed,
    passed
      ? {
          zh: `每月补贴 ${yuan(monthlyFen)} 元（${basis.zh}，月上限 ${yuan(capFen)} 元）`,
          en: `${yuan(monthlyFen)} yuan a month (${basis.en}, monthly cap ${yuan(capFen)} yuan)`,
        }
      : { zh: '计算所得每月补贴为零', en: 'the monthly subsidy works out at zero' },
    { askedFen, monthlyFen, monthlyCapFen: capFen },
  );
}
