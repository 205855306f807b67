/** GET /calendars — the working-day calendars the caller's city counts deadlines on, year by year. */
import { builtOnFirstCall } from '../shared/lazy-handler.js';
import { type AdminDependencies, administeredCity, productionAdminDependencies } from './admin-dependencies.js';
import { httpHandler, json } from './http.js';

export function makeListCalendars(deps: Pick<AdminDependencies, 'resolveActor' | 'calendars'>) {
  return httpHandler(async (event) => {
    const cityId = administeredCity(await deps.resolveActor(event));
    return json(200, { cityId, items: await deps.calendars.of(cityId) });
  });
}

export const handler = builtOnFirstCall(() => makeListCalendars(productionAdminDependencies()));
