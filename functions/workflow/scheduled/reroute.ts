/**
 * Releases waiting executions with the "route again" signal, so each routes once more and counts
 * its deadline on the calendar now in force (the deadline recounted and recorded, the next wait
 * computed afresh). The token is released first and taken off the application after: a token
 * taken off first, by a write whose answer was lost, would be held by no one. Should a person's
 * action release it at the same moment, Step Functions accepts one of the two; the other is told
 * the task no longer waits, and the version conditions route what follows. Used after a deploy
 * (`steps/reroute-waiting.ts`) and after a city puts a calendar (`PUT /calendars/{year}`).
 */
import type { ApplicationRepository, StoredApplication } from '../../applications/index.js';
import { type ApprovalWorkflow, routeAgain } from '../../kernel/adapters/approval-workflow.js';

export async function rerouteWaiting(
  deps: {
    applications: Pick<ApplicationRepository, 'listOpen' | 'takeWaitingTask'>;
    workflow: Pick<ApprovalWorkflow, 'release'>;
  },
  reason: string,
  which: (stored: StoredApplication) => boolean = () => true,
  /** Rewrites the application's deadline-due moment under the calendars now in force, first. */
  reindex?: (stored: StoredApplication) => Promise<unknown>,
): Promise<{ waiting: number; released: number }> {
  let waiting = 0;
  let released = 0;
  for (const stored of await deps.applications.listOpen()) {
    const { application, waitingTask } = stored;
    if (!which(stored)) continue;
    await reindex?.(stored);
    if (!waitingTask) continue;
    waiting++;
    if (await deps.workflow.release(waitingTask.token, routeAgain(application.id, reason))) released++;
    // Released (or no longer waiting): if taking it off fails, the execution's next wait records its own token over it.
    await deps.applications.takeWaitingTask(application.id, waitingTask.token).catch(() => false);
  }
  return { waiting, released };
}
