/**
 * RerouteWaiting — run after a deploy that changes a holiday schedule or a policy's deadlines.
 * Each execution that waits for a person waits until a moment its routing computed under the
 * old calendar; this releases every such wait with the "route again" signal, so each routes once
 * under the new one (the deadline recounted and recorded, the next wait computed afresh). No
 * execution polls for such changes. The token is taken off the application first, conditionally,
 * so a person's action at the same moment and this never both release it. Every open
 * application's deadline-due key is rewritten first (run it once after deploying the index, too).
 */

import { type DeadlineIndex, deadlineIndex } from '../../applications/index.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { tableFromEnvironment } from '../../kernel/store/table.js';
import { productionStepDependencies, type StepDependencies } from '../steps/dependencies.js';
import { rerouteWaiting } from './reroute.js';

export function makeRerouteWaiting(
  deps: Pick<StepDependencies, 'applications' | 'workflow' | 'policies'> & {
    deadlines?: Pick<DeadlineIndex, 'reindex'>;
  },
) {
  return async (event: unknown): Promise<{ waiting: number; released: number }> => {
    const reason =
      typeof (event as { reason?: unknown } | undefined)?.reason === 'string'
        ? (event as { reason: string }).reason
        : 'the holiday schedules or deadlines changed';
    // The due moment as the deployed code and the city's calendars count it: this also indexes
    // applications stored before the deadline-due index existed.
    return rerouteWaiting(deps, reason, undefined, async ({ application }) =>
      deps.deadlines?.reindex(application, await deps.policies.ofApplication(application)),
    );
  };
}

export const handler = builtOnFirstCall(() =>
  makeRerouteWaiting({ ...productionStepDependencies(), deadlines: deadlineIndex(tableFromEnvironment()) }),
);
