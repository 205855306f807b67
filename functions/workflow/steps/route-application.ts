/**
 * RouteApplication — the workflow asks what comes next for an application. It first records any
 * deadline event already due that the deadline sweep has not recorded yet (after a restart, a
 * holiday schedule change, or the longest wait), then answers the next step and how long the
 * wait for a person lasts at most (the state machine's `longestWaitSeconds`).
 */

import * as z from 'zod/mini';
import { type Application, longestWaitSeconds, type RoutedStep, routeOf } from '../../applications/index.js';
import { verificationOf } from '../../kernel/domain/verification-policy.js';
import { checksAreStale, checksToRun } from '../../verification/index.js';
import '../../kernel/domain/validation-messages.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { transientErrorsNamed } from '../../kernel/runtime/transient-errors.js';
import { productionStepDependencies, type StepDependencies } from './dependencies.js';
import { ApplicationMissingError, recordDueDeadlineEvents } from './record-deadline-events.js';

const routeInput = z.object({
  applicationId: z.string().check(z.minLength(1)),
  /** The longest wait the state machine allows (tests shorten it); the domain's own cap otherwise. */
  longestWaitSeconds: z.optional(z.number().check(z.int(), z.minimum(1))),
});

export function makeRouteApplication(
  deps: Pick<StepDependencies, 'applications' | 'policies' | 'now' | 'pendingChecks'>,
) {
  return async (event: unknown): Promise<RoutedStep & { applicationId: string }> => {
    const { applicationId, longestWaitSeconds: longest = longestWaitSeconds } = routeInput.parse(event);
    const read = await deps.applications.get(applicationId);
    if (!read) throw new ApplicationMissingError(applicationId);
    const { stored } = await recordDueDeadlineEvents(deps, read);
    const route = routeOf(stored.application, longest);
    if (route.action === 'await-decision') await markStaleChecks(deps, stored.application);
    return { applicationId, ...route };
  };
}

/**
 * Checks older than the policy allows are re-run before anyone decides: marked here, as the
 * application arrives at a stage, for the re-runner (the only function that may open the sealed
 * ID), so they are fresh by the time an approver opens it; no state of the workflow is added.
 */
async function markStaleChecks(
  deps: Pick<StepDependencies, 'policies' | 'now' | 'pendingChecks'>,
  application: Application,
): Promise<void> {
  const verification = application.verification;
  if (!verification) return;
  const policy = await deps.policies.ofApplication(application);
  const { maxAgeDays } = checksToRun(verificationOf(policy, application.programme), policy.verification.maxAgeDays);
  const now = deps.now();
  if (!checksAreStale(verification, maxAgeDays, now)) return;
  await deps.pendingChecks.mark({
    cityId: application.cityId,
    applicationId: application.id,
    why: 'stale',
    since: now.toISOString(),
  });
}

export const handler = builtOnFirstCall(() => transientErrorsNamed(makeRouteApplication(productionStepDependencies())));
