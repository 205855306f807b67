/**
 * Stage deadlines in working days on the official Chinese calendar (weekends, holidays, make-up
 * days). The calendars are data each caller passes: the city's, as its administrator put them
 * (`PUT /calendars/{year}`), read by the store; pure here.
 */
import {
  addWorkingDays,
  type HolidayCalendar,
  holidayCalendarDaysLeft,
  workingDaysBetween,
} from '../../kernel/domain/working-days.js';

type Calendars = readonly HolidayCalendar[];

/** The end of the `workingDays`-th working day after `from` (Asia/Shanghai). */
export function deadlineAfter(from: string, workingDays: number, calendars: Calendars): string {
  return addWorkingDays(from, workingDays, calendars);
}

/** Whole working days from today (Shanghai) until the deadline's day; 0 on the day itself or after it. */
export function workingDaysLeft(now: string, dueAt: string, calendars: Calendars): number {
  return workingDaysBetween(now, dueAt, calendars);
}

/** Whole working days from `since` to `now`: how long something has waited. */
export function workingDaysWaited(since: string, now: string, calendars: Calendars): number {
  return workingDaysBetween(since, now, calendars);
}

/**
 * Warn when deadlines are this close to running past the last official holiday schedule. The
 * State Council General Office has published the next year's schedule between late October and
 * early December; 45 days leaves a month to add it before deadlines in January fall due too early.
 */
export const holidayCalendarWarningDays = 45;

/** Days until deadlines run past the official holiday schedules a city holds (0: already). */
export function deadlineCalendarDaysLeft(now: string, calendars: Calendars): number {
  return holidayCalendarDaysLeft(now, calendars);
}

/** How an operator adds next year's schedule: what the `npm start` warning and the alarm say. */
export const addNextCalendarHint =
  "the city's administrator puts next year's State Council notice (国务院办公厅关于部分节假日安排的通知) " +
  'with PUT /calendars/{year} {holidays, makeUpWorkdays, source}; waiting deadlines are counted again at once';
