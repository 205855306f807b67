/**
 * PUT /calendars/{year} — the city's administrator puts the State Council's holiday schedule for a
 * year as its city counts it: `{holidays: [dates], makeUpWorkdays: [dates], source}` (every day of
 * each holiday span; the weekend days worked instead). Validated (real dates, all in that year, no
 * day both) → 422 naming the field; logged; then every application of the city that waits is routed
 * again at once, so deadlines already counted are counted again on the new calendar (a moved
 * deadline is recorded as `rescheduled`). The same body again changes nothing.
 */

import {
  type AdminDependencies,
  administeredCity,
  calendarYearSchema,
  productionAdminDependencies,
} from '../../administration/index.js';
import {
  type ApiDependencies,
  type DeadlineIndex,
  deadlineIndex,
  productionDependencies,
} from '../../applications/index.js';
import { holidayCalendarSchema } from '../../kernel/domain/working-days.js';
import { httpHandler, json, jsonBody, pathParameter, validated } from '../../kernel/http/http.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { logger } from '../../kernel/runtime/logger.js';
import { tableFromEnvironment } from '../../kernel/store/table.js';
import { rerouteWaiting } from '../scheduled/reroute.js';

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
