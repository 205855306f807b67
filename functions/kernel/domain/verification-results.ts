/**
 * The vocabulary of verification every capability reads: the sources other offices answer from,
 * a check's result, and what an application keeps of its checks and of the suspicion (疑点) holding
 * it. What the checks ask and how they judge is the verification module's; applications (the
 * approval guard, the views) and the console only read these.
 */
import * as z from 'zod/mini';
import {
  type MismatchOutcome,
  mismatchOutcomes,
  type VerificationCheckId,
  verificationCheckIds,
} from './verification-policy.js';

export const sourceNames = [
  'contributions',
  'entities',
  'deaths',
  'imprisonments',
  'pensions',
  'unemploymentBenefits',
  'publicPayroll',
  'grantsElsewhere',
] as const;
export type SourceName = (typeof sourceNames)[number];

/** The offices behind each source, as a clerk names them (the console and the refusals say these). */
export const sourceLabels: Record<SourceName, string> = {
  contributions: '社会保险缴费记录',
  entities: '市场主体登记',
  deaths: '死亡登记（民政）',
  imprisonments: '服刑及社区矫正（司法）',
  pensions: '养老金领取（社保）',
  unemploymentBenefits: '失业保险金领取',
  publicPayroll: '财政供养人员',
  grantsElsewhere: '省内其他城市补贴',
};

/** Why a source gave no usable answer: the check waits (`pending`), it never passes. */
export const unavailableReasons = [
  'timeout',
  'unreachable',
  'circuit-open',
  'invalid-answer',
  'refused',
  'not-configured',
] as const;
export type UnavailableReason = (typeof unavailableReasons)[number];

export type CheckOutcome = 'passed' | 'mismatch' | 'pending';

export interface CheckResult {
  check: VerificationCheckId;
  source: SourceName;
  outcome: CheckOutcome;
  /** What a mismatch does, as the policy said when the check ran. */
  onMismatch: MismatchOutcome;
  /** The day the source's data was current (absent when it gave none). */
  asOf?: string;
  /** Why it is pending: the source's state, or `stale` when its data is too old. */
  pendingReason?: UnavailableReason | 'stale';
  reason: { zh: string; en: string };
  figures: Record<string, string | number>;
}

export const checkNames: Record<VerificationCheckId, { zh: string; en: string }> = {
  deceased: { zh: '本人已死亡', en: 'The person has died' },
  imprisoned: { zh: '正在服刑或社区矫正', en: 'In prison or community correction' },
  'drawing-pension': { zh: '已领取养老金', en: 'Draws a pension' },
  'drawing-unemployment-benefit': { zh: '正在领取失业保险金', en: 'Draws unemployment-insurance benefit' },
  'public-payroll': { zh: '属财政供养人员', en: 'Paid from public funds' },
  'other-employer-contributions': { zh: '其他单位为其缴纳社会保险', en: 'Another employer pays the contributions' },
  'contributions-stopped': { zh: '社会保险费未缴纳', en: 'The contributions were not paid' },
  'individual-business-owner': { zh: '登记为个体工商户经营者', en: 'Runs a registered individual business' },
  'firm-deregistered': { zh: '市场主体已注销或查无登记', en: 'The firm is deregistered or not registered' },
  'not-legal-representative': { zh: '申请人非该市场主体法定代表人', en: 'Not the firm’s legal representative' },
  'grant-elsewhere': { zh: '省内其他城市已享受同类补贴', en: 'Granted the same subsidy in another city' },
};

export const suspicionStatuses = ['open', 'cleared', 'confirmed'] as const;
export type SuspicionStatus = (typeof suspicionStatuses)[number];

/** What the application keeps of its verification: the last results and the suspicion holding it. */
export interface ApplicationVerification {
  checkedAt: string;
  results: CheckResult[];
  /** The latest suspicion raised on it, with its status (the approval guard reads this, not the queue). */
  suspicion?: { id: string; status: SuspicionStatus };
}

/** One check's result as stored (on the application, and in a suspicion's mismatches). */
export const checkResultSchema = z.object({
  check: z.enum(verificationCheckIds),
  source: z.enum(sourceNames),
  outcome: z.enum(['passed', 'mismatch', 'pending']),
  onMismatch: z.enum(mismatchOutcomes),
  asOf: z.optional(z.string()),
  pendingReason: z.optional(z.enum([...unavailableReasons, 'stale'])),
  reason: z.object({ zh: z.string(), en: z.string() }),
  figures: z.record(z.string(), z.union([z.number(), z.string()])),
});

/** An application's verification as stored: parsed on every read, so a field missing here would be dropped. */
export const storedVerificationSchema = z.object({
  checkedAt: z.string(),
  results: z.array(checkResultSchema),
  suspicion: z.optional(z.object({ id: z.string(), status: z.enum(suspicionStatuses) })),
});
