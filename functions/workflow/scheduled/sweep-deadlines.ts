/**
 * SweepDeadlines — run on a schedule (every minute on AWS; on an interval and at each due moment
 * on one machine). Reads from the deadline-due index the applications whose next deadline event
 * has fallen due and records it (reminder; overdue with escalation; a deadline recounted), each
 * with a conditional commit, so a sweep that overlaps another, or a routing, records nothing
 * twice. No workflow execution wakes for a deadline: a waiting one stays waiting for its person,
 * which is what keeps an application's state transitions to those of its decisions.
 */
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { logger } from '../../kernel/runtime/logger.js';
import { productionSweepDependencies, type SweepDependencies } from '../steps/dependencies.js';
import { recordDueDeadlineEvents } from '../steps/record-deadline-events.js';

/** Applications one sweep takes at most; what is left is due at the next sweep, a minute later. */
export const applicationsPerSweep = 1000;
/** Applications recorded at once: enough to finish a full sweep well inside the function's timeout. */
const concurrency = 8;

export function makeSweepDeadlines(deps: SweepDependencies) {
  return async (_event?: unknown): Promise<{ due: number; recorded: number }> => {
    const ids = await deps.deadlines.due(deps.now().toISOString(), applicationsPerSweep);
    let recorded = 0;
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, ids.length) }, async () => {
        for (let index = next++; index < ids.length; index = next++) {
          const id = ids[index] as string;
          // The index is read eventually consistently: the application may have moved on since; it is read again here.
          const read = await deps.applications.get(id);
          if (!read) {
            logger.error('the deadline-due index names an application the table does not hold', { applicationId: id });
            continue;
          }
          // Read the answer first: `recorded += await …` would add to the total as it was before the await.
          const answer = await recordDueDeadlineEvents(deps, read);
          recorded += answer.recorded;
          // Nothing was due after all (indexed without the city's policy, or early): index it right.
          if (!answer.recorded) await deps.deadlines.reindex(answer.stored.application, answer.policy);
        }
      }),
    );
    return { due: ids.length, recorded };
  };
}

export const handler = builtOnFirstCall(() => makeSweepDeadlines(productionSweepDependencies()));
