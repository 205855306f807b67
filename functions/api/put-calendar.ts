/**
 * PUT /calendars/{year} — the city's administrator puts the State Council's holiday schedule for a
 * year as its city counts it: `{holidays: [dates], makeUpWorkdays: [dates], source}` (every day of
 * each holiday span; the weekend days worked instead). Validated (real dates, all in that year, no
 * day both) → 422 naming the field; logged; then every application of the city that waits is routed
 * again at once, so deadlines already counted are counted again on the new calendar (a moved
 * deadline is recorded as `rescheduled`). The same body again changes nothing.
 */
import { holidayCalendarSchema } from '../domain/working-days.js';
import { rerouteWaiting } from '../sfn/reroute.js';
import { builtOnFirstCall } from '../shared/lazy-handler.js';
import { logger } from '../shared/logger.js';
import { type DeadlineIndex, deadlineIndex } from '../store/deadlines.js';
import { tableFromEnvironment } from '../store/table.js';
import { type AdminDependencies, administeredCity, productionAdminDependencies } from './admin-dependencies.js';
import { type ApiDependencies, productionDependencies } from './dependencies.js';
import { httpHandler, json, jsonBody, pathParameter, validated } from './http.js';
import { calendarYearSchema } from './request-schemas.js';

export function makePutCalendar(
  deps: Pick<AdminDependencies, 'resolveActor' | 'calendars' | 'adminLog' | 'now'> &
    Pick<ApiDependencies, 'applications' | 'workflow' | 'policies'> & { deadlines: Pick<DeadlineIndex, 'reindex'> },
) {
  return httpHandler(async (event) => {
    const actor = await deps.resolveActor(event);
    const cityId = administeredCity(actor);
    const year = validated(calendarYearSchema, pathParameter(event, 'year'), ['year']);
    const body = jsonBody(event);
    const calendar = validated(holidayCalendarSchema, { ...(typeof body === 'object' ? body : {}), year });
    const { changed } = await deps.calendars.put(deps.adminLog, cityId, calendar, actor.sub, deps.now().toISOString());
    const rerouted = changed
      ? await rerouteWaiting(
          deps,
          `${cityId} put its ${year} holiday calendar`,
          ({ application }) => application.cityId === cityId,
          async ({ application }) =>
            deps.deadlines.reindex(application, await deps.policies.ofApplication(application)),
        )
      : { waiting: 0, released: 0 };
    if (changed) logger.info('calendar put; waiting deadlines routed again', { cityId, year, ...rerouted });
    return json(200, { cityId, ...calendar, changed, rerouted: rerouted.released });
  });
}

export const handler = builtOnFirstCall(() =>
  makePutCalendar({
    ...productionDependencies(),
    ...productionAdminDependencies(),
    deadlines: deadlineIndex(tableFromEnvironment()),
  }),
);
