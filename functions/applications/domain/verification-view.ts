/**
 * What an application shows of its checks against other offices' records: each check's source
 * (named as staff know the office), outcome, as-of date and reason; the figures only to those the
 * privacy matrix lets see them (`verificationFiguresShown`); the suspicion holding it, if any; and
 * whether it waits on data (`waitingOnData`, with the checks that wait), which holds any approval.
 */
import { sourceLabels } from '../../kernel/domain/verification-results.js';
import type { Application } from './lifecycle.js';

export function verificationView(verification: NonNullable<Application['verification']>, withFigures: boolean) {
  const pending = verification.results.filter((r) => r.outcome === 'pending');
  return {
    checkedAt: verification.checkedAt,
    results: verification.results.map((r) => ({
      check: r.check,
      source: r.source,
      sourceLabel: sourceLabels[r.source],
      outcome: r.outcome,
      onMismatch: r.onMismatch,
      ...(r.asOf ? { asOf: r.asOf } : {}),
      ...(r.pendingReason ? { pendingReason: r.pendingReason } : {}),
      reason: r.reason,
      ...(withFigures ? { figures: r.figures } : {}),
    })),
    ...(verification.suspicion ? { suspicion: verification.suspicion } : {}),
    waitingOnData: pending.length > 0,
    ...(pending.length > 0 ? { pendingChecks: pending.map((r) => r.check) } : {}),
  };
}
export type VerificationView = ReturnType<typeof verificationView>;
