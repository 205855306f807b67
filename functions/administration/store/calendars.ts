/**
 * Each city's working-day calendars (`PUT /calendars/{year}`): one item per city and year, written
 * with the administration log's entry in one transaction. A city that has put none for a year
 * counts on the schedules this build ships (`chinaHolidayCalendars`). Never cached: a changed
 * calendar must count at once when the waiting deadlines are routed again.
 */

import * as z from 'zod/mini';
import {
  chinaHolidayCalendars,
  type HolidayCalendar,
  holidayCalendarSchema,
} from '../../kernel/domain/working-days.js';
import { fromItem, keys, MalformedItemError, queryAll, type TableContext, toItem } from '../../kernel/store/table.js';
import type { AdminLogRepository } from './admin-log.js';

const storedSchema = z.object({ cityId: z.string(), calendar: holidayCalendarSchema });

/** Shipped years, each replaced by the city's own where it put one. */
function merged(own: readonly HolidayCalendar[]): HolidayCalendar[] {
  const years = new Set(own.map((c) => c.year));
  return [...chinaHolidayCalendars.filter((c) => !years.has(c.year)), ...own].sort((a, b) => a.year - b.year);
}

export function calendarRepository(table: TableContext) {
  const { tableName } = table;
  const parse = (item: Parameters<typeof fromItem>[0]) => {
    const parsed = z.safeParse(storedSchema, fromItem(item));
    if (!parsed.success) throw new MalformedItemError('a holiday calendar', parsed.error);
    return parsed.data;
  };

  async function own(cityId: string): Promise<HolidayCalendar[]> {
    const items = await queryAll(table, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: toItem({ ':pk': keys.calendars, ':prefix': keys.calendarPrefix(cityId) }),
      ConsistentRead: true,
    });
    return items.map((item) => parse(item).calendar);
  }

  return {
    /** The calendars a city's deadlines are counted on. */
    async of(cityId: string): Promise<HolidayCalendar[]> {
      return merged(await own(cityId));
    },

    /** Every city that put calendars, with what it counts on (the backlog probe's alarm). */
    async everyCity(): Promise<Map<string, HolidayCalendar[]>> {
      const items = await queryAll(table, {
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: toItem({ ':pk': keys.calendars }),
      });
      const byCity = new Map<string, HolidayCalendar[]>();
      for (const { cityId, calendar } of items.map(parse))
        byCity.set(cityId, [...(byCity.get(cityId) ?? []), calendar]);
      return new Map([...byCity].map(([city, own]) => [city, merged(own)]));
    },

    /** Puts a city's calendar for a year, logged; undefined when it is already exactly that. */
    async put(
      log: AdminLogRepository,
      cityId: string,
      calendar: HolidayCalendar,
      by: string,
      at: string,
    ): Promise<{ changed: boolean }> {
      return log.commit<{ changed: boolean }>(cityId, async () => {
        const before = (await own(cityId)).find((c) => c.year === calendar.year);
        if (before && JSON.stringify(before) === JSON.stringify(calendar))
          return { entry: undefined, writes: [], result: { changed: false } };
        const summary = (c: HolidayCalendar) => ({
          holidays: c.holidays.length,
          makeUpWorkdays: c.makeUpWorkdays.length,
          source: c.source,
        });
        return {
          entry: {
            at,
            by,
            action: 'calendar.put',
            target: String(calendar.year),
            ...(before ? { before: summary(before) } : {}),
            after: summary(calendar),
          },
          writes: [
            {
              Put: {
                TableName: tableName,
                Item: toItem({ ...keys.calendar(cityId, calendar.year), type: 'calendar', cityId, calendar, at, by }),
              },
            },
          ],
          result: { changed: true },
        };
      });
    },
  };
}
export type CalendarRepository = ReturnType<typeof calendarRepository>;
