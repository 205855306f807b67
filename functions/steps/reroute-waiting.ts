/**
 * RerouteWaiting — run after a deploy that changes a holiday schedule or a policy's deadlines.
 * Each execution that waits for a person waits until a moment its routing computed under the
 * old calendar; this releases every such wait with the "route again" signal, so each routes once
 * under the new one (the deadline recounted and recorded, the next wait computed afresh). No
 * execution polls for such changes. The token is taken off the application first, conditionally,
 * so a person's action at the same moment and this never both release it. Every open
 * application's deadline-due key is rewritten first (run it once after deploying the index, too).
 */
import type { Application } from '../domain/lifecycle.js';
import { routeAgain } from '../sfn/executions.js';
import { builtOnFirstCall } from '../shared/lazy-handler.js';
import { deadlineIndex } from '../store/deadlines.js';
import { tableFromEnvironment } from '../store/table.js';
import { productionStepDependencies, type StepDependencies } from './dependencies.js';

export function makeRerouteWaiting(
  deps: Pick<StepDependencies, 'applications' | 'workflow'> & {
    deadlines?: { reindex(a: Application): Promise<boolean> };
  },
) {
  return async (event: unknown): Promise<{ waiting: number; released: number }> => {
    const reason =
      typeof (event as { reason?: unknown } | undefined)?.reason === 'string'
        ? (event as { reason: string }).reason
        : 'the holiday schedules or deadlines changed';
    let waiting = 0;
    let released = 0;
    for (const { application, waitingTask } of await deps.applications.listOpen()) {
      // The due moment as the deployed code counts it: also indexes applications stored before the deadline-due index.
      await deps.deadlines?.reindex(application);
      if (!waitingTask) continue;
      waiting++;
      if (!(await deps.applications.takeWaitingTask(application.id, waitingTask.token))) continue;
      if (await deps.workflow.release(waitingTask.token, routeAgain(application.id, reason))) released++;
    }
    return { waiting, released };
  };
}

export const handler = builtOnFirstCall(() =>
  makeRerouteWaiting({ ...productionStepDependencies(), deadlines: deadlineIndex(tableFromEnvironment()) }),
);
