/**
 * What the checks against other offices' records hold an approval on (the approval guard):
 * 1. a suspicion (疑点) still open: no approval, at any level, until an auditor disposes of it;
 * 2. a suspicion confirmed: no approval and no return for revision; only a rejection, with the
 *    reason `verification-confirmed` (the records said otherwise and an auditor agreed);
 * 3. a check waiting on data (its source down, or its data too old): no approval until it has
 *    an answer. A check never passes on a guess.
 * A cleared suspicion holds nothing. Every refusal is a 409 naming the suspicion and its checks,
 * or the pending check and the office whose data it waits on, so the approver knows who to ask.
 */
import { ConflictError, InvalidRequestError } from '../../kernel/domain/errors.js';
import { verificationRejectionReason } from '../../kernel/domain/verification-policy.js';
import { sourceLabels } from '../../kernel/domain/verification-results.js';
import type { Application, Transition } from './lifecycle.js';

/** A refusal by the verification: its own problem type, so a client tells it from a stale version. */
export class HeldByVerificationError extends ConflictError {
  override readonly title = 'Held by verification';
}

const flaggedChecks = (application: Application) =>
  (application.verification?.results ?? []).filter((r) => r.outcome === 'mismatch' && r.onMismatch === 'flag');

const describeChecks = (application: Application) =>
  flaggedChecks(application)
    .map((r) => `${r.check}: ${r.reason.zh}`)
    .join('; ');

function stateOf(application: Application) {
  return {
    currentVersion: application.version,
    currentStatus: application.status,
    currentStage: application.stage,
  };
}

function suspicionRefusal(application: Application, message: string): HeldByVerificationError {
  const suspicion = application.verification?.suspicion;
  return new HeldByVerificationError(message, {
    suspicionId: suspicion?.id,
    suspicionStatus: suspicion?.status,
    checks: flaggedChecks(application).map((r) => r.check),
    ...stateOf(application),
  });
}

/** Throws unless nothing the checks found or wait on holds the approval. */
export function assertNotHeldForApproval(application: Application): void {
  const verification = application.verification;
  if (!verification) return;
  const suspicion = verification.suspicion;
  const checks = describeChecks(application);
  if (suspicion?.status === 'open')
    throw suspicionRefusal(
      application,
      `application ${application.id} cannot be approved while suspicion ${suspicion.id} is open${checks ? ` (${checks})` : ''}: an auditor must clear or confirm it first`,
    );
  if (suspicion?.status === 'confirmed')
    throw suspicionRefusal(
      application,
      `suspicion ${suspicion.id} on application ${application.id} was confirmed${checks ? ` (${checks})` : ''}: reject it with reason ${verificationRejectionReason}`,
    );
  const pending = verification.results.filter((r) => r.outcome === 'pending');
  if (pending.length > 0)
    throw new HeldByVerificationError(
      `application ${application.id} waits on data from ${pending
        .map((r) => `${sourceLabels[r.source]} (check ${r.check})`)
        .join(', ')}: it cannot be approved until the checks have an answer`,
      {
        pendingChecks: pending.map((r) => ({
          check: r.check,
          source: r.source,
          sourceLabel: sourceLabels[r.source],
          ...(r.pendingReason ? { pendingReason: r.pendingReason } : {}),
        })),
        ...stateOf(application),
      },
    );
}

/** After a confirmed suspicion, returning for revision would only send the same facts round again. */
export function assertNotHeldForReturn(application: Application): void {
  const suspicion = application.verification?.suspicion;
  if (suspicion?.status === 'confirmed')
    throw suspicionRefusal(
      application,
      `suspicion ${suspicion.id} on application ${application.id} was confirmed: it cannot be returned for revision; reject it with reason ${verificationRejectionReason}`,
    );
}

/** After a confirmed suspicion, a rejection says so: its reason is `verification-confirmed`. */
export function assertRejectionReasonFits(application: Application, reason: string): void {
  const suspicion = application.verification?.suspicion;
  if (suspicion?.status === 'confirmed' && reason !== verificationRejectionReason)
    throw new InvalidRequestError(`suspicion ${suspicion.id} was confirmed: the rejection must say so`, [
      { field: 'reason', message: `must be ${verificationRejectionReason} after a confirmed suspicion` },
    ]);
}

/** What the checks ask about: the person, the firm named, the months asked for. */
function checkedFacts(application: Application): string {
  const details = application.details as {
    employer?: { creditCode?: string };
    business?: { licenceNo?: string };
    period?: unknown;
  };
  return JSON.stringify([
    application.applicantKey,
    details.employer?.creditCode,
    details.business?.licenceNo,
    details.period,
  ]);
}

/**
 * A resubmission that corrected what the checks asked about (the person, the firm, the months):
 * their answers were about what was there before, so each waits (`stale`) until the re-runner asks
 * again, and approval waits with them. A correction of anything else leaves them standing.
 */
export function awaitingRecheck(previous: Application, transition: Transition): Transition {
  const verification = transition.application.verification;
  if (!verification || verification.results.length === 0) return transition;
  if (checkedFacts(previous) === checkedFacts(transition.application)) return transition;
  const results = verification.results.map((r) => ({
    ...r,
    outcome: 'pending' as const,
    pendingReason: 'stale' as const,
  }));
  return { ...transition, application: { ...transition.application, verification: { ...verification, results } } };
}
