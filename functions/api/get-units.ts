/**
 * GET /units?version=&format=csv — the caller's city's unit tree in force (or an earlier version),
 * as rows `{id, name, parent, level}`; `format=csv` gives the CSV `PUT /units` takes. For the city's
 * administrator; any other role → 403.
 */
import { NotFoundError } from '../domain/errors.js';
import { builtOnFirstCall } from '../shared/lazy-handler.js';
import { type AdminDependencies, administeredCity, productionAdminDependencies } from './admin-dependencies.js';
import { httpHandler, json, validated } from './http.js';
import { unitsQuerySchema } from './request-schemas.js';
import { unitTreeCsv, unitTreeView } from './unit-views.js';

export function makeGetUnits(deps: Pick<AdminDependencies, 'resolveActor' | 'units'>) {
  return httpHandler(async (event) => {
    const cityId = administeredCity(await deps.resolveActor(event));
    const query = validated(unitsQuerySchema, event.queryStringParameters ?? {});
    const tree =
      query.version === undefined ? await deps.units.current(cityId) : await deps.units.version(cityId, query.version);
    if (!tree) throw new NotFoundError(`${cityId} has no units${query.version ? ` version ${query.version}` : ''} yet`);
    if (query.format === 'csv')
      return {
        statusCode: 200,
        headers: { 'content-type': 'text/csv; charset=utf-8' },
        body: unitTreeCsv(tree.units),
      };
    return json(200, unitTreeView(tree));
  });
}

export const handler = builtOnFirstCall(() => makeGetUnits(productionAdminDependencies()));
