/** What the fact checker acts on, passed in so tests hand over their own; production wiring below. */
import { calendarRepository, policyRepository } from '../../administration/index.js';
import { residentIdOpenerFromEnvironment } from '../../kernel/adapters/resident-id-opener.js';
import { secretValue } from '../../kernel/runtime/secrets.js';
import { tableFromEnvironment } from '../../kernel/store/table.js';
import { cityDataExchange, pendingChecksRepository } from '../../verification/index.js';
import { applicationRepository } from '../store/applications.js';
import { recheckRunRepository } from '../store/recheck-runs.js';
import { recheckSuspensions } from '../store/recheck-suspensions.js';
import { verificationRecords } from '../store/verification-records.js';
import type { RecheckDependencies } from './monthly-recheck.js';
import type { RerunDependencies } from './rerun-pending.js';

export type FactCheckerDependencies = RecheckDependencies &
  RerunDependencies & {
    /** The cities whose grants the monthly schedule re-checks. */
    cities: () => Promise<string[]>;
  };

export async function productionFactCheckerDependencies(): Promise<FactCheckerDependencies> {
  const table = tableFromEnvironment();
  const policies = policyRepository(table);
  return {
    table,
    applications: applicationRepository(table),
    runs: recheckRunRepository(table),
    suspensions: recheckSuspensions(table),
    policies,
    exchange: cityDataExchange(table, policies, await secretValue('residentIdKey')),
    openResidentId: residentIdOpenerFromEnvironment(),
    verificationRecords: verificationRecords(table),
    pendingChecks: pendingChecksRepository(table),
    now: () => new Date(),
    // Every city that keeps a holiday calendar: the same list the backlog probe watches.
    cities: async () => [...(await calendarRepository(table).everyCity()).keys()],
  };
}
