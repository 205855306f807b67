/**
 * Eligibility with reasons: judges one application against its city's policy, rule by rule.
 * Pure. Every rule is evaluated (not only up to the first failure) so that the person is told
 * everything that is wrong at once; each result says in Chinese and English why, with the figures
 * it used. The same pass computes the entitlement: the monthly amount × months, or the
 * guaranteed loan.
 */
import { durationCapMonths } from '../../kernel/domain/age-and-retirement.js';
import type { CityPolicy } from '../../kernel/domain/policy.js';
import { detailsSchemas, type ProgrammeDetails, type ProgrammeId } from '../../kernel/domain/programmes.js';
import { documentsRule, proofRule, rule, workingAgeRule } from './eligibility-rules.js';
import type { EligibilityInput, EligibilityOutcome, RuleResult } from './eligibility-verdict.js';
import {
  flexibleEmployment,
  type Judged,
  microloanGuarantee,
  postSubsidy,
  publicWelfarePost,
} from './programme-rules.js';

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
