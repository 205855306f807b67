/**
 * Records every deadline event due for an application now (a deadline recounted, a reminder,
 * overdue with escalation), one conditional commit each, as the domain's `deadlineEvent` computes
 * them. Safe to run twice at once (the sweep and a routing, two overlapping sweeps): a commit
 * refused because someone else wrote first is read again and computed afresh, so each event is
 * recorded once. A deadline event is not a person's change: a waiting execution stays waiting.
 */
import { deadlineEvent, StaleWriteError, type StoredApplication } from '../../applications/index.js';
import type { CityPolicy } from '../../kernel/domain/policy.js';
import type { StepDependencies } from './dependencies.js';

/** The execution or the index names an application the table does not hold: a fault to surface, never to retry into success. */
export class ApplicationMissingError extends Error {
  constructor(id: string) {
    super(`application ${id} is not in the table`);
    this.name = 'ApplicationMissingError';
  }
}

/** Answers the application as it stands after the events, and how many were recorded. */
export async function recordDueDeadlineEvents(
  deps: Pick<StepDependencies, 'applications' | 'policies' | 'now'>,
  read: StoredApplication,
): Promise<{ stored: StoredApplication; recorded: number; policy: CityPolicy }> {
  let stored = read;
  let recorded = 0;
  const policy = await deps.policies.ofApplication(stored.application);
  for (let due = deadlineEvent(stored.application, policy, deps.now().toISOString()); due; ) {
    try {
      await deps.applications.commit(stored, due, { policy });
      stored = { ...stored, application: due.application };
      recorded++;
    } catch (error) {
      // Someone acted at the same moment: carry on from what they left.
      if (!(error instanceof StaleWriteError)) throw error;
      const again = await deps.applications.get(stored.application.id);
      if (!again) throw new ApplicationMissingError(stored.application.id);
      stored = again;
    }
    due = deadlineEvent(stored.application, policy, deps.now().toISOString());
  }
  return { stored, recorded, policy };
}
