/**
 * PUT /staff/{sub} — `{name, assignments: [{role, unit, from, to?}]}`: the person's whole record
 * in the caller's city, replaced (or created) and logged in the city's administration log in the
 * same transaction. Every unit must be one of the city's; nobody changes their own record; a
 * person of another city's directory is refused. The same body twice changes nothing the second time.
 */

import { ConflictError, ForbiddenError, InvalidRequestError } from '../../kernel/domain/errors.js';
import { canonicalJson } from '../../kernel/domain/history-chain.js';
import { httpHandler, json, jsonBody, pathParameter, validated } from '../../kernel/http/http.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { staffChangeSchema, staffSubSchema } from '../domain/staff.js';
import { staffView } from '../domain/staff-views.js';
import { AdminChangeConflictError } from '../store/admin-log.js';
import { type AdminDependencies, administeredCity, productionAdminDependencies } from './dependencies.js';

export function makePutStaff(deps: AdminDependencies) {
  return httpHandler(async (event) => {
    const actor = await deps.resolveActor(event);
    const cityId = administeredCity(actor);
    const sub = validated(staffSubSchema, pathParameter(event, 'sub'), ['sub']);
    if (sub === actor.sub) throw new ForbiddenError('nobody may change their own assignments');
    const change = validated(staffChangeSchema, jsonBody(event));
    const outside = [];
    for (const [i, assignment] of change.assignments.entries()) {
      const unit = await deps.units.get(assignment.unit);
      if (!unit || unit.path[0] !== cityId)
        outside.push({ field: `assignments.${i}.unit`, message: `${assignment.unit} is not a unit of ${cityId}` });
    }
    if (outside.length) throw new InvalidRequestError('assignments name units outside the city', outside);

    const at = deps.now().toISOString();
    try {
      const record = await deps.staff.change(deps.adminLog, sub, cityId, (prior) => {
        if (prior && prior.cityId !== cityId) throw new ConflictError(`${sub} is in another city's staff directory`);
        const same =
          prior && prior.name === change.name && canonicalJson(prior.assignments) === canonicalJson(change.assignments);
        if (same) return undefined;
        const next = {
          sub,
          cityId,
          name: change.name,
          assignments: change.assignments,
          version: (prior?.version ?? 0) + 1,
          updatedAt: at,
          updatedBy: actor.sub,
        };
        return { next, by: actor.sub, at };
      });
      // Unchanged only when it existed: there is always a record here.
      if (!record) throw new Error(`${sub} vanished while it was written`);
      return json(200, staffView(record));
    } catch (error) {
      if (error instanceof AdminChangeConflictError)
        throw new ConflictError(`${sub} was changed by someone else at the same moment; read it and try again`);
      throw error;
    }
  });
}

export const handler = builtOnFirstCall(() => makePutStaff(productionAdminDependencies()));
