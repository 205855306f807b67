/**
 * GET /units?version=&format=csv — the caller's city's unit tree in force (or an earlier version),
 * as rows `{id, name, parent, level}`; `format=csv` gives the CSV `PUT /units` takes. The tree in
 * force is for every member of the city's staff: a unit's name is the city's public organisation,
 * and a clerk or an approver reads 革新街第02社区 where the data says `community:gexin-02`. Earlier
 * versions and the CSV are the administrator's (any other role → 403).
 */

import type { Actor } from '../../kernel/domain/actor.js';
import { ForbiddenError, NotFoundError } from '../../kernel/domain/errors.js';
import { httpHandler, json, validated } from '../../kernel/http/http.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { unitTreeCsv, unitTreeView } from '../domain/unit-views.js';
import { type AdminDependencies, administeredCity, productionAdminDependencies } from './dependencies.js';
import { unitsQuerySchema } from './request-schemas.js';

export function makeGetUnits(deps: Pick<AdminDependencies, 'resolveActor' | 'units'>) {
  return httpHandler(async (event) => {
    const actor = await deps.resolveActor(event);
    const query = validated(unitsQuerySchema, event.queryStringParameters ?? {});
    const cityId =
      query.version !== undefined || query.format === 'csv' ? administeredCity(actor) : await cityOf(actor, deps.units);
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

/** The city a member of staff works in: the first unit on their unit's path (an administrator's unit is the city). */
async function cityOf(actor: Actor, units: Pick<AdminDependencies['units'], 'get'>): Promise<string> {
  const unit = await units.get(actor.unit);
  const cityId = unit?.path[0];
  if (!cityId) throw new ForbiddenError(`${actor.unit} is not a unit of any city`);
  return cityId;
}

export const handler = builtOnFirstCall(() => makeGetUnits(productionAdminDependencies()));
