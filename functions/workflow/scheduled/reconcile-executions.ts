/**
 * ReconcileExecutions, on a schedule (`workflowOperations.reconcileExecutions.everyMinutes`; the
 * local stack runs it periodically): starts, redrives or releases what a crash or an outage left
 * behind (`functions/workflow/scheduled/reconcile.ts`). An application it gives up on fails the invocation, so the
 * function's error alarm tells a person.
 */

import { type ApplicationRepository, applicationRepository } from '../../applications/index.js';
import {
  type ApprovalWorkflow,
  type ExecutionRepair,
  workflowFromEnvironment,
} from '../../kernel/adapters/approval-workflow.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { logger } from '../../kernel/runtime/logger.js';
import { tableFromEnvironment } from '../../kernel/store/table.js';
import { defaultReconcileOptions, type ReconcileOptions, reconcileExecutions } from './reconcile.js';

export class ApplicationsLeftBehindError extends Error {
  constructor(readonly applicationIds: string[]) {
    super(
      `${applicationIds.length} application(s) failed in every execution the reconciler started: ${applicationIds.join(', ')}`,
    );
    this.name = 'ApplicationsLeftBehindError';
  }
}

export function makeReconcileExecutions(
  deps: {
    applications: Pick<ApplicationRepository, 'listToReconcile' | 'takeWaitingTask'>;
    workflow: Pick<ApprovalWorkflow, 'release'> & ExecutionRepair;
    now: () => Date;
  },
  options: ReconcileOptions = defaultReconcileOptions,
) {
  return async (event?: unknown) => {
    // A run by hand may shorten the grace (`{"graceSeconds": 0}`), e.g. right after an outage.
    const grace = (event as { graceSeconds?: unknown } | undefined)?.graceSeconds;
    const result = await reconcileExecutions(deps, {
      ...options,
      ...(typeof grace === 'number' && grace >= 0 ? { graceSeconds: grace } : {}),
    });
    const { checked, released, started, redriven, gaveUp, failed } = result;
    if (released.length || started.length || redriven.length || failed.length)
      logger.warn('reconciled executions', { checked, released, started, redriven, failed });
    if (gaveUp.length) throw new ApplicationsLeftBehindError(gaveUp);
    return result;
  };
}

export const handler = builtOnFirstCall(() =>
  makeReconcileExecutions({
    applications: applicationRepository(tableFromEnvironment()),
    workflow: workflowFromEnvironment('addresses-machine'),
    now: () => new Date(),
  }),
);
