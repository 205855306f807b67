/** Stage deadlines in working days on the official Chinese calendar (weekends, holidays, make-up days). */
import { addWorkingDays, chinaHolidayCalendars, holidayCalendarDaysLeft, workingDaysBetween } from './working-days.js';

/** The end of the `workingDays`-th working day after `from` (Asia/Shanghai). */
export function deadlineAfter(from: string, workingDays: number): string {
  return addWorkingDays(from, workingDays, chinaHolidayCalendars);
}

/** Whole working days from today (Shanghai) until the deadline's day; 0 on the day itself or after it. */
export function workingDaysLeft(now: string, dueAt: string): number {
  return workingDaysBetween(now, dueAt, chinaHolidayCalendars);
}

/** Whole working days from `since` to `now`: how long something has waited. */
export function workingDaysWaited(since: string, now: string): number {
  return workingDaysBetween(since, now, chinaHolidayCalendars);
}

/**
 * Warn when deadlines are this close to running past the last official holiday schedule. The
 * State Council General Office has published the next year's schedule between late October and
 * early December; 45 days leaves a month to add it before deadlines in January fall due too early.
 */
export const holidayCalendarWarningDays = 45;

/** Days until deadlines run past the official holiday schedules this product holds (0: already). */
export function deadlineCalendarDaysLeft(now: string): number {
  return holidayCalendarDaysLeft(now, chinaHolidayCalendars);
}
