/**
 * RouteApplication — the workflow asks what comes next for an application. It first records any
 * deadline event already due that the deadline sweep has not recorded yet (after a restart, a
 * holiday schedule change, or the longest wait), then answers the next step and how long the
 * wait for a person lasts at most (the state machine's `longestWaitSeconds`).
 */

import * as z from 'zod/mini';
import { longestWaitSeconds, type RoutedStep, routeOf } from '../../applications/index.js';
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

export function makeRouteApplication(deps: Pick<StepDependencies, 'applications' | 'policies' | 'now'>) {
  return async (event: unknown): Promise<RoutedStep & { applicationId: string }> => {
    const { applicationId, longestWaitSeconds: longest = longestWaitSeconds } = routeInput.parse(event);
    const read = await deps.applications.get(applicationId);
    if (!read) throw new ApplicationMissingError(applicationId);
    const { stored } = await recordDueDeadlineEvents(deps, read);
    return { applicationId, ...routeOf(stored.application, longest) };
  };
}

export const handler = builtOnFirstCall(() => transientErrorsNamed(makeRouteApplication(productionStepDependencies())));
