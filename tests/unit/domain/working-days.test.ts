import { describe, expect, it } from 'vitest';
import { addWorkingDays, chinaHolidayCalendars, hasCalendarFor, isWorkingDay, workingDaysBetween } from '../../../functions/domain/working-days.js';

const calendars = chinaHolidayCalendars;
/** Noon in Shanghai on a date. */
const noon = (date: string) => `${date}T04:00:00.000Z`;
const endOfDay = (date: string) => new Date(Date.parse(`${date}T23:59:59.999+08:00`)).toISOString();

describe('working days on the official calendar', () => {
  it('counts weekdays and skips weekends', () => {
    expect(isWorkingDay('2026-11-27', calendars)).toBe(true); // Friday
    expect(isWorkingDay('2026-11-28', calendars)).toBe(false); // Saturday
    expect(addWorkingDays(noon('2026-11-27'), 1, calendars)).toBe(endOfDay('2026-11-30'));
  });

  it('skips the Spring Festival holiday and counts its make-up Saturdays', () => {
    expect(isWorkingDay('2026-02-16', calendars)).toBe(false); // Monday inside 春节
    expect(isWorkingDay('2026-02-14', calendars)).toBe(true); // Saturday, 调休上班
    expect(isWorkingDay('2026-02-28', calendars)).toBe(true);
    // Friday 13 February + 1 → Saturday 14 (make-up day); + 2 → Tuesday 24, after the holiday.
    expect(addWorkingDays(noon('2026-02-13'), 1, calendars)).toBe(endOfDay('2026-02-14'));
    expect(addWorkingDays(noon('2026-02-13'), 2, calendars)).toBe(endOfDay('2026-02-24'));
  });

  it('skips the National Day week and counts Sunday 20 September and Saturday 10 October', () => {
    expect(isWorkingDay('2026-09-20', calendars)).toBe(true);
    expect(isWorkingDay('2026-10-05', calendars)).toBe(false);
    expect(isWorkingDay('2026-10-10', calendars)).toBe(true);
    expect(addWorkingDays(noon('2026-09-30'), 1, calendars)).toBe(endOfDay('2026-10-08'));
  });

  it('reads the date in Shanghai: 17:00 UTC on Friday is already Saturday there', () => {
    expect(addWorkingDays('2026-11-27T17:00:00.000Z', 1, calendars)).toBe(endOfDay('2026-11-30'));
    expect(addWorkingDays('2026-11-27T15:00:00.000Z', 1, calendars)).toBe(endOfDay('2026-11-30'));
    expect(workingDaysBetween('2026-11-27T15:00:00.000Z', '2026-11-27T17:00:00.000Z', calendars)).toBe(0);
  });

  it('counts the working days between two instants, and none backwards', () => {
    expect(workingDaysBetween(noon('2026-11-27'), noon('2026-12-04'), calendars)).toBe(5);
    expect(workingDaysBetween(noon('2026-12-04'), noon('2026-11-27'), calendars)).toBe(0);
    expect(workingDaysBetween(noon('2026-09-30'), noon('2026-10-10'), calendars)).toBe(3); // Thu 8, Fri 9, Sat 10 (make-up)
    const due = addWorkingDays(noon('2026-04-02'), 7, calendars);
    expect(workingDaysBetween(noon('2026-04-02'), due, calendars)).toBe(7);
  });

  it('falls back to weekdays for a year without published data, and says so', () => {
    expect(hasCalendarFor(2026, calendars)).toBe(true);
    expect(hasCalendarFor(2031, calendars)).toBe(false);
    expect(isWorkingDay('2031-01-01', calendars)).toBe(true); // a Wednesday; 元旦 unknown without data
  });

  it('holds consistent data: dates inside their year, make-up days on weekends, no day both', () => {
    for (const calendar of calendars) {
      const all = [...calendar.holidays, ...calendar.makeUpWorkdays];
      expect(all.every((day) => day.startsWith(`${calendar.year}-`))).toBe(true);
      expect(new Set(calendar.holidays).size).toBe(calendar.holidays.length);
      expect(calendar.makeUpWorkdays.filter((day) => calendar.holidays.includes(day))).toEqual([]);
      expect(calendar.makeUpWorkdays.map((day) => new Date(`${day}T00:00:00Z`).getUTCDay()).every((d) => d === 0 || d === 6)).toBe(true);
    }
    expect(chinaHolidayCalendars.find((c) => c.year === 2026)?.holidays).toHaveLength(3 + 9 + 3 + 5 + 3 + 3 + 7);
  });
});
