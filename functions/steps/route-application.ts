/**
 * RouteApplication — the workflow asks what comes next for an application. It also records the
 * deadline events now due (a reminder; overdue with escalation), since a wait that timed out
 * comes back here, and answers how long the next wait lasts: until the next deadline event falls
 * due (the domain computes it), never longer than the state machine's `longestWaitSeconds`.
 */
import * as z from 'zod/mini';
import '../domain/validation-messages.js';
import { deadlineEvent } from '../domain/deadline-events.js';
import { longestWaitSeconds, type RoutedStep, routeOf } from '../domain/next-step.js';
import { builtOnFirstCall } from '../shared/lazy-handler.js';
import { StaleWriteError } from '../store/applications.js';
import { productionStepDependencies, type StepDependencies } from './dependencies.js';

const routeInput = z.object({
  applicationId: z.string().check(z.minLength(1)),
  /** The longest wait the state machine allows (tests shorten it); the domain's own cap otherwise. */
  longestWaitSeconds: z.optional(z.number().check(z.int(), z.minimum(1))),
});

/** The execution names an application the table does not hold: a fault to surface, never to retry into success. */
export class ApplicationMissingError extends Error {
  constructor(id: string) {
    super(`application ${id} is not in the table`);
    this.name = 'ApplicationMissingError';
  }
}

export function makeRouteApplication(deps: Pick<StepDependencies, 'applications' | 'policies' | 'now'>) {
  return async (event: unknown): Promise<RoutedStep & { applicationId: string }> => {
    const { applicationId, longestWaitSeconds: longest = longestWaitSeconds } = routeInput.parse(event);
    let stored = await deps.applications.get(applicationId);
    if (!stored) throw new ApplicationMissingError(applicationId);
    const policy = await deps.policies.ofApplication(stored.application);
    for (let due = deadlineEvent(stored.application, policy, deps.now().toISOString()); due; ) {
      try {
        await deps.applications.commit(stored, due);
        stored = { ...stored, application: due.application };
      } catch (error) {
        // Someone acted at the same moment: carry on from what they left.
        if (!(error instanceof StaleWriteError)) throw error;
        stored = await deps.applications.get(applicationId);
        if (!stored) throw new ApplicationMissingError(applicationId);
      }
      due = deadlineEvent(stored.application, policy, deps.now().toISOString());
    }
    return { applicationId, ...routeOf(stored.application, policy, deps.now().toISOString(), longest) };
  };
}

export const handler = builtOnFirstCall(() => makeRouteApplication(productionStepDependencies()));
