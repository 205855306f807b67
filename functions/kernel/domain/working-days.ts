/**
 * Working days on the official Chinese calendar, for approval deadlines: weekends and public
 * holidays do not count, the make-up working days (调休上班) do. Each year's schedule is data,
 * as the State Council General Office publishes it, so a new year is a data change. Dates are
 * Asia/Shanghai (UTC+8, no daylight saving). Pure: no I/O, no clock.
 */
import * as z from 'zod/mini';
import { boundedDate } from './bounds.js';
import './validation-messages.js';

/** A calendar date, YYYY-MM-DD; zod checks it is a real date (month lengths, leap years). */
const isoDate = boundedDate;

/** One year's official schedule. */
export const holidayCalendarSchema = z
  .object({
    year: z.number().check(z.int(), z.minimum(2000), z.maximum(2100)),
    /** Days off: every day of each holiday span, the weekend days inside a span included. */
    holidays: z.array(isoDate),
    /** Weekend days that are working days (调休上班). */
    makeUpWorkdays: z.array(isoDate),
    /** The title of the notice the dates come from. */
    source: z.string().check(z.minLength(1)),
  })
  .check(
    z.superRefine((calendar, ctx) => {
      const outside = [...calendar.holidays, ...calendar.makeUpWorkdays].filter(
        (day) => !day.startsWith(`${calendar.year}-`),
      );
      if (outside.length > 0)
        ctx.addIssue({ code: 'custom', message: `dates outside ${calendar.year}: ${outside.join(', ')}` });
      const both = calendar.makeUpWorkdays.filter((day) => calendar.holidays.includes(day));
      if (both.length > 0)
        ctx.addIssue({ code: 'custom', message: `both a holiday and a make-up workday: ${both.join(', ')}` });
    }),
  );
export type HolidayCalendar = z.infer<typeof holidayCalendarSchema>;

const dayMs = 24 * 60 * 60 * 1000;
const shanghaiOffsetMs = 8 * 60 * 60 * 1000;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

/** Every date from `first` to `last`, both included. */
function span(first: string, last: string): string[] {
  const days: string[] = [];
  for (let day = Date.parse(`${first}T00:00:00Z`); day <= Date.parse(`${last}T00:00:00Z`); day += dayMs) {
    days.push(new Date(day).toISOString().slice(0, 10));
  }
  return days;
}

/**
 * The published schedules. 2026 is confirmed against the notice's full text as Xinhua released it
 * on 2025-11-04 (e.g. politics.gmw.cn/2025-11/04/content_38391083.htm). 2027 is absent on purpose:
 * no published 2027 notice could be found, so it is not guessed; add it when the notice appears.
 */
export const chinaHolidayCalendars: readonly HolidayCalendar[] = [
  holidayCalendarSchema.parse({
    year: 2026,
    holidays: [
      ...span('2026-01-01', '2026-01-03'), // 元旦: Thu 1 – Sat 3 January, 3 days
      ...span('2026-02-15', '2026-02-23'), // 春节: Sun 15 – Mon 23 February (腊月二十八 – 正月初七), 9 days
      ...span('2026-04-04', '2026-04-06'), // 清明节: Sat 4 – Mon 6 April, 3 days
      ...span('2026-05-01', '2026-05-05'), // 劳动节: Fri 1 – Tue 5 May, 5 days
      ...span('2026-06-19', '2026-06-21'), // 端午节: Fri 19 – Sun 21 June, 3 days
      ...span('2026-09-25', '2026-09-27'), // 中秋节: Fri 25 – Sun 27 September, 3 days
      ...span('2026-10-01', '2026-10-07'), // 国庆节: Thu 1 – Wed 7 October, 7 days
    ],
    makeUpWorkdays: [
      '2026-01-04', // Sunday, 元旦
      '2026-02-14', // Saturday, 春节
      '2026-02-28', // Saturday, 春节
      '2026-05-09', // Saturday, 劳动节
      '2026-09-20', // Sunday, 国庆节
      '2026-10-10', // Saturday, 国庆节
    ],
    source: '国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04)',
  }),
];

/**
 * Whether the calendars hold the official schedule for a year. Without it, {@link isWorkingDay}
 * knows only weekends, so callers should warn when this is false.
 */
export function hasCalendarFor(year: number, calendars: readonly HolidayCalendar[]): boolean {
  return calendars.some((calendar) => calendar.year === year);
}

/**
 * Days from today (Shanghai) to the last day the official schedules cover without a gap: the end
 * of the latest year that follows the current one year by year. 0 when the current year has no
 * schedule. Past that day deadlines count Monday to Friday only and fall due too early in
 * holidays, so operators are alarmed while there is still time to add the next notice (the State
 * Council General Office publishes it in the autumn before).
 */
export function holidayCalendarDaysLeft(now: string, calendars: readonly HolidayCalendar[]): number {
  const today = shanghaiDateOf(now);
  let year = Number(today.slice(0, 4));
  if (!hasCalendarFor(year, calendars)) return 0;
  while (hasCalendarFor(year + 1, calendars)) year++;
  return Math.round((Date.parse(`${year}-12-31T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / dayMs);
}

/**
 * Whether a Shanghai calendar date (YYYY-MM-DD) is a working day: a make-up workday is, a listed
 * holiday is not, otherwise Monday to Friday are. For a year without data, Monday to Friday only.
 * @throws RangeError when `date` is not a YYYY-MM-DD date.
 */
export function isWorkingDay(date: string, calendars: readonly HolidayCalendar[]): boolean {
  const weekday = datePattern.test(date) ? new Date(`${date}T00:00:00Z`).getUTCDay() : Number.NaN;
  if (Number.isNaN(weekday)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const calendar = calendars.find((c) => c.year === Number(date.slice(0, 4)));
  if (calendar?.makeUpWorkdays.includes(date)) return true;
  if (calendar?.holidays.includes(date)) return false;
  return weekday !== 0 && weekday !== 6;
}

/** The Shanghai calendar date (YYYY-MM-DD) of an instant. */
function shanghaiDateOf(instant: string): string {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO instant: ${instant}`);
  return new Date(ms + shanghaiOffsetMs).toISOString().slice(0, 10);
}

function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + dayMs).toISOString().slice(0, 10);
}

/**
 * The deadline `days` working days after an instant: the end (23:59:59.999 Asia/Shanghai, i.e.
 * 15:59:59.999Z) of the `days`-th working day strictly after the Shanghai date of `from`. With
 * `days` 0 it is the end of `from`'s own Shanghai date.
 * @param from An ISO instant, e.g. `2026-11-27T02:00:00.000Z`.
 * @returns An ISO instant in UTC.
 * @throws RangeError when `from` is not an instant or `days` is not a non-negative integer.
 */
export function addWorkingDays(from: string, days: number, calendars: readonly HolidayCalendar[]): string {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`working days must be a non-negative integer: ${days}`);
  let date = shanghaiDateOf(from);
  for (let counted = 0; counted < days; ) {
    date = nextDate(date);
    if (isWorkingDay(date, calendars)) counted++;
  }
  return new Date(Date.parse(`${date}T23:59:59.999Z`) - shanghaiOffsetMs).toISOString();
}

/**
 * Whole working days from the Shanghai date of `fromInstant` (exclusive) to the Shanghai date of
 * `toInstant` (inclusive); 0 when `toInstant` is not on a later Shanghai date. Used for days
 * waiting and for the working days a deadline is paused while an application is returned.
 * @throws RangeError when either argument is not an instant.
 */
export function workingDaysBetween(
  fromInstant: string,
  toInstant: string,
  calendars: readonly HolidayCalendar[],
): number {
  const last = shanghaiDateOf(toInstant);
  let count = 0;
  for (let date = nextDate(shanghaiDateOf(fromInstant)); date <= last; date = nextDate(date)) {
    if (isWorkingDay(date, calendars)) count++;
  }
  return count;
}
