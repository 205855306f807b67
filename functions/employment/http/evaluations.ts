/**
 * The annual evaluation (one entry file per route, see `routes.ts`): the city's, computed by city
 * roles (again, while it waits), approved once by a city approver, then published to every staff
 * member of the city.
 */

import { shanghaiDate } from '../../kernel/domain/dates.js';
import { InvalidRequestError, NotFoundError } from '../../kernel/domain/errors.js';
import { type HttpEvent, HttpProblem, httpHandler, json, pathParameter, validated } from '../../kernel/http/http.js';
import { assertApprovesEvaluation, evaluatingCity, fullEmploymentCsv, standingOf } from '../domain/evaluation.js';
import { publishedCommunities } from '../domain/evaluation-views.js';
import { type CommunityStanding, lastDayOf, yearSchema } from '../domain/full-employment.js';
import { EvaluationClosedError } from '../store/evaluations.js';
import { cityUnits, criteriaOf, csv, type FullEmploymentDependencies } from './full-employment.js';

const yearOf = (event: HttpEvent) => validated(yearSchema, pathParameter(event, 'year'), ['year']);

export function makeComputeEvaluation(deps: FullEmploymentDependencies) {
  return httpHandler(async (event) => {
    const actor = await deps.resolveActor(event);
    const cityId = evaluatingCity(actor);
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
    const cityId = evaluatingCity(actor);
    const year = yearOf(event);
    const evaluation = await deps.evaluations.get(cityId, year);
    if (!evaluation) throw new NotFoundError(`the evaluation of ${year} has not been computed`);
    return json(200, evaluation);
  });
}

export function makeApproveEvaluation(deps: FullEmploymentDependencies) {
  return httpHandler(async (event) => {
    const actor = await deps.resolveActor(event);
    const cityId = evaluatingCity(actor);
    assertApprovesEvaluation(actor);
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
