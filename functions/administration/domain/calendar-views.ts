/** How a city's working-day calendars are listed: year by year, the holidays and the weekend days worked instead. */
import type { HolidayCalendar } from '../../kernel/domain/working-days.js';

/** The answer of `GET /calendars`. */
export interface CalendarList {
  cityId: string;
  items: HolidayCalendar[];
}
