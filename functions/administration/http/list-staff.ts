/** GET /staff?unit= — the city's staff whose assignments lie in `unit`'s subtree (the whole city by default). */

import { ForbiddenError, NotFoundError } from '../../kernel/domain/errors.js';
import { httpHandler, json, validated } from '../../kernel/http/http.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { type StaffList, type StaffView, staffView } from '../domain/staff-views.js';
import { type AdminDependencies, administeredCity, productionAdminDependencies } from './dependencies.js';
import { staffQuerySchema } from './request-schemas.js';

export function makeListStaff(deps: AdminDependencies) {
  return httpHandler(async (event) => {
    const cityId = administeredCity(await deps.resolveActor(event));
    const unitId = validated(staffQuerySchema, event.queryStringParameters ?? {}).unit ?? cityId;
    const unit = await deps.units.get(unitId);
    if (!unit) throw new NotFoundError(`no unit ${unitId}`);
    if (unit.path[0] !== cityId) throw new ForbiddenError(`${unitId} is not in ${cityId}`);
    const people = await deps.staff.listOfCity(cityId);
    const inside = async (assignmentUnit: string) =>
      assignmentUnit === unitId || ((await deps.units.get(assignmentUnit))?.path.includes(unitId) ?? false);
    const items: StaffView[] = [];
    for (const person of people) {
      const covered = await Promise.all(person.assignments.map((a) => inside(a.unit)));
      if (covered.some(Boolean)) items.push(staffView(person));
    }
    items.sort((a, b) => a.sub.localeCompare(b.sub));
    return json(200, { unit: unitId, items } satisfies StaffList);
  });
}

export const handler = builtOnFirstCall(() => makeListStaff(productionAdminDependencies()));
