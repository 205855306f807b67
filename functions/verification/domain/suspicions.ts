/**
 * Suspicions (疑点): a mismatch the city's policy sends to an auditor rather than refusing. While one
 * is open the application cannot be approved, singly or in a batch; an auditor (稽核员, at the city or
 * a district, never the person who took the application in nor one who decides it) records a
 * disposition: `cleared`, with the evidence that clears it (an on-site visit, a document), or
 * `confirmed`, after which the approver must reject with the reason `verification-confirmed`.
 */
import type { ActorRef } from '../../kernel/domain/application-events.js';
import type { CheckResult, SuspicionStatus } from '../../kernel/domain/verification-results.js';

export type { ApplicationVerification, SuspicionStatus } from '../../kernel/domain/verification-results.js';
export {
  checkResultSchema,
  storedVerificationSchema,
  suspicionStatuses,
} from '../../kernel/domain/verification-results.js';

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
