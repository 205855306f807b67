/**
 * AwaitDecision / AwaitResubmission — the execution waits for a person. This step stores its
 * callback token with the application, so the person's action can release it. If the
 * application moved on before the token was stored, no one else will ever hold the token,
 * so the step releases it at once with the "route again" signal.
 */
import * as z from 'zod/mini';
import '../../kernel/domain/validation-messages.js';
import { routeAgain } from '../../kernel/adapters/approval-workflow.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { transientErrorsNamed } from '../../kernel/runtime/transient-errors.js';
import { productionStepDependencies, type StepDependencies } from './dependencies.js';

const awaitInput = z.object({
  applicationId: z.string().check(z.minLength(1)),
  version: z.number().check(z.int(), z.minimum(1)),
  taskToken: z.string().check(z.minLength(1)),
  waitingState: z.string().check(z.minLength(1)),
  stateInput: z.record(z.string(), z.unknown()),
});

export function makeAwaitPerson(deps: Pick<StepDependencies, 'applications' | 'workflow'>) {
  return async (event: unknown): Promise<{ recorded: boolean }> => {
    const { applicationId, version, taskToken, waitingState, stateInput } = awaitInput.parse(event);
    const recorded = await deps.applications.recordWaitingTask(applicationId, version, {
      token: taskToken,
      state: waitingState,
      input: stateInput,
    });
    if (!recorded) await deps.workflow.release(taskToken, routeAgain(applicationId, 'moved on before the wait began'));
    return { recorded };
  };
}

export const handler = builtOnFirstCall(() => transientErrorsNamed(makeAwaitPerson(productionStepDependencies())));
