/**
 * A suspicion (疑点) as the API shows it: what the records say and why that is a mismatch, never
 * the applicant's name or ID (the application's own view shows those by the privacy matrix), and
 * figures that never carry a clear ID (`checks.ts`). The figures are still facts about a person
 * (a death, a prison term, a pension), so every answer that shows them is recorded in the read
 * audit first (`suspicionFieldsRead`).
 */
import { sourceLabels } from './sources.js';
import type { Suspicion } from './suspicions.js';

export function suspicionView(s: Suspicion) {
  return {
    id: s.id,
    applicationId: s.applicationId,
    programme: s.programme,
    cityId: s.cityId,
    communityId: s.unitPath.at(-1),
    unitPath: s.unitPath,
    raisedAt: s.raisedAt,
    status: s.status,
    version: s.version,
    mismatches: s.mismatches.map((r) => ({
      check: r.check,
      source: r.source,
      sourceLabel: sourceLabels[r.source],
      reason: r.reason,
      ...(r.asOf ? { asOf: r.asOf } : {}),
      figures: r.figures,
    })),
    ...(s.disposition ? { disposition: s.disposition } : {}),
  };
}
export type SuspicionView = ReturnType<typeof suspicionView>;

/** The answer of `GET /verification/flags`. */
export interface SuspicionList {
  items: SuspicionView[];
  nextCursor?: string;
}

/** What a suspicion's view reads of the person, as the read audit names it. */
export const suspicionFieldsRead = ['verification-figures'];
