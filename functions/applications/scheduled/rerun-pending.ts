/**
 * The re-runner: every few minutes, each application whose checks wait on data is checked again,
 * so a source that comes back answers them without anyone acting. While a source stays down its
 * circuit is open and each re-run fails fast, so running them all each time costs little; an
 * application that waits longer is simply asked again next time.
 */
import { logger } from '../../kernel/runtime/logger.js';
import type { PendingChecksRepository } from '../../verification/index.js';
import { type ApplicationRecheckDependencies, recheckApplication } from './recheck-application.js';

export interface RerunDependencies extends ApplicationRecheckDependencies {
  pendingChecks: PendingChecksRepository;
}

export interface RerunReport {
  answered: number;
  stillPending: number;
  cleared: number;
}

/** At most this many re-checks at once: each asks a few sources in parallel. */
const concurrency = 4;

export async function rerunPendingChecks(deps: RerunDependencies): Promise<RerunReport> {
  const report: RerunReport = { answered: 0, stillPending: 0, cleared: 0 };
  const queue = await deps.pendingChecks.list();
  const worker = async () => {
    for (let pending = queue.shift(); pending; pending = queue.shift()) {
      const outcome = await recheckApplication(deps, pending.applicationId).catch((error: unknown) => {
        logger.error('re-check failed', { applicationId: pending.applicationId, error: String(error) });
        return 'failed' as const;
      });
      if (outcome === 'pending' || outcome === 'failed' || outcome === 'moved-on') {
        // Moved on: someone changed it meanwhile; read again next time.
        report.stillPending++;
        await deps.pendingChecks.attempted(pending, deps.now().toISOString());
        continue;
      }
      if (outcome === 'answered') report.answered++;
      else report.cleared++;
      await deps.pendingChecks.clear(pending.cityId, pending.applicationId);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return report;
}
