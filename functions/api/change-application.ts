/**
 * The one way a person's action changes an application: read it, let the domain compute the
 * transition, write it conditionally, then release the execution that waited for it.
 */
import { ConflictError, NotFoundError } from '../domain/errors.js';
import type { Application, Transition } from '../domain/lifecycle.js';
import { StaleWriteError, type StoredApplication } from '../store/applications.js';
import type { ApiDependencies } from './dependencies.js';
import { logLine } from './http.js';

/**
 * A write can lose only to a change that is not a person's (the workflow recording its token,
 * a deadline flag); those leave the version alone, so we read again and recompute. A person's
 * change moves the version, and the domain then refuses with a conflict.
 */
const attemptsAgainstBackgroundWrites = 4;

export async function changeApplication(
  deps: Pick<ApiDependencies, 'applications' | 'workflow'>,
  id: string,
  transitionOf: (stored: StoredApplication) => Transition,
): Promise<{ application: Application }> {
  for (let attempt = 1; ; attempt++) {
    const stored = await deps.applications.get(id);
    if (!stored) throw new NotFoundError(`no application ${id}`);
    const transition = transitionOf(stored);
    try {
      await deps.applications.commit(stored, transition);
    } catch (error) {
      if (!(error instanceof StaleWriteError)) throw error;
      if (attempt < attemptsAgainstBackgroundWrites) continue;
      throw new ConflictError(`application ${id} kept changing while this request was written; reload it and try again`);
    }
    if (stored.waitingTask) {
      const released = await deps.workflow
        .release(stored.waitingTask.token, { applicationId: id, version: transition.application.version })
        .catch((error: unknown) => {
          // The change is stored; the execution wakes at its timeout and routes from the stored state.
          logLine('warn', 'could not release the waiting execution', { applicationId: id, error: String(error) });
          return false;
        });
      if (!released) logLine('warn', 'waiting execution was not released', { applicationId: id });
    }
    return { application: transition.application };
  }
}
