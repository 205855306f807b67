/**
 * Working days on the official Chinese calendar, for approval deadlines: weekends and public
 * holidays do not count, the make-up working days (调休上班) do. Each year's schedule is data,
 * as the State Council publishes it, so a new year is a data change. Dates are Asia/Shanghai
 * (UTC+8, no daylight saving).
 */
import { z } from 'zod';

const isoDate = z.iso.date();

export const holidayCalendarSchema = z.object({
  year: z.number().int().min(2000).max(2100),
  /** Days off: every day of each holiday span, weekends inside a span included. */
  holidays: z.array(isoDate),
  /** Weekend days that are working days. */
  makeUpWorkdays: z.array(isoDate),
  /** The notice the dates come from. */
  source: z.string().min(1),
});
export type HolidayCalendar = z.infer<typeof holidayCalendarSchema>;

function span(first: string, last: string): string[] {
  const days: string[] = [];
  for (let day = Date.parse(`${first}T00:00:00Z`); day <= Date.parse(`${last}T00:00:00Z`); day += dayMs) {
    days.push(new Date(day).toISOString().slice(0, 10));
  }
  return days;
}

const dayMs = 24 * 60 * 60 * 1000;
const shanghaiOffsetMs = 8 * 60 * 60 * 1000;

export const chinaHolidayCalendars: readonly HolidayCalendar[] = [
  holidayCalendarSchema.parse({
    year: 2026,
    holidays: [
      ...span('2026-01-01', '2026-01-03'), // 元旦
      ...span('2026-02-15', '2026-02-23'), // 春节
      ...span('2026-04-04', '2026-04-06'), // 清明节
      ...span('2026-05-01', '2026-05-05'), // 劳动节
      ...span('2026-06-19', '2026-06-21'), // 端午节
      ...span('2026-09-25', '2026-09-27'), // 中秋节
      ...span('2026-10-01', '2026-10-07'), // 国庆节
    ],
    makeUpWorkdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
    source: '国务院办公厅关于2026年部分节假日安排的通知 (国办发明电〔2025〕7号, 2025-11-04)',
  }),
];

/** True when the calendars hold that year's schedule; without it only weekends are known. */
export function hasCalendarFor(year: number, calendars: readonly HolidayCalendar[]): boolean {
  return calendars.some((c) => c.year === year);
}

/** Whether a Shanghai calendar date (YYYY-MM-DD) is a working day. */
export function isWorkingDay(date: string, calendars: readonly HolidayCalendar[]): boolean {
  const calendar = calendars.find((c) => c.year === Number(date.slice(0, 4)));
  if (calendar?.makeUpWorkdays.includes(date)) return true;
  if (calendar?.holidays.includes(date)) return false;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

function shanghaiDateOf(instant: string): string {
  return new Date(Date.parse(instant) + shanghaiOffsetMs).toISOString().slice(0, 10);
}

function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + dayMs).toISOString().slice(0, 10);
}

/**
 * The deadline `days` working days after an instant: the end of that working day in Shanghai
 * (23:59:59.999 +08:00), counting from the day after the instant's Shanghai date.
 */
export function addWorkingDays(from: string, days: number, calendars: readonly HolidayCalendar[]): string {
  let date = shanghaiDateOf(from);
  for (let counted = 0; counted < days; ) {
    date = nextDate(date);
    if (isWorkingDay(date, calendars)) counted++;
  }
  return new Date(Date.parse(`${date}T23:59:59.999Z`) - shanghaiOffsetMs).toISOString();
}

/**
 * Working days from the Shanghai date of `from` (exclusive) to that of `to` (inclusive);
 * 0 when `to` is not on a later day.
 */
export function workingDaysBetween(from: string, to: string, calendars: readonly HolidayCalendar[]): number {
  const last = shanghaiDateOf(to);
  let count = 0;
  for (let date = nextDate(shanghaiDateOf(from)); date <= last; date = nextDate(date)) {
    if (isWorkingDay(date, calendars)) count++;
  }
  return count;
}
