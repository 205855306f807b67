/** The demo city's policy, version 2026.1: data only, validated by `cityPolicySchema` when loaded. */
import type { CityPolicyDocument } from '../policy.js';

export const shijiazhuang2026v1 = {
  cityId: 'city:shijiazhuang',
  version: 'shijiazhuang-2026.1',
  effectiveFrom: '2026-01-01',
  approvalChain: ['street', 'city'],
  decisionDeadlineWorkingDays: 10,
  reminderWorkingDaysBefore: 2,
  resubmissionDeadlineWorkingDays: 20,
  maxReturnRounds: 3,
  rejectionReasons: [
    { code: 'not-eligible', zh: '不符合申请条件', en: 'Does not meet the conditions' },
    { code: 'ineligible', zh: '经资格审核不符合政策条件', en: 'Fails the policy’s eligibility rules' },
    { code: 'incomplete-documents', zh: '申请材料不全', en: 'Required documents are missing' },
    { code: 'false-information', zh: '材料不实', en: 'Information is not true' },
    { code: 'duplicate-application', zh: '重复申请', en: 'Already applied for this period' },
    { code: 'verification-confirmed', zh: '经核查与有关部门信息不符', en: 'Confirmed against other offices’ records' },
    { code: 'other', zh: '其他', en: 'Other', needsComment: true },
  ],
  // 2025 gradual reform: men 60 → 63 from the 1965-01 cohort, women (non-worker schedule) 55 → 58 from 1970-01.
  retirementAge: {
    male: { baseYears: 60, targetYears: 63, reformFromBirthMonth: '1965-01', birthMonthsPerExtraMonth: 4 },
    female: { baseYears: 55, targetYears: 58, reformFromBirthMonth: '1970-01', birthMonthsPerExtraMonth: 4 },
  },
  programmes: {
    'social-insurance/public-welfare-post': {
      proofKinds: ['hard-to-employ'],
      requiredDocuments: ['labour-contract'],
      minContractMonths: 12,
      subsidyRateBasisPoints: 10_000,
      monthlyCapFen: 120_000,
      maxMonthsLifetime: 36,
      extendedToRetirementWithinYears: 5,
      exclusiveWith: ['social-insurance/flexible-employment'],
    },
    'social-insurance/flexible-employment': {
      proofKinds: ['re-employment-certificate', 'unemployment-registration', 'hard-to-employ'],
      requiredDocuments: ['contribution-receipt'],
      minAgeYears: { female: 40, male: 50 },
      subsidyRateBasisPoints: 6_667,
      monthlyCapFen: 70_000,
      maxMonthsLifetime: 36,
      extendedToRetirementWithinYears: 5,
      exclusiveWith: [],
    },
    'post-subsidy': {
      proofKinds: ['hard-to-employ'],
      requiredDocuments: ['labour-contract'],
      monthlyCapFen: 60_000,
      maxMonthsLifetime: 36,
      extendedToRetirementWithinYears: 5,
      exclusiveWith: [],
    },
    'microloan-guarantee': {
      proofKinds: ['unemployment-registration', 're-employment-certificate', 'hard-to-employ'],
      requiredDocuments: ['business-plan'],
      loanCaps: {
        individual: { maxLoanFen: 30_000_000, maxTermMonths: 36, minJobsCreated: 0 },
        partnership: { maxLoanFen: 60_000_000, maxTermMonths: 36, minJobsCreated: 1 },
        'small-enterprise': { maxLoanFen: 500_000_000, maxTermMonths: 24, minJobsCreated: 3 },
      },
      maxMonthsLifetime: 36,
      exclusiveWith: [],
    },
  },
  // Checked against the provincial data exchange (docs/verification.md): what refuses at intake is
  // beyond doubt (a death, a deregistered firm, the same subsidy elsewhere); the rest is a 疑点 an
  // auditor looks into, because records lag and people share names.
  verification: {
    maxAgeDays: 31,
    // Made up: the province's platform and the key it issued the city (its secret is in Secrets Manager).
    exchange: { baseUrl: 'https://data-exchange.hebei.example/api', accessKeyId: 'sjz-employment-subsidy' },
    programmes: {
      'social-insurance/flexible-employment': {
        checks: {
          deceased: 'refuse',
          'grant-elsewhere': 'refuse',
          imprisoned: 'flag',
          'drawing-pension': 'flag',
          'drawing-unemployment-benefit': 'flag',
          'other-employer-contributions': 'flag',
          'individual-business-owner': 'flag',
        },
        monthly: ['deceased', 'imprisoned', 'drawing-pension', 'contributions-stopped'],
      },
      'social-insurance/public-welfare-post': {
        checks: {
          deceased: 'refuse',
          'grant-elsewhere': 'refuse',
          'firm-deregistered': 'refuse',
          'public-payroll': 'flag',
          'drawing-pension': 'flag',
          'other-employer-contributions': 'flag',
        },
        monthly: ['deceased', 'imprisoned', 'drawing-pension', 'contributions-stopped'],
      },
      'post-subsidy': {
        checks: {
          deceased: 'refuse',
          'grant-elsewhere': 'refuse',
          'firm-deregistered': 'refuse',
          'public-payroll': 'flag',
          'drawing-pension': 'flag',
        },
        monthly: ['deceased', 'imprisoned', 'drawing-pension'],
      },
      'microloan-guarantee': {
        checks: {
          deceased: 'refuse',
          'firm-deregistered': 'refuse',
          'not-legal-representative': 'flag',
          imprisoned: 'flag',
        },
      },
    },
  },
} satisfies CityPolicyDocument;
