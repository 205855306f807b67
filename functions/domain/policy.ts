/**
 * City policy as versioned data. The walking skeleton needs only the approval chain and the
 * stage deadlines; amounts, caps and eligibility join this document as the programmes grow.
 */
import { z } from 'zod';
import type { ApprovalStage } from './actor.js';

const rejectionReasonSchema = z.object({
  code: z.string().regex(/^[a-z][a-z0-9-]*$/),
  zh: z.string().min(1),
  en: z.string().min(1),
  /** Whether the approver must explain in free text (the catch-all "other"). */
  needsComment: z.boolean().default(false),
});

export const cityPolicySchema = z.object({
  cityId: z.string().startsWith('city:'),
  version: z.string().min(1),
  effectiveFrom: z.iso.date(),
  /** The levels an application passes through after community intake, in order. */
  approvalChain: z
    .array(z.enum(['street', 'district', 'city']))
    .min(1)
    .refine((chain) => chain.at(-1) === 'city', 'the chain must end at the city')
    .refine((chain) => new Set(chain).size === chain.length, 'a level may appear once'),
  /** Working days each decision stage may take before it is overdue and escalated. */
  decisionDeadlineWorkingDays: z.number().int().min(1).max(60),
  /** A reminder is recorded when this many working days or fewer are left. */
  reminderWorkingDaysBefore: z.number().int().min(0).max(30),
  /** Working days the community has to resubmit a returned application. */
  resubmissionDeadlineWorkingDays: z.number().int().min(1).max(120),
  /** How many times an application may be returned for revision; after that, return is not offered. */
  maxReturnRounds: z.number().int().min(0).max(10).default(3),
  /** The reasons an approver may give for a rejection. */
  rejectionReasons: z.array(rejectionReasonSchema).min(1),
});
export type CityPolicy = z.infer<typeof cityPolicySchema> & { approvalChain: ApprovalStage[] };

const policies: CityPolicy[] = [
  cityPolicySchema.parse({
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
      { code: 'incomplete-documents', zh: '申请材料不全', en: 'Required documents are missing' },
      { code: 'false-information', zh: '材料不实', en: 'Information is not true' },
      { code: 'duplicate-application', zh: '重复申请', en: 'Already applied for this period' },
      { code: 'other', zh: '其他', en: 'Other', needsComment: true },
    ],
  }) as CityPolicy,
];

/** The policy in force for a city on a date: the latest version already effective. */
export function policyInForce(cityId: string, onDate: string): CityPolicy | undefined {
  return policies
    .filter((p) => p.cityId === cityId && p.effectiveFrom <= onDate)
    .sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom))[0];
}

/** The exact version an application was submitted under; it is judged by it to the end. */
export function policyVersion(version: string): CityPolicy | undefined {
  return policies.find((p) => p.version === version);
}

/** The policy an application is judged by; its absence is a deployment fault, not a client's. */
export function policyOfApplication(application: { id: string; policyVersion: string }): CityPolicy {
  const policy = policyVersion(application.policyVersion);
  if (!policy) throw new Error(`policy ${application.policyVersion} of application ${application.id} is not loaded`);
  return policy;
}
