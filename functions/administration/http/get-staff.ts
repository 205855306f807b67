/** GET /staff/{sub} — one person of the caller's city (404 for anyone else's, so no city learns of another's staff). */
import { NotFoundError } from '../../kernel/domain/errors.js';
import { httpHandler, json, pathParameter } from '../../kernel/http/http.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { staffView } from '../domain/staff-views.js';
import { type AdminDependencies, administeredCity, productionAdminDependencies } from './dependencies.js';

export function makeGetStaff(deps: AdminDependencies) {
  return httpHandler(async (event) => {
    const cityId = administeredCity(await deps.resolveActor(event));
    const sub = pathParameter(event, 'sub');
    const record = await deps.staff.get(sub, true);
    if (!record || record.cityId !== cityId)
      throw new NotFoundError(`${sub} is not in the staff directory of ${cityId}`);
    return json(200, staffView(record));
  });
}

export const handler = builtOnFirstCall(() => makeGetStaff(productionAdminDependencies()));
