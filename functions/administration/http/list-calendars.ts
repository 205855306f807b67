/** GET /calendars — the working-day calendars the caller's city counts deadlines on, year by year. */

import { httpHandler, json } from '../../kernel/http/http.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import type { CalendarList } from '../domain/calendar-views.js';
import { type AdminDependencies, administeredCity, productionAdminDependencies } from './dependencies.js';

export function makeListCalendars(deps: Pick<AdminDependencies, 'resolveActor' | 'calendars'>) {
  return httpHandler(async (event) => {
    const cityId = administeredCity(await deps.resolveActor(event));
    return json(200, { cityId, items: await deps.calendars.of(cityId) } satisfies CalendarList);
  });
}

export const handler = builtOnFirstCall(() => makeListCalendars(productionAdminDependencies()));
