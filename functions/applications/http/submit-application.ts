/**
 * POST /applications — community intake.
 * 1. Validate the body against its programme's schema.
 * 2. Check the caller's role and unit, then answer a repeated Idempotency-Key (the same caller,
 *    route and canonical body) with the status it got the first time and the application as it
 *    now stands, as the caller may see it now.
 * 3. Find the community in the city's unit tree and the policy in force today.
 *    (`POST /applications/eligibility-check` judges the same body without recording anything.)
 * 4. Seal the resident ID (KMS); keep only its keyed hash, the sealed copy and a masked copy.
 * 5. Store the application, its first event and the person's marker for the programme in one
 *    transaction (refused with 409 while another application of theirs for it is active), then
 *    start its workflow.
 */

import { createHash } from 'node:crypto';
import { residentIdVaultFromEnvironment } from '../../kernel/adapters/resident-id-vault.js';
import type { Actor } from '../../kernel/domain/actor.js';
import { canonicalJson } from '../../kernel/domain/history-chain.js';
import { keptApplicant, submissionSchema } from '../../kernel/domain/programmes.js';
import { residentIdKey } from '../../kernel/domain/resident-id-key.js';
import { HttpProblem, httpHandler, idempotencyKeyOf, json, jsonBody, validated } from '../../kernel/http/http.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { logger } from '../../kernel/runtime/logger.js';
import type { Suspicion } from '../../verification/index.js';
import { sealApplicantFacts } from '../domain/applicant-facts.js';
import { assertMayTakeIn, submitApplication } from '../domain/intake.js';
import { applicationView } from '../domain/views.js';
import { ActiveApplicationExistsError } from '../store/benefit-ledger.js';
import { type EarlierUse, IdempotencyKeyUsedError } from '../store/idempotency.js';
import { activeApplicationProblem } from './change-application.js';
import {
  type DataExchangeDependency,
  type IntakeDependencies,
  productionDataExchangeDependency,
  productionDependencies,
  productionReadAudit,
  type ReadAuditDependency,
  residentIdKeyDependency,
} from './dependencies.js';
import { intakeContext } from './intake-policy.js';
import { verifiedAtIntake } from './intake-verification.js';

/** How long an Idempotency-Key is remembered. */
const idempotencyWindowSeconds = 24 * 60 * 60;
/** The caller a key belongs to: the person, the assignment they act under, and this route. */
const callerOf = (actor: Actor) => `${actor.sub}|${actor.role}@${actor.unit}|POST /applications`;

export function makeSubmitApplication(deps: IntakeDependencies & DataExchangeDependency & ReadAuditDependency) {
  async function replay(earlier: EarlierUse, requestHash: string, actor: Actor, communityId: string) {
    // Role and unit first: a stored answer is only ever shown to whom may take the application in.
    assertMayTakeIn(actor, communityId);
    if (requestHash !== earlier.requestHash) {
      throw new HttpProblem(
        422,
        'Idempotency key reused',
        'this Idempotency-Key was used for a different request body',
        [{ field: 'Idempotency-Key', message: 'already used with a different body' }],
      );
    }
    // The first attempt may have stopped between storing and starting: starting again is harmless.
    await deps.workflow.start(earlier.applicationId);
    // The first answer's status, with the application as it now stands (decided, withdrawn) shown
    // as this caller may see it now: the key keeps no copy of the applicant to replay.
    const stored = await deps.applications.get(earlier.applicationId);
    if (!stored) throw new Error(`idempotency key names missing application ${earlier.applicationId}`);
    const policy = await deps.policies.ofApplication(stored.application);
    return json(earlier.answer.status, applicationView(stored.application, policy, actor), {
      location: `/applications/${earlier.applicationId}`,
      'idempotent-replayed': 'true',
    });
  }

  return httpHandler(async (event) => {
    const actor = await deps.resolveActor(event);
    const idempotencyKey = idempotencyKeyOf(event);
    const submission = validated(submissionSchema, jsonBody(event));
    // The body as validated (unknown fields dropped), keys sorted: another key order is the same request.
    const requestHash = createHash('sha256').update(canonicalJson(submission)).digest('base64url');
    const now = deps.now();

    if (idempotencyKey) {
      const earlier = await deps.applications.findIdempotencyKey(callerOf(actor), idempotencyKey, now);
      if (earlier) return replay(earlier, requestHash, actor, submission.communityId);
    }

    const { communityPath, policy } = await intakeContext(deps, submission.communityId, now);

    const kept = keptApplicant(submission.applicant);
    const applicantKey = residentIdKey(submission.applicant.idNumber, deps.residentIdSecret);
    const transition = submitApplication(
      {
        id: deps.newApplicationId(),
        programme: submission.programme,
        communityPath,
        ...kept,
        sealedFacts: sealApplicantFacts(kept.applicantFacts, deps.residentIdSecret, applicantKey),
        applicantKey,
        details: submission.details,
        documents: submission.documents,
      },
      actor,
      policy,
      now.toISOString(),
    );
    // Checked against other offices' records only once the caller's scope is known (above) and the
    // application is eligible: an ineligible one is kept, rejected, without asking anyone.
    let suspicion: Suspicion | undefined;
    if (transition.application.status !== 'rejected') {
      const verified = await verifiedAtIntake(deps, policy, submission, transition.application, actor, now);
      if (verified.verification) transition.application.verification = verified.verification;
      suspicion = verified.suspicion;
    }
    const location = `/applications/${transition.application.id}`;
    const answer = json(
      201,
      applicationView(transition.application, policy, actor, { events: [transition.event], intact: true }),
      { location },
    );
    const sealedIdNumber = await deps.sealResidentId(submission.applicant.idNumber);
    try {
      await deps.applications.create(
        transition,
        idempotencyKey === undefined
          ? undefined
          : {
              caller: callerOf(actor),
              key: idempotencyKey,
              requestHash,
              expiresAt: Math.floor(now.getTime() / 1000) + idempotencyWindowSeconds,
              answer: { status: 201 },
            },
        sealedIdNumber,
        policy,
        suspicion,
      );
    } catch (error) {
      // The same key raced in from a parallel retry: answer as its repeat.
      if (error instanceof IdempotencyKeyUsedError)
        return replay(error.earlier, requestHash, actor, submission.communityId);
      if (error instanceof ActiveApplicationExistsError) throw activeApplicationProblem(error);
      throw error;
    }
    deps.publishMetrics(transition.event, transition.application.programme, transition.application.stageEnteredAt);
    // The application is stored: if its execution cannot start now, the reconciler starts it
    // (`functions/workflow/scheduled/reconcile.ts`), so the answer is still 201 rather than a 5xx that invites a
    // retry without an Idempotency-Key (a second application).
    await deps.workflow.start(transition.application.id).catch((error: unknown) => {
      logger.warn('could not start the execution; the reconciler will', {
        applicationId: transition.application.id,
        error: String(error),
      });
    });
    return answer;
  });
}

export const handler = builtOnFirstCall(async () => {
  const residentIdSecret = await residentIdKeyDependency();
  return makeSubmitApplication({
    ...productionDependencies('addresses-machine'),
    ...productionReadAudit(),
    ...residentIdSecret,
    ...productionDataExchangeDependency(residentIdSecret.residentIdSecret),
    sealResidentId: (clear) => residentIdVaultFromEnvironment()(clear),
  });
});
