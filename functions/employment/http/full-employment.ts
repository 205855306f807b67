/**
 * The full-employment scorecard and the annual evaluation (one entry file per route, see
 * `routes.ts`). The scorecard is read from the ledger's month counters, the households' episodes
 * and the throughput counters (subsidies granted); any staff member reads the units their own
 * unit covers. The evaluation is the city's: computed by city roles, approved once by a city
 * approver, then published to every staff member of the city.
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
import type { Actor } from '../../kernel/domain/actor.js';
import { shanghaiDate } from '../../kernel/domain/dates.js';
import { ForbiddenError, InvalidRequestError, NotFoundError } from '../../kernel/domain/errors.js';
import { defaultFullEmploymentCriteria } from '../../kernel/domain/policy.js';
import { type ProgrammeId, programmeIds } from '../../kernel/domain/programmes.js';
import type { Unit } from '../../kernel/domain/units.js';
import {
  type HttpEvent,
  HttpProblem,
  type HttpResult,
  httpHandler,
  json,
  pathParameter,
  validated,
} from '../../kernel/http/http.js';
import { tableFromEnvironment } from '../../kernel/store/table.js';
import { type MetricsRepository, metricsRepository } from '../../monitoring/index.js';
import type { Household } from '../domain/employment-ledger.js';
import { publishedCommunities } from '../domain/evaluation-views.js';
import {
  type CommunityStanding,
  fullEmploymentCsv,
  type GrantedFigures,
  lastDayOf,
  monthsOf,
  type Scorecard,
  scorecardCsv,
  scorecardOf,
  scorecardQuerySchema,
  standingOf,
  yearSchema,
} from '../domain/full-employment.js';
import { type EmploymentLedgerRepository, employmentLedgerRepository } from '../store/employment-ledger.js';
import { EvaluationClosedError, type EvaluationRepository, evaluationRepository } from '../store/evaluations.js';

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

async function cityUnits(deps: FullEmploymentDependencies, cityId: string): Promise<Unit[]> {
  return (await deps.units.current(cityId))?.units ?? [];
}

async function criteriaOf(deps: FullEmploymentDependencies, cityId: string, on: string) {
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

const csv = (name: string, body: string): HttpResult => ({
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

// ── the evaluation ─────────────────────────────────────────────────────────────────────

const cityRoles = new Set(['city-approver', 'city-monitor', 'city-admin']);

function assertCityRole(actor: Actor): string {
  if (!cityRoles.has(actor.role) || !actor.unit.startsWith('city:'))
    throw new ForbiddenError(`the ${actor.role} role at ${actor.unit} does not evaluate communities; the city does`);
  return actor.unit;
}

const yearOf = (event: HttpEvent) => validated(yearSchema, pathParameter(event, 'year'), ['year']);

export function makeComputeEvaluation(deps: FullEmploymentDependencies) {
  return httpHandler(async (event) => {
    const actor = await deps.resolveActor(event);
    const cityId = assertCityRole(actor);
    const year = yearOf(event);
    const today = shanghaiDate(deps.now());
    if (`${year}-01-01` > today)
      throw new InvalidRequestError(`${year} has not begun`, [{ field: 'year', message: 'must not be in the future' }]);
    const asOf = lastDayOf(year) < today ? lastDayOf(year) : today;
    const criteria = await criteriaOf(deps, cityId, asOf);
    const communities = (await cityUnits(deps, cityId)).filter((u) => u.id.startsWith('community:'));
    const standings: CommunityStanding[] = await Promise.all(
      communities.map(async (c) =>
        standingOf({
          communityId: c.id,
          communityName: c.name,
          year,
          asOf,
          rows: await deps.ledger.months(c.id, `${year}-12`),
          households: (await deps.ledger.community(c.id)).households,
          criteria,
        }),
      ),
    );
    try {
      const stored = await deps.evaluations.putComputed({
        cityId,
        year,
        asOf,
        criteria,
        standings,
        computedAt: deps.now().toISOString(),
        computedBy: actor.sub,
      });
      return json(200, stored);
    } catch (error) {
      if (error instanceof EvaluationClosedError) throw closed(error);
      throw error;
    }
  });
}

const closed = (error: EvaluationClosedError) =>
  new HttpProblem(409, 'Evaluation approved', error.message, [], {
    year: error.year,
    ...(error.approvedBy ? { approvedBy: error.approvedBy } : {}),
  });

export function makeGetEvaluation(deps: FullEmploymentDependencies) {
  return httpHandler(async (event) => {
    const actor = await deps.resolveActor(event);
    const cityId = assertCityRole(actor);
    const year = yearOf(event);
    const evaluation = await deps.evaluations.get(cityId, year);
    if (!evaluation) throw new NotFoundError(`the evaluation of ${year} has not been computed`);
    return json(200, evaluation);
  });
}

export function makeApproveEvaluation(deps: FullEmploymentDependencies) {
  return httpHandler(async (event) => {
    const actor = await deps.resolveActor(event);
    const cityId = assertCityRole(actor);
    if (actor.role !== 'city-approver') throw new ForbiddenError('only a city approver approves the evaluation');
    const year = yearOf(event);
    const current = await deps.evaluations.get(cityId, year);
    if (!current) throw new NotFoundError(`the evaluation of ${year} has not been computed`);
    try {
      const approved = await deps.evaluations.approve(
        deps.adminLog,
        cityId,
        year,
        current.version,
        actor.sub,
        deps.now().toISOString(),
      );
      if (!approved) throw new NotFoundError(`the evaluation of ${year} has not been computed`);
      return json(200, approved);
    } catch (error) {
      if (error instanceof EvaluationClosedError) throw closed(error);
      throw error;
    }
  });
}

/** The published list: the approved evaluation's full-employment communities, for every staff member of the city. */
async function publishedList(deps: FullEmploymentDependencies, event: HttpEvent) {
  const actor = await deps.resolveActor(event);
  const year = yearOf(event);
  const unit = await deps.units.get(actor.unit);
  const cityId = unit?.path[0] ?? actor.unit;
  const evaluation = await deps.evaluations.get(cityId, year);
  if (evaluation?.status !== 'approved')
    throw new NotFoundError(`no approved evaluation of ${year} has been published`);
  return evaluation;
}

export function makePublishedCommunities(deps: FullEmploymentDependencies) {
  return httpHandler(async (event) => {
    return json(200, publishedCommunities(await publishedList(deps, event)));
  });
}

export function makePublishedCommunitiesCsv(deps: FullEmploymentDependencies) {
  return httpHandler(async (event) => {
    const evaluation = await publishedList(deps, event);
    return csv(
      `full-employment-communities-${evaluation.year}.csv`,
      fullEmploymentCsv(evaluation.year, evaluation.standings),
    );
  });
}
