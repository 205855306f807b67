/**
 * The one way a person's action changes an application: read it, let the domain compute the
 * transition, write it conditionally, then release the execution that waited for it. A final
 * approval is first checked against the person's benefit ledger, and records its grant in the
 * same transaction; whatever path approves (one decision, a batch), it passes here.
 */

import type { PolicyOfApplication } from '../../administration/index.js';
import type { ApprovalWorkflow } from '../../kernel/adapters/approval-workflow.js';
import { ConflictError, NotFoundError } from '../../kernel/domain/errors.js';
import type { CityPolicy } from '../../kernel/domain/policy.js';
import { HttpProblem } from '../../kernel/http/http.js';
import { logger } from '../../kernel/runtime/logger.js';
import type { TransitionMetricsPublisher } from '../../kernel/runtime/metrics.js';
import { finalApprovalVerdict } from '../domain/benefit-ledger.js';
import type { Application, Transition } from '../domain/lifecycle.js';
import { routeOf } from '../domain/next-step.js';
import type { StoredApplication, WaitingTask } from '../store/application-item.js';
import { type ApplicationRepository, type CommitExtras, StaleWriteError } from '../store/applications.js';
import { ActiveApplicationExistsError, type LedgerEntry, personOf } from '../store/benefit-ledger.js';
import { heldElsewhere } from '../store/held-periods.js';

/**
 * A write can lose only to a change that is not a person's (a deadline event) or to another
 * final approval for the same person (the ledger head moved); those leave the application's
 * version alone, so we read again and recompute. A person's change moves the version, and the
 * domain then refuses with a conflict. (The workflow recording its token does not refuse the
 * write: the store hands that token back for release.)
 */
const attemptsAgainstBackgroundWrites = 4;

/**
 * The ledger check of a final approval: the person's grants in the city read with the head's
 * version and the programme's periods held in any city, the domain's verdict, and what the commit
 * must record. Refused approvals answer 409 naming each conflicting grant of the city and its
 * application, and saying only that one exists of another city's (`held-elsewhere`); the
 * application stays with the approver, who may then reject it (reason `duplicate-application`)
 * or return it to have the period corrected.
 */
async function ledgerCheck(
  applications: ChangeDependencies['applications'],
  prior: Application,
  next: Application,
  policy: CityPolicy,
): Promise<LedgerEntry | undefined> {
  if (next.status !== 'approved' || prior.status === 'approved') return undefined;
  const ledger = await applications.personLedger(personOf(next), next.programme);
  const ownStarts = ledger.grants.filter((g) => g.programme === next.programme).map((g) => g.start);
  // Judged by the policy the application was submitted under, as everything else about it.
  const verdict = finalApprovalVerdict(next, ledger.grants, policy, heldElsewhere(ledger.held, ownStarts));
  if (!verdict.allowed) {
    // Nothing is written, so the refusal is logged (ids and rules only, never the person).
    logger.info('final approval refused by the benefit ledger', {
      applicationId: next.id,
      rules: verdict.violations.map((v) => v.rule),
    });
    const conflicting = [
      ...new Set(
        verdict.violations.flatMap((v) => ('conflictingGrant' in v ? [v.conflictingGrant.applicationId] : [])),
      ),
    ];
    throw new HttpProblem(
      409,
      'Refused by the benefit ledger',
      `application ${next.id} cannot be approved: ${verdict.violations.map((v) => v.message).join('; ')}. Reject it (duplicate-application) or return it to correct the period.`,
      [],
      {
        violations: verdict.violations,
        conflictingApplicationIds: conflicting,
        currentVersion: prior.version,
        currentStatus: prior.status,
        currentStage: prior.stage,
      },
    );
  }
  return { ledger, grant: verdict.grant };
}

/** 409 naming the person's application that is still in review or returned for the same programme. */
export function activeApplicationProblem(error: ActiveApplicationExistsError): HttpProblem {
  return new HttpProblem(
    409,
    'An application is already active',
    `this person already has application ${error.existingApplicationId} for ${error.programme} in review or returned; decide or withdraw it first`,
    [],
    { existingApplicationId: error.existingApplicationId, programme: error.programme },
  );
}

/** What a person's change calls: the few functions, so a test hands over plain fakes. */
export interface ChangeDependencies {
  applications: Pick<ApplicationRepository, 'get' | 'commit' | 'personLedger' | 'takeWaitingTask'>;
  workflow: Pick<ApprovalWorkflow, 'release'>;
  now: () => Date;
  publishMetrics: TransitionMetricsPublisher;
  /** The policy version each application was submitted under. */
  policies: PolicyOfApplication;
}

export async function changeApplication(
  deps: ChangeDependencies,
  id: string,
  transitionOf: (stored: StoredApplication, policy: CityPolicy) => Transition,
  extras: Omit<CommitExtras, 'ledger'> = {},
  /** Runs just before the write (the answer's read audit): if it throws, nothing is written. */
  beforeCommit?: (next: Application, policy: CityPolicy) => Promise<void>,
): Promise<{ application: Application; policy: CityPolicy }> {
  for (let attempt = 1; ; attempt++) {
    const stored = await deps.applications.get(id);
    if (!stored) throw new NotFoundError(`no application ${id}`);
    const policy = await deps.policies.ofApplication(stored.application);
    const transition = transitionOf(stored, policy);
    let toRelease: WaitingTask | undefined;
    try {
      const ledger = await ledgerCheck(deps.applications, stored.application, transition.application, policy);
      await beforeCommit?.(transition.application, policy);
      toRelease = await deps.applications.commit(stored, transition, { ...extras, ledger, policy });
    } catch (error) {
      if (error instanceof ActiveApplicationExistsError) throw activeApplicationProblem(error);
      // A concurrent final approval for the same person moved the ledger head: read both again.
      if (!(error instanceof StaleWriteError)) throw error;
      if (attempt < attemptsAgainstBackgroundWrites) continue;
      throw new ConflictError(
        `application ${id} kept changing while this request was written; reload it and try again`,
      );
    }
    deps.publishMetrics(transition.event, stored.application.programme, stored.application.stageEnteredAt);
    if (toRelease) {
      const released = await deps.workflow
        // The next step rides on the release, so the workflow goes straight to it without routing again.
        .release(toRelease.token, {
          applicationId: id,
          ...routeOf(transition.application),
        })
        .catch((error: unknown) => {
          // The change is stored and the token still recorded: the reconciler releases it.
          logger.warn('could not release the waiting execution', { applicationId: id, error: String(error) });
          return undefined;
        });
      if (released === false) logger.warn('waiting execution was not released', { applicationId: id });
      // Released, or no longer waiting (timed out, released by another): its token is of no more use.
      if (released !== undefined) await deps.applications.takeWaitingTask(id, toRelease.token).catch(() => false);
    }
    return { application: transition.application, policy };
  }
}
