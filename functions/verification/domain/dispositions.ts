/**
 * Who sees a suspicion (疑点) and who disposes of it, and what a disposition must say.
 *
 * 1. A suspicion is seen by the auditors and approvers whose unit lies on its path, and by the
 *    staff of the community that took the application in; to anyone else it does not exist (404).
 * 2. Only an auditor (稽核员) disposes of it, and never one who took the application in, decided
 *    it at any level, or holds an approver's assignment over any of its units: the person who
 *    checks is not the person checked (segregation of duties, as decisions keep it).
 * 3. `cleared` names its evidence (an on-site visit, a document…); `confirmed` may, and leaves the
 *    approver only a rejection with the reason `verification-confirmed`.
 * 4. A suspicion is disposed of once, at the version the auditor read.
 */
import * as z from 'zod/mini';
import '../../kernel/domain/validation-messages.js';
import { type Actor, approverRoleOf, type Role } from '../../kernel/domain/actor.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../kernel/domain/errors.js';
import { notFormula, screenFreeText, screenOptional } from '../../kernel/domain/free-text.js';
import { unitCovers } from '../../kernel/domain/units.js';
import { type Disposition, evidenceKinds, type Suspicion, suspicionStatuses } from './suspicions.js';

const approverRoles: readonly Role[] = Object.values(approverRoleOf);

/** The body of `POST /verification/flags/{id}/disposition`. */
export const dispositionSchema = z
  .object({
    outcome: z.enum(['cleared', 'confirmed']),
    evidence: z.optional(
      z.object({
        kind: z.enum(evidenceKinds),
        reference: z.string().check(z.trim(), z.minLength(1), z.maxLength(200), notFormula()),
      }),
    ),
    comment: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(2000), notFormula())),
    /** The suspicion's version as the auditor read it. */
    expectedVersion: z.number().check(z.int(), z.minimum(1)),
  })
  .check(
    z.refine((body) => body.outcome !== 'cleared' || body.evidence !== undefined, {
      message: 'required to clear a suspicion: what shows the records are wrong (kind and reference)',
      path: ['evidence'],
    }),
  );
export type DispositionRequest = z.infer<typeof dispositionSchema>;

/** The query of `GET /verification/flags`. */
export const suspicionListQuerySchema = z.object({
  unit: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  status: z.optional(z.enum(suspicionStatuses)),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 20),
  cursor: z.optional(z.string().check(z.maxLength(2000))),
});
export type SuspicionListQuery = z.infer<typeof suspicionListQuerySchema>;

/** Whether `actor` may see suspicions about applications under `path` (city down to a unit, or a community). */
export function maySeeSuspicionsUnder(actor: Actor, path: readonly string[]): boolean {
  if (actor.role === 'community-staff') return actor.unit === path.at(-1);
  return (actor.role === 'auditor' || approverRoles.includes(actor.role)) && unitCovers(actor.unit, path);
}

/** Throws the refusal an absent id gets unless `actor` may see the suspicion: a 403 would confirm it exists. */
export function assertMaySeeSuspicion(suspicion: Pick<Suspicion, 'id' | 'unitPath'>, actor: Actor): void {
  if (!maySeeSuspicionsUnder(actor, suspicion.unitPath)) throw new NotFoundError(`no suspicion ${suspicion.id}`);
}

/** What decides who may dispose, besides the suspicion: the application's deciders and the auditor's other assignments. */
export interface DisposerContext {
  /** Who decided the application so far, at any level. */
  decidedBy: readonly string[];
  /** The assignments the auditor holds today (role and unit), from the staff directory. */
  heldAssignments: readonly { role: Role; unit: string }[];
}

/**
 * Throws unless `actor` may dispose of the suspicion now, in this order: out of sight → 404;
 * not an auditor, or an auditor who took the application in, decided it, or approves over its
 * units → 403 naming why; not open, or another version than the auditor read → 409.
 */
export function assertMayDispose(
  suspicion: Suspicion,
  actor: Actor,
  context: DisposerContext,
  expectedVersion: number,
): void {
  assertMaySeeSuspicion(suspicion, actor);
  if (actor.role !== 'auditor') throw new ForbiddenError(`only an auditor disposes of a suspicion, not ${actor.role}`);
  if (actor.sub === suspicion.takenInBy)
    throw new ForbiddenError(
      `${actor.sub} took application ${suspicion.applicationId} in: another auditor must judge it`,
    );
  if (context.decidedBy.includes(actor.sub))
    throw new ForbiddenError(
      `${actor.sub} decided application ${suspicion.applicationId}: another auditor must judge it`,
    );
  const approving = context.heldAssignments.find(
    (a) => approverRoles.includes(a.role) && suspicion.unitPath.includes(a.unit),
  );
  if (approving)
    throw new ForbiddenError(
      `${actor.sub} approves for ${approving.unit} (${approving.role}), over application ${suspicion.applicationId}: another auditor must judge it`,
    );
  if (suspicion.status !== 'open')
    throw new ConflictError(`suspicion ${suspicion.id} is already ${suspicion.status}`, {
      currentVersion: suspicion.version,
      currentStatus: suspicion.status,
    });
  if (expectedVersion !== suspicion.version)
    throw new ConflictError(
      `suspicion ${suspicion.id} is at version ${suspicion.version}, not ${expectedVersion}: reload it and judge again`,
      { currentVersion: suspicion.version, currentStatus: suspicion.status },
    );
}

/** The suspicion after the disposition: its outcome, the evidence and comment screened as any free text is. */
export function disposed(suspicion: Suspicion, request: DispositionRequest, actor: Actor, now: string): Suspicion {
  const disposition: Disposition = {
    outcome: request.outcome,
    ...(request.evidence
      ? { evidence: { kind: request.evidence.kind, reference: screenFreeText(request.evidence.reference) } }
      : {}),
    ...(request.comment ? { comment: screenOptional(request.comment) } : {}),
    by: { sub: actor.sub, role: actor.role, unit: actor.unit },
    at: now,
  };
  return { ...suspicion, status: request.outcome, disposition, version: suspicion.version + 1 };
}
