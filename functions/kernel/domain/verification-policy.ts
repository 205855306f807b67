/**
 * The city's verification policy (a `verification` section of each policy version): which facts a
 * clerk typed are checked against the records other offices hold, per programme; whether a
 * mismatch refuses the application at intake (as an eligibility rule does) or raises a suspicion
 * (疑点) an auditor must dispose of before anyone may approve; which checks the monthly re-check of
 * active grants runs; and how old a source's data may be before the check waits for fresher data.
 */
import * as z from 'zod/mini';
import './validation-messages.js';
import { programmeIds } from './programmes.js';

/**
 * Each check, named for the failure audits keep finding (see docs/verification.md):
 * - `deceased`, `imprisoned`, `drawing-pension`, `drawing-unemployment-benefit`: the person is dead,
 *   in prison or community correction, draws a pension or unemployment-insurance benefit;
 * - `public-payroll`: the person is paid from public funds (财政供养人员);
 * - `other-employer-contributions`: contributions for the months asked for are paid by an employer
 *   other than the one declared (flexible employment: by any employer);
 * - `contributions-stopped`: the contributions the subsidy pays back were not paid (monthly re-check);
 * - `individual-business-owner`: the person is the legal representative of an individual business;
 * - `firm-deregistered`: the firm named (employer, or the microloan's business) is deregistered or unknown;
 * - `not-legal-representative`: the microloan's applicant is not the business's legal representative;
 * - `grant-elsewhere`: a grant of the same programme in another city of the province covers these months.
 */
export const verificationCheckIds = [
  'deceased',
  'imprisoned',
  'drawing-pension',
  'drawing-unemployment-benefit',
  'public-payroll',
  'other-employer-contributions',
  'contributions-stopped',
  'individual-business-owner',
  'firm-deregistered',
  'not-legal-representative',
  'grant-elsewhere',
] as const;
export type VerificationCheckId = (typeof verificationCheckIds)[number];

/** The checks the monthly re-check may run: those a grant can stop qualifying by. */
export const monthlyCheckIds = ['deceased', 'imprisoned', 'drawing-pension', 'contributions-stopped'] as const;
export type MonthlyCheckId = (typeof monthlyCheckIds)[number];

/** What a mismatch does at intake: refuse (422 naming the rule) or raise a suspicion for an auditor. */
export const mismatchOutcomes = ['refuse', 'flag'] as const;
export type MismatchOutcome = (typeof mismatchOutcomes)[number];

/** The rejection reason a confirmed suspicion is rejected with; a policy with flags must list it. */
export const verificationRejectionReason = 'verification-confirmed';

const days = z.number().check(z.int(), z.minimum(0), z.maximum(3650));

const programmeVerificationSchema = z.object({
  /** The checks run at intake, in the dry run and before approval, with what a mismatch does. */
  checks: z._default(z.partialRecord(z.enum(verificationCheckIds), z.enum(mismatchOutcomes)), {}),
  /** The checks the monthly re-check runs on this programme's active grants. */
  monthly: z._default(z.array(z.enum(monthlyCheckIds)), []),
  /** Overrides the section's `maxAgeDays` for this programme. */
  maxAgeDays: z.optional(days),
});
export type ProgrammeVerification = z.infer<typeof programmeVerificationSchema>;

export const verificationPolicySchema = z.object({
  /** How old a source's data (its as-of date) may be on the day of the check; older waits (`pending`). */
  maxAgeDays: z._default(days, 31),
  /** The provincial data-exchange platform this city asks; its credentials are in Secrets Manager. */
  exchange: z.optional(
    z.object({
      baseUrl: z.url({ protocol: /^https?$/ }).check(z.maxLength(512)),
      accessKeyId: z.string().check(z.minLength(1), z.maxLength(128)),
    }),
  ),
  /** Sources answered from the snapshot files the exchange drops, instead of over HTTP. */
  snapshotSources: z._default(
    z.array(
      z.enum([
        'contributions',
        'entities',
        'deaths',
        'imprisonments',
        'pensions',
        'unemploymentBenefits',
        'publicPayroll',
        'grantsElsewhere',
      ]),
    ),
    [],
  ),
  programmes: z._default(z.partialRecord(z.enum(programmeIds), programmeVerificationSchema), {}),
});
export type VerificationPolicy = z.infer<typeof verificationPolicySchema>;
export const noVerification: VerificationPolicy = { maxAgeDays: 31, snapshotSources: [], programmes: {} };

/** The verification a programme asks for under a policy (none when the section does not name it). */
export function verificationOf(policy: { verification: VerificationPolicy }, programme: string): ProgrammeVerification {
  const found = policy.verification.programmes[programme as keyof VerificationPolicy['programmes']];
  return found ?? { checks: {}, monthly: [] };
}

/** Whether any programme of the policy flags a mismatch (then the rejection reasons must list the confirmed one). */
export function flagsAnything(verification: VerificationPolicy): boolean {
  return Object.values(verification.programmes).some((p) => p && Object.values(p.checks).includes('flag'));
}

/**
 * Each source's name as staff know the office behind it. Kept here, beside the policy that names
 * the sources, so applications' pure approval guard can say what a pending check waits on;
 * verification's `sourceLabels` must be the same (a unit test holds them together).
 */
export const verificationSourceLabels = {
  contributions: '社会保险缴费记录',
  entities: '市场主体登记',
  deaths: '死亡登记（民政）',
  imprisonments: '服刑及社区矫正（司法）',
  pensions: '养老金领取（社保）',
  unemploymentBenefits: '失业保险金领取',
  publicPayroll: '财政供养人员',
  grantsElsewhere: '省内其他城市补贴',
} as const satisfies Record<string, string>;
