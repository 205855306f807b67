/** GET /admin-log — the caller's city's administration log, oldest first, with whether its hash chain is intact. */
import { adminLogIsIntact } from '../domain/admin-log.js';
import { builtOnFirstCall } from '../shared/lazy-handler.js';
import { type AdminDependencies, administeredCity, productionAdminDependencies } from './admin-dependencies.js';
import { httpHandler, json } from './http.js';

export function makeAdminLog(deps: Pick<AdminDependencies, 'resolveActor' | 'adminLog'>) {
  return httpHandler(async (event) => {
    const cityId = administeredCity(await deps.resolveActor(event));
    const items = await deps.adminLog.entries(cityId);
    return json(200, { cityId, intact: adminLogIsIntact(items), items });
  });
}

export const handler = builtOnFirstCall(() => makeAdminLog(productionAdminDependencies()));
