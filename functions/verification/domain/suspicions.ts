/**
 * Suspicions (疑点): a mismatch the city's policy sends to an auditor rather than refusing. While one
 * is open the application cannot be approved, singly or in a batch; an auditor (稽核员, at the city or
 * a district, never the person who took the application in nor one who decides it) records a
 * disposition: `cleared`, with the evidence that clears it (an on-site visit, a document), or
 * `confirmed`, after which the approver must reject with the reason `verification-confirmed`.
 */
import * as z from 'zod/mini';
import type { ActorRef } from '../../kernel/domain/application-events.js';
import { mismatchOutcomes, verificationCheckIds } from '../../kernel/domain/verification-policy.js';
import type { CheckResult } from './checks.js';
import { sourceNames, unavailableReasons } from './sources.js';

export const suspicionStatuses = ['open', 'cleared', 'confirmed'] as const;
export type SuspicionStatus = (typeof suspicionStatuses)[number];

export const evidenceKinds = ['on-site-visit', 'document', 'phone-call', 'other-office-letter'] as const;
export type EvidenceKind = (typeof evidenceKinds)[number];
export const evidenceKindNamesZh: Record<EvidenceKind, string> = {
  'on-site-visit': '实地核查',
  document: '书面材料',
  'phone-call': '电话核实',
  'other-office-letter': '部门函复',
};

export interface Disposition {
  outcome: Exclude<SuspicionStatus, 'open'>;
  /** Required to clear; a confirmation may rest on the records alone. */
  evidence?: { kind: EvidenceKind; reference: string };
  comment?: string;
  by: ActorRef;
  at: string;
}

export interface Suspicion {
  id: string;
  applicationId: string;
  cityId: string;
  /** The application's units, city down to community: whose auditors and approvers may see it. */
  unitPath: string[];
  programme: string;
  /** Who took the application in: never its auditor. */
  takenInBy: string;
  raisedAt: string;
  /** The mismatches that raised it, as judged then. */
  mismatches: CheckResult[];
  status: SuspicionStatus;
  disposition?: Disposition;
  version: number;
}

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
