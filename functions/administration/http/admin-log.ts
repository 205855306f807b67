/** GET /admin-log — the caller's city's administration log, oldest first, with whether its hash chain is intact. */

import { httpHandler, json } from '../../kernel/http/http.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { adminLogIsIntact } from '../domain/admin-log.js';
import { type AdminDependencies, administeredCity, productionAdminDependencies } from './dependencies.js';

export function makeAdminLog(deps: Pick<AdminDependencies, 'resolveActor' | 'adminLog'>) {
  return httpHandler(async (event) => {
    const cityId = administeredCity(await deps.resolveActor(event));
    const items = await deps.adminLog.entries(cityId);
    return json(200, { cityId, intact: adminLogIsIntact(items), items });
  });
}

export const handler = builtOnFirstCall(() => makeAdminLog(productionAdminDependencies()));
