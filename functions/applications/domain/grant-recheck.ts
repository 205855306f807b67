/**
 * The monthly re-check of an active grant, as rules: what the answers about the month checked mean
 * for the grant. Pure: the fact checker (`scheduled/monthly-recheck.ts`) asks the sources and
 * records what this says.
 *
 * 1. A grant is re-checked for a month it pays for, with its programme's `monthly` checks under
 *    the policy version it was granted under, asking about that month only.
 * 2. A mismatch suspends it from the first month the holder no longer qualified: the month of the
 *    death, the month the prison term or community correction began, the pension's first month,
 *    the first month whose contributions were not paid — not the month of the run, which may be
 *    later (a death registered late). Never before the grant's start.
 * 3. Several mismatches: the earliest month wins, and its check is the reason.
 * 4. A check without a usable answer (source down, data too old) is pending and suspends nothing;
 *    a mismatch still suspends beside it (a death is decisive whatever the contributions say).
 * 5. A grant already suspended from that month or earlier is left as it is.
 */

import type { ApprovalStage } from '../../kernel/domain/actor.js';
import { systemActor } from '../../kernel/domain/application-events.js';
import { lastMonthOf, monthIndex, shanghaiDate } from '../../kernel/domain/dates.js';
import type { MonthlyCheckId } from '../../kernel/domain/verification-policy.js';
import type { Answer, CheckResult } from '../../verification/index.js';
import { type Grant, paysFor } from './benefit-ledger.js';
import { type Application, record, type Transition } from './lifecycle.js';

/** Why a grant was suspended, as the ledger keeps it: the check and its figures (never a clear ID). */
export interface SuspensionReason {
  check: MonthlyCheckId;
  figures: Record<string, string | number>;
}

export type RecheckVerdict =
  | { outcome: 'passed' }
  | { outcome: 'pending'; pending: MonthlyCheckId[] }
  | { outcome: 'suspend'; suspendedFrom: string; reason: SuspensionReason }
  /** Already suspended from that month or earlier: nothing to change. */
  | { outcome: 'already-suspended'; suspendedFrom: string };

/** The month just ended on `now`'s Shanghai calendar: what a run started then checks. */
export function monthJustEnded(now: Date): string {
  return lastMonthOf(shanghaiDate(now).slice(0, 7), 0);
}

/** Whether a grant is one the run of `month` re-checks: it pays for that month. */
export const recheckedIn = (grant: Pick<Grant, 'start' | 'months' | 'suspendedFrom'>, month: string) =>
  paysFor(grant, month);

const monthOf = (date: string) => date.slice(0, 7);

/**
 * The first month the holder no longer qualified, from the source's answer to a check that found a
 * mismatch about `months` (rule 2). Undefined when the answer does not say (it then falls back to
 * the first month asked about).
 */
export function firstMonthNoLongerQualifying(
  check: MonthlyCheckId,
  answer: Answer,
  months: { from: string; to: string },
): string | undefined {
  switch (check) {
    case 'deceased':
      return answer.source === 'deaths' && answer.died ? monthOf(answer.died.on) : undefined;
    case 'imprisoned': {
      if (answer.source !== 'imprisonments') return undefined;
      const touching = answer.periods
        .filter((p) => monthOf(p.from) <= months.to && (p.to === undefined || monthOf(p.to) >= months.from))
        .map((p) => monthOf(p.from))
        .sort();
      return touching[0];
    }
    case 'drawing-pension':
      return answer.source === 'pensions' ? answer.from : undefined;
    case 'contributions-stopped': {
      if (answer.source !== 'contributions') return undefined;
      for (let m = monthIndex(months.from); m <= monthIndex(months.to); m++) {
        const month = lastMonthOf(months.from, m - monthIndex(months.from) + 1);
        if (!answer.records.some((r) => r.month === month && r.paid)) return month;
      }
      return undefined;
    }
  }
}

/**
 * What the results of a grant's monthly checks about `month` mean for it (rules 2–5). `answers`
 * are the sources' answers by source name, as the checks received them.
 */
export function recheckVerdict(
  grant: Pick<Grant, 'start' | 'suspendedFrom'>,
  month: string,
  results: readonly CheckResult[],
  answers: ReadonlyMap<string, Answer>,
): RecheckVerdict {
  const months = { from: month, to: month };
  const found = results
    .filter((r) => r.outcome === 'mismatch')
    .map((r) => {
      const check = r.check as MonthlyCheckId;
      const answer = answers.get(r.source);
      const first = (answer && firstMonthNoLongerQualifying(check, answer, months)) ?? month;
      // A fact older than the grant (a death before its first month) leaves nothing payable.
      return { suspendedFrom: first < grant.start ? grant.start : first, reason: { check, figures: r.figures } };
    })
    .sort((a, b) => a.suspendedFrom.localeCompare(b.suspendedFrom));
  const earliest = found[0];
  if (earliest) {
    if (grant.suspendedFrom !== undefined && grant.suspendedFrom <= earliest.suspendedFrom)
      return { outcome: 'already-suspended', suspendedFrom: grant.suspendedFrom };
    return { outcome: 'suspend', ...earliest };
  }
  const pending = results.filter((r) => r.outcome === 'pending').map((r) => r.check as MonthlyCheckId);
  return pending.length ? { outcome: 'pending', pending } : { outcome: 'passed' };
}

/** The level that granted it: the last of the chain that decided (the person it tells is `grantedBy`). */
const grantingLevel = (application: Application): ApprovalStage =>
  application.decidedBy.city ? 'city' : application.decidedBy.district ? 'district' : 'street';

/** Who finally approved the grant: the person told of its suspension. */
export const grantedBy = (application: Application): string | undefined =>
  application.decidedBy[grantingLevel(application)];

/**
 * The history event of a suspension: a system event on the approved application (its version, which
 * counts people's changes, does not move), naming the check, the month, and the check's name in the
 * clerk's words. The figures stay with the ledger.
 */
export function suspensionTransition(
  application: Application,
  suspension: { suspendedFrom: string; reason: SuspensionReason; checkName: string },
  at: string,
): Transition {
  return record(
    application,
    application,
    {
      at,
      action: 'grant-suspended',
      stage: grantingLevel(application),
      actor: systemActor,
      reason: suspension.reason.check,
      comment: `月度核查：${suspension.checkName}，自 ${suspension.suspendedFrom} 起停发`,
      suspendedFrom: suspension.suspendedFrom,
    },
    false,
  );
}
