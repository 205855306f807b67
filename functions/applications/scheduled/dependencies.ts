/** What the fact checker acts on, passed in so tests hand over their own; production wiring below. */
import { calendarRepository, policyRepository } from '../../administration/index.js';
import { residentIdOpenerFromEnvironment } from '../../kernel/adapters/resident-id-opener.js';
import { tableFromEnvironment } from '../../kernel/store/table.js';
import { type DataExchange, SourceUnavailableError } from '../../verification/index.js';
import { applicationRepository } from '../store/applications.js';
import { recheckRunRepository } from '../store/recheck-runs.js';
import { recheckSuspensions } from '../store/recheck-suspensions.js';
import type { RecheckDependencies } from './monthly-recheck.js';

export interface FactCheckerDependencies extends RecheckDependencies {
  /** The cities whose grants the monthly schedule re-checks. */
  cities: () => Promise<string[]>;
}

/**
 * Until the data-exchange adapters (verification's: signed HTTP queries, snapshot files) are wired
 * here, every source answers `not-configured`: every check waits, and nothing is ever suspended on
 * a guess. The run reports each grant as pending.
 */
export const exchangeNotConfigured: DataExchange = {
  ask: async (_cityId, question) => {
    throw new SourceUnavailableError(question.source, 'not-configured');
  },
};

export function productionFactCheckerDependencies(
  exchange: DataExchange = exchangeNotConfigured,
): FactCheckerDependencies {
  const table = tableFromEnvironment();
  return {
    table,
    applications: applicationRepository(table),
    runs: recheckRunRepository(table),
    suspensions: recheckSuspensions(table),
    policies: policyRepository(table),
    exchange,
    openResidentId: residentIdOpenerFromEnvironment(),
    now: () => new Date(),
    // Every city that keeps a holiday calendar: the same list the backlog probe watches.
    cities: async () => [...(await calendarRepository(table).everyCity()).keys()],
  };
}
