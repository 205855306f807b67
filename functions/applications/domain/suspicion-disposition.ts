/**
 * An auditor's disposition of the suspicion (疑点) holding an application, as the application
 * records it: the suspicion's status on the application (what the approval guard reads), the
 * version bumped (a person's change: an approver who read it before must read it again) and the
 * event on the history chain (`suspicion-cleared` or `suspicion-confirmed`). The suspicion's own
 * rules (who may, what it must say) are verification's; this is the application's side, written
 * in the same transaction.
 */
import type { Actor } from '../../kernel/domain/actor.js';
import { isFinal } from '../../kernel/domain/application-events.js';
import { ConflictError, ForbiddenError } from '../../kernel/domain/errors.js';
import type { Disposition } from '../../verification/index.js';
import { type Application, actorRef, assertInScope, record, type Transition } from './lifecycle.js';

export function recordDisposition(
  application: Application,
  suspicionId: string,
  disposition: Pick<Disposition, 'outcome' | 'comment'>,
  actor: Actor,
  now: string,
): Transition {
  assertInScope(application, actor);
  // The deciders as they stand now: one may have decided since the auditor's rights were checked.
  if (application.submittedBy.sub === actor.sub || Object.values(application.decidedBy).includes(actor.sub))
    throw new ForbiddenError(
      `${actor.sub} took in or decided application ${application.id}: another auditor must judge it`,
    );
  const held = application.verification?.suspicion;
  if (!application.verification || held?.id !== suspicionId)
    throw new ConflictError(`application ${application.id} is not held by suspicion ${suspicionId}`, {
      currentSuspicionId: held?.id,
      currentVersion: application.version,
    });
  if (held.status !== 'open')
    throw new ConflictError(`suspicion ${suspicionId} is already ${held.status}`, { currentStatus: held.status });
  if (isFinal(application.status) || application.stage === null)
    throw new ConflictError(`application ${application.id} is ${application.status}: nothing waits on this suspicion`, {
      currentStatus: application.status,
    });
  const next: Application = {
    ...application,
    verification: { ...application.verification, suspicion: { id: suspicionId, status: disposition.outcome } },
  };
  return record(
    application,
    next,
    {
      at: now,
      action: disposition.outcome === 'cleared' ? 'suspicion-cleared' : 'suspicion-confirmed',
      stage: application.stage,
      actor: actorRef(actor),
      suspicionId,
      comment: disposition.comment,
    },
    true,
  );
}
