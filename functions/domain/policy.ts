/**
 * City policy as versioned data. The walking skeleton needs only the approval chain and the
 * stage deadlines; amounts, caps and eligibility join this document as the programmes grow.
 */
import { z } from 'zod';
import type { ApprovalStage } from './actor.js';

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
  /** Calendar days each decision stage may take before it is flagged overdue. */
  decisionDeadlineDays: z.number().int().min(1).max(90),
  /** Calendar days the community has to resubmit a returned application. */
  resubmissionDeadlineDays: z.number().int().min(1).max(180),
});
export type CityPolicy = z.infer<typeof cityPolicySchema> & { approvalChain: ApprovalStage[] };

const policies: CityPolicy[] = [
  cityPolicySchema.parse({
    cityId: 'city:shijiazhuang',
    version: 'shijiazhuang-2026.1',
    effectiveFrom: '2026-01-01',
    approvalChain: ['street', 'city'],
    decisionDeadlineDays: 15,
    resubmissionDeadlineDays: 30,
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
