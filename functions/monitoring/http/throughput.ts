/**
 * GET /metrics/throughput — what city monitoring staff read: submissions, decisions, backlog,
 * deadlines passed, time in stage and amounts granted for a unit's subtree, broken down by period
 * and by the unit's children. Read from the counters only (a few key-range queries), never from
 * the events. `throughput-csv.ts` answers the same rows as CSV.
 */

import {
  type ActorResolution,
  productionActorResolver,
  type UnitRepository,
  unitRepository,
} from '../../administration/index.js';
import { shanghaiDate } from '../../kernel/domain/dates.js';
import { ForbiddenError, InvalidRequestError } from '../../kernel/domain/errors.js';
import { type HttpEvent, httpHandler, json, validated } from '../../kernel/http/http.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { tableFromEnvironment } from '../../kernel/store/table.js';
import { assertRange, throughputQuerySchema } from '../domain/throughput-periods.js';
import { assembleThroughput, type Throughput, throughputCsv } from '../domain/throughput-report.js';
import { allProgrammes, type MetricsRepository, metricsRepository } from '../store/metrics.js';

export interface ThroughputDependencies extends ActorResolution {
  metrics: Pick<MetricsRepository, 'read'>;
  units: Pick<UnitRepository, 'get'>;
  now: () => Date;
}

export function productionThroughputDependencies(): ThroughputDependencies {
  const table = tableFromEnvironment();
  return {
    resolveActor: productionActorResolver(),
    metrics: metricsRepository(table),
    units: unitRepository(table),
    now: () => new Date(),
  };
}

/** The query string, checked; a bad parameter is a 422 naming it. */
function throughputQuery(event: HttpEvent) {
  const query = validated(throughputQuerySchema, event.queryStringParameters ?? {});
  assertRange(query);
  return query;
}

/** The figures a city monitor may read: only its own unit's subtree. */
export async function readThroughput(deps: ThroughputDependencies, event: HttpEvent): Promise<Throughput> {
  const actor = await deps.resolveActor(event);
  if (actor.role !== 'city-monitor')
    throw new ForbiddenError(`the ${actor.role} role does not read throughput figures; city monitors do`);
  const query = throughputQuery(event);
  const unitId = query.unit ?? actor.unit;
  const unit = await deps.units.get(unitId);
  if (!unit) throw new InvalidRequestError(`no unit ${unitId}`, [{ field: 'unit', message: 'not a unit of any city' }]);
  if (!unit.path.includes(actor.unit))
    throw new ForbiddenError(`${unitId} is outside ${actor.unit}, which this monitor watches`);

  // Rows after `to` (up to today) wind the backlog back from now to the end of each period.
  const today = shanghaiDate(deps.now());
  const readTo = query.to > today ? query.to : today;
  const { rows, backlogNow } = await deps.metrics.read(unit.path, query.programme ?? allProgrammes, query.from, readTo);
  const children = [...new Set([...rows.map((r) => r.child), ...backlogNow.keys()])];
  const named = await Promise.all(children.map(async (id) => [id, (await deps.units.get(id))?.name] as const));
  const unitNames = new Map(named.filter((entry): entry is readonly [string, string] => entry[1] !== undefined));
  return assembleThroughput({ query: { ...query, unit: unitId }, rows, backlogNow, unitNames });
}

export function makeThroughput(deps: ThroughputDependencies) {
  return httpHandler(async (event) => json(200, await readThroughput(deps, event)));
}

/** The same figures' rows as a CSV file Excel opens with its Chinese text intact. */
export function makeThroughputCsv(deps: ThroughputDependencies) {
  return httpHandler(async (event) => {
    const throughput = await readThroughput(deps, event);
    const name = `throughput-${throughput.unit.replace(':', '-')}-${throughput.from}-${throughput.to}.csv`;
    return {
      statusCode: 200,
      headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"` },
      body: throughputCsv(throughput),
    };
  });
}

export const handler = builtOnFirstCall(() => makeThroughput(productionThroughputDependencies()));
