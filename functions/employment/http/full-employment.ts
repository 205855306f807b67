/**
 * The full-employment scorecard (one entry file per route, see `routes.ts`), read from the
 * ledger's month counters, the households' episodes and the throughput counters (subsidies
 * granted): any staff member reads the units their own unit covers. What the scorecard and the
 * evaluation (`evaluations.ts`) share is here too: their dependencies, the city's units and criteria.
 */

import {
  type ActorResolution,
  type AdminLogRepository,
  adminLogRepository,
  type PolicyRepository,
  policyRepository,
  productionActorResolver,
  type UnitRepository,
  unitRepository,
} from '../../administration/index.js';
import { historyMacFromEnvironment } from '../../kernel/adapters/history-mac.js';
import { shanghaiDate } from '../../kernel/domain/dates.js';
import { ForbiddenError, InvalidRequestError } from '../../kernel/domain/errors.js';
import { defaultFullEmploymentCriteria } from '../../kernel/domain/policy.js';
import { type ProgrammeId, programmeIds } from '../../kernel/domain/programmes.js';
import type { Unit } from '../../kernel/domain/units.js';
import { type HttpEvent, type HttpResult, httpHandler, json, validated } from '../../kernel/http/http.js';
import { tableFromEnvironment } from '../../kernel/store/table.js';
import { type MetricsRepository, metricsRepository } from '../../monitoring/index.js';
import type { Household } from '../domain/employment-ledger.js';
import {
  type GrantedFigures,
  lastDayOf,
  monthsOf,
  type Scorecard,
  scorecardQuerySchema,
} from '../domain/full-employment.js';
import { scorecardCsv, scorecardOf } from '../domain/scorecard.js';
import { type EmploymentLedgerRepository, employmentLedgerRepository } from '../store/employment-ledger.js';
import { type EvaluationRepository, evaluationRepository } from '../store/evaluations.js';

export interface FullEmploymentDependencies extends ActorResolution {
  ledger: Pick<EmploymentLedgerRepository, 'months' | 'community'>;
  metrics: Pick<MetricsRepository, 'read'>;
  units: Pick<UnitRepository, 'get' | 'current'>;
  policies: Pick<PolicyRepository, 'inForce'>;
  evaluations: EvaluationRepository;
  adminLog: AdminLogRepository;
  now: () => Date;
}

export function productionFullEmploymentDependencies(): FullEmploymentDependencies {
  const table = tableFromEnvironment();
  return {
    resolveActor: productionActorResolver(),
    ledger: employmentLedgerRepository(table, historyMacFromEnvironment()),
    metrics: metricsRepository(table),
    units: unitRepository(table),
    policies: policyRepository(table),
    evaluations: evaluationRepository(table),
    adminLog: adminLogRepository(table),
    now: () => new Date(),
  };
}

/** The city's units as its tree stands now. */
export async function cityUnits(deps: FullEmploymentDependencies, cityId: string): Promise<Unit[]> {
  return (await deps.units.current(cityId))?.units ?? [];
}

/** The city's full-employment criteria in force on `on` (the defaults when its policy names none). */
export async function criteriaOf(deps: FullEmploymentDependencies, cityId: string, on: string) {
  return (await deps.policies.inForce(cityId, on))?.fullEmployment ?? defaultFullEmploymentCriteria;
}

/** Final approvals (count and fen) per programme granted in the unit's subtree during the period, from the throughput counters. */
async function subsidiesOf(deps: FullEmploymentDependencies, unit: Unit, period: string) {
  const { from } = monthsOf(period);
  const figures: Partial<Record<ProgrammeId, GrantedFigures>> = {};
  const read = await Promise.all(
    programmeIds.map(async (programme) => ({
      programme,
      rows: (await deps.metrics.read(unit.path, programme, `${from}-01`, lastDayOf(period))).rows,
    })),
  );
  for (const { programme, rows } of read) {
    const count = rows.reduce((n, r) => n + r.counters.events.approved, 0);
    const fen = rows.reduce((n, r) => n + (r.counters.grantedFen[programme] ?? 0), 0);
    if (count || fen) figures[programme] = { count, fen };
  }
  return figures;
}

/** One unit's card; `households` are those of every community the request covers (each community read once), by community. */
async function scorecardOfUnit(
  deps: FullEmploymentDependencies,
  unit: Unit,
  households: ReadonlyMap<string, readonly Household[]>,
  period: string,
  today: string,
  targetRate: number,
): Promise<Scorecard> {
  const [rows, subsidies] = await Promise.all([
    deps.ledger.months(unit.id, monthsOf(period).to),
    subsidiesOf(deps, unit, period),
  ]);
  return scorecardOf({
    unit: unit.id,
    unitName: unit.name,
    period,
    today,
    rows,
    households: [...households.values()].flat().filter((h) => h.unitPath.includes(unit.id)),
    subsidies,
    targetRate,
  });
}

/** The scorecard of the unit the query names (or the caller's), with one line per child unit. */
export async function readScorecard(deps: FullEmploymentDependencies, event: HttpEvent): Promise<Scorecard> {
  const actor = await deps.resolveActor(event);
  const query = validated(scorecardQuerySchema, event.queryStringParameters ?? {});
  const unitId = query.unit ?? actor.unit;
  const unit = await deps.units.get(unitId);
  if (!unit) throw new InvalidRequestError(`no unit ${unitId}`, [{ field: 'unit', message: 'not a unit of any city' }]);
  if (!unit.path.includes(actor.unit)) throw new ForbiddenError(`${unitId} is outside ${actor.unit}`);
  const cityId = unit.path[0] as string;
  const today = shanghaiDate(deps.now());
  const { targetRate } = await criteriaOf(deps, cityId, today);
  const all = await cityUnits(deps, cityId);
  const children = all.filter((u) => u.path.length === unit.path.length + 1 && u.path.includes(unit.id));
  const communities = all.filter((u) => u.id.startsWith('community:') && u.path.includes(unit.id));
  const households = new Map(
    await Promise.all(communities.map(async (c) => [c.id, (await deps.ledger.community(c.id)).households] as const)),
  );
  const [card, ...childCards] = await Promise.all(
    [unit, ...children].map((u) => scorecardOfUnit(deps, u, households, query.period, today, targetRate)),
  );
  return { ...(card as Scorecard), ...(childCards.length ? { children: childCards } : {}) };
}

export function makeScorecard(deps: FullEmploymentDependencies) {
  return httpHandler(async (event) => json(200, await readScorecard(deps, event)));
}

/** A CSV download. */
export const csv = (name: string, body: string): HttpResult => ({
  statusCode: 200,
  headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"` },
  body,
});

export function makeScorecardCsv(deps: FullEmploymentDependencies) {
  return httpHandler(async (event) => {
    const card = await readScorecard(deps, event);
    return csv(`scorecard-${card.unit.replace(':', '-')}-${card.period}.csv`, scorecardCsv(card, programmeIds));
  });
}
