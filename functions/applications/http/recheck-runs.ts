/**
 * What the routes of the monthly re-check share: who may ask for a run or read its report (a city
 * monitor or a city administrator, for their own city), the month they name, and the report.
 */
import type { Actor } from '../../kernel/domain/actor.js';
import { ForbiddenError } from '../../kernel/domain/errors.js';
import { unitLevel } from '../../kernel/domain/units.js';
import type { RecheckRun } from '../store/recheck-runs.js';
import type { SuspendedGrant } from '../store/recheck-suspensions.js';

/** The city whose runs the actor may ask for and read: their own, as its monitor or administrator. */
export function recheckCityOf(actor: Actor): string {
  if (actor.role !== 'city-monitor' && actor.role !== 'city-admin')
    throw new ForbiddenError(
      `the ${actor.role} role does not run the monthly re-check; city monitors and administrators do`,
    );
  if (unitLevel(actor.unit) !== 'city') throw new ForbiddenError(`${actor.unit} is not a city`);
  return actor.unit;
}

/** A run's report: where it stands, what it checked, what it suspended and what waits on data. */
export function recheckReport(run: RecheckRun, suspended: readonly SuspendedGrant[]) {
  return {
    cityId: run.cityId,
    month: run.month,
    status: run.status,
    round: run.round,
    requestedAt: run.requestedAt,
    ...(run.startedAt ? { startedAt: run.startedAt } : {}),
    ...(run.finishedAt ? { finishedAt: run.finishedAt } : {}),
    grantsChecked: run.checked,
    pending: { grants: run.pendingGrants, checks: run.pendingChecks },
    suspended: suspended.map((s) => ({
      applicationId: s.applicationId,
      programme: s.programme,
      communityId: s.communityId,
      suspendedFrom: s.suspendedFrom,
      reason: s.reason,
    })),
  };
}
