/**
 * The answers of the checks against other offices' records, as the console reads them: an
 * application's checks, the suspicion queue (疑点) and the monthly re-check's report.
 */

import type { ApplicationView } from '../../functions/applications/domain/views.js';
import type { VerificationCheckId } from '../../functions/kernel/domain/verification-policy.js';
import type { CheckResult, SuspicionStatus } from '../../functions/kernel/domain/verification-results.js';
import type { Disposition, EvidenceKind, Suspicion } from '../../functions/verification/domain/suspicions.js';

/**
 * One check against another office's records as an answer shows it: the figures only where the
 * privacy matrix lets the role see them, and a suspicion's mismatches without their outcome (all
 * mismatches) — so both are optional here.
 */
export type ShownCheck = Omit<CheckResult, 'figures' | 'outcome' | 'onMismatch'> &
  Partial<Pick<CheckResult, 'figures' | 'outcome' | 'onMismatch'>> & { sourceLabel?: string };

/** What `GET /applications/{id}` shows of the application's checks and the suspicion holding it. */
export interface ApplicationVerificationView {
  checkedAt: string;
  results: ShownCheck[];
  suspicion?: { id: string; status: SuspicionStatus };
  waitingOnData?: boolean;
}

/** An application with its checks (the verification routes add them to the view). */
export type VerifiedApplicationView = ApplicationView & {
  verification?: ApplicationVerificationView;
  waitingOnData?: boolean;
};

/** A suspicion (疑点) as the queue answers it. */
export type SuspicionView = Omit<Suspicion, 'mismatches' | 'takenInBy' | 'unitPath' | 'disposition'> & {
  mismatches: ShownCheck[];
  takenInBy?: string;
  unitPath?: string[];
  communityId?: string;
  disposition?: Omit<Disposition, 'evidence'> & { evidence?: Disposition['evidence'] };
};

export interface SuspicionList {
  items: SuspicionView[];
  nextCursor?: string;
}

export interface DispositionBody {
  outcome: Exclude<SuspicionStatus, 'open'>;
  evidence?: { kind: EvidenceKind; reference: string };
  comment?: string;
  expectedVersion: number;
}

/**
 * The monthly re-check's report (`GET /verification/runs/{month}`). Its module's domain does not
 * name it yet, so it is typed here, loosely where the report may say more than the brief did.
 */
export interface RecheckReport {
  cityId: string;
  month: string;
  status: string;
  requestedAt?: string;
  finishedAt?: string;
  grantsChecked: number;
  pending: number | { grants: number; checks: number };
  suspended: {
    applicationId: string;
    programme: string;
    communityId: string;
    suspendedFrom: string;
    reason:
      | string
      | { zh: string; en: string }
      | { check: VerificationCheckId; figures?: Record<string, string | number> };
  }[];
}
