import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  chinaHolidayCalendars,
  hasCalendarFor,
  holidayCalendarDaysLeft,
  holidayCalendarSchema,
  isWorkingDay,
  workingDaysBetween,
} from '../../../functions/kernel/domain/working-days.js';

const calendars = chinaHolidayCalendars;
/** Noon in Shanghai on a date, as a UTC instant. */
const noon = (date: string): string => `${date}T04:00:00.000Z`;
/** The end of a Shanghai date, as a UTC instant. */
const endOfDay = (date: string): string => `${date}T15:59:59.999Z`;
const weekdayOf = (date: string): number => new Date(`${date}T00:00:00Z`).getUTCDay();

describe('isWorkingDay', () => {
  it('counts ordinary weekdays and skips ordinary weekends', () => {
    // prepare
    const days = ['2026-11-23', '2026-11-27', '2026-11-28', '2026-11-29'];

    // act
    const working = days.map((day) => isWorkingDay(day, calendars));

    // assess
    expect(working).toEqual([true, true, false, false]);
  });

  it('skips every day of the Spring Festival holiday, weekdays included', () => {
    // prepare
    const holiday = [
      '2026-02-15',
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
      '2026-02-21',
      '2026-02-22',
      '2026-02-23',
    ];

    // act
    const working = holiday.map((day) => isWorkingDay(day, calendars));

    // assess
    expect(working.every((w) => !w)).toBe(true);
    expect(isWorkingDay('2026-02-24', calendars)).toBe(true);
  });

  it('counts the make-up Saturdays and Sundays as working days', () => {
    // prepare
    const makeUp = ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'];

    // act
    const working = makeUp.map((day) => isWorkingDay(day, calendars));

    // assess
    expect(makeUp.map(weekdayOf)).toEqual([0, 6, 6, 6, 0, 6]);
    expect(working.every((w) => w)).toBe(true);
  });

  it('skips the National Day holiday', () => {
    // prepare
    const week = ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'];

    // act
    const working = week.map((day) => isWorkingDay(day, calendars));

    // assess
    expect(working.every((w) => !w)).toBe(true);
    expect(isWorkingDay('2026-10-08', calendars)).toBe(true);
  });

  it('falls back to Monday to Friday for a year without data, and says so', () => {
    // prepare
    const year = 2031;

    // act
    const known = hasCalendarFor(year, calendars);
    const newYearsDay = isWorkingDay('2031-01-01', calendars); // a Wednesday; 元旦 unknown without data

    // assess
    expect(known).toBe(false);
    expect(hasCalendarFor(2026, calendars)).toBe(true);
    expect(newYearsDay).toBe(true);
    expect(isWorkingDay('2031-01-04', calendars)).toBe(false); // a Saturday
  });

  it('rejects a string that is not a date', () => {
    // prepare
    const bad = 'not-a-date';

    // act
    const act = () => isWorkingDay(bad, calendars);

    // assess
    expect(act).toThrow(RangeError);
  });
});

describe('addWorkingDays', () => {
  it('ends the deadline at the end of the next working day in Shanghai after a weekend', () => {
    // prepare
    const fridayMorning = '2026-11-27T02:00:00.000Z'; // 10:00 Shanghai

    // act
    const due = addWorkingDays(fridayMorning, 1, calendars);

    // assess
    expect(due).toBe('2026-11-30T15:59:59.999Z');
  });

  it('counts whole weeks of ordinary weekdays', () => {
    // prepare
    const mondayNoon = noon('2026-11-23');

    // act
    const due = addWorkingDays(mondayNoon, 5, calendars);

    // assess
    expect(due).toBe(endOfDay('2026-11-30'));
  });

  it('spans the Spring Festival holiday and counts its make-up Saturdays', () => {
    // prepare
    const fridayBefore = noon('2026-02-13');

    // act
    const first = addWorkingDays(fridayBefore, 1, calendars);
    const second = addWorkingDays(fridayBefore, 2, calendars);
    const sixth = addWorkingDays(fridayBefore, 6, calendars);

    // assess
    expect(first).toBe(endOfDay('2026-02-14')); // Saturday, 调休上班
    expect(second).toBe(endOfDay('2026-02-24')); // Tuesday, first day after the holiday
    expect(sixth).toBe(endOfDay('2026-02-28')); // Sat 14, Tue 24 … Fri 27, then Saturday 28 (调休上班)
  });

  it('counts a make-up Sunday', () => {
    // prepare
    const fridayBefore = noon('2026-09-18');

    // act
    const due = addWorkingDays(fridayBefore, 1, calendars);

    // assess
    expect(due).toBe(endOfDay('2026-09-20'));
  });

  it('skips the National Day holiday', () => {
    // prepare
    const lastDayBefore = noon('2026-09-30');

    // act
    const first = addWorkingDays(lastDayBefore, 1, calendars);
    const third = addWorkingDays(lastDayBefore, 3, calendars);

    // assess
    expect(first).toBe(endOfDay('2026-10-08'));
    expect(third).toBe(endOfDay('2026-10-10')); // Saturday, 调休上班
  });

  it('reads the date in Shanghai: 17:00 UTC on Friday is already Saturday there', () => {
    // prepare
    const fridayLateUtc = '2026-11-27T17:00:00.000Z'; // Saturday 01:00 Shanghai
    const fridayLastMinute = '2026-11-27T15:59:00.000Z'; // Friday 23:59 Shanghai
    const thursdayLateUtc = '2026-11-26T17:00:00.000Z'; // Friday 01:00 Shanghai

    // act
    const fromSaturday = addWorkingDays(fridayLateUtc, 1, calendars);
    const fromFriday = addWorkingDays(fridayLastMinute, 1, calendars);
    const fromShanghaiFriday = addWorkingDays(thursdayLateUtc, 1, calendars);

    // assess
    expect(fromSaturday).toBe(endOfDay('2026-11-30'));
    expect(fromFriday).toBe(endOfDay('2026-11-30'));
    expect(fromShanghaiFriday).toBe(endOfDay('2026-11-30'));
    expect(isWorkingDay('2026-11-28', calendars)).toBe(false);
  });

  it('ends the same Shanghai day for zero working days', () => {
    // prepare
    const saturday = '2026-11-27T17:00:00.000Z';

    // act
    const due = addWorkingDays(saturday, 0, calendars);

    // assess
    expect(due).toBe(endOfDay('2026-11-28'));
  });

  it('rejects a negative or fractional number of days and an invalid instant', () => {
    // prepare
    const from = noon('2026-11-27');

    // act
    const negative = () => addWorkingDays(from, -1, calendars);
    const fractional = () => addWorkingDays(from, 1.5, calendars);
    const invalid = () => addWorkingDays('yesterday', 1, calendars);

    // assess
    expect(negative).toThrow(RangeError);
    expect(fractional).toThrow(RangeError);
    expect(invalid).toThrow(RangeError);
  });

  it('crosses from a year with data into a year without it on weekdays alone', () => {
    // prepare
    const lastThursday2026 = noon('2026-12-31');

    // act
    const due = addWorkingDays(lastThursday2026, 2, calendars);

    // assess
    expect(hasCalendarFor(2027, calendars)).toBe(false);
    expect(due).toBe(endOfDay('2027-01-04')); // Fri 1 January counted (no 2027 data), then Monday 4
  });
});

describe('holidayCalendarDaysLeft', () => {
  it('counts the days to the end of the last year the schedules cover, on the Shanghai date', () => {
    // prepare: 2026-11-30 begins at 16:00 UTC on the 29th in Shanghai
    const lateOn29thUtc = '2026-11-29T16:30:00.000Z';

    // act
    const left = holidayCalendarDaysLeft(lateOn29thUtc, calendars);

    // assess
    expect(left).toBe(31);
    expect(holidayCalendarDaysLeft(noon('2026-12-31'), calendars)).toBe(0);
    expect(holidayCalendarDaysLeft(noon('2026-01-01'), calendars)).toBe(364);
  });

  it('runs on through following years that have a schedule, and is 0 in a year without one', () => {
    // prepare: a made-up next year, not an official schedule
    const nextYear = holidayCalendarSchema.parse({
      year: 2027,
      holidays: [],
      makeUpWorkdays: [],
      source: 'a test schedule',
    });
    const yearAfterNext = holidayCalendarSchema.parse({
      year: 2029,
      holidays: [],
      makeUpWorkdays: [],
      source: 'a test schedule',
    });

    // act
    const withNextYear = holidayCalendarDaysLeft(noon('2026-12-01'), [...calendars, nextYear, yearAfterNext]);

    // assess: 2029 does not follow 2027, so coverage ends with 2027
    expect(withNextYear).toBe(30 + 365);
    expect(holidayCalendarDaysLeft(noon('2027-01-05'), calendars)).toBe(0);
  });
});

describe('workingDaysBetween', () => {
  it('counts the working days after the first date up to and including the last', () => {
    // prepare
    const from = noon('2026-11-27');
    const to = noon('2026-12-04');

    // act
    const count = workingDaysBetween(from, to, calendars);

    // assess
    expect(count).toBe(5);
  });

  it('is zero on the same Shanghai date and backwards', () => {
    // prepare
    const morning = '2026-11-27T00:30:00.000Z';
    const evening = '2026-11-27T15:00:00.000Z';

    // act
    const sameDay = workingDaysBetween(morning, evening, calendars);
    const backwards = workingDaysBetween(noon('2026-12-04'), noon('2026-11-27'), calendars);
    const sameInstant = workingDaysBetween(morning, morning, calendars);

    // assess
    expect(sameDay).toBe(0);
    expect(backwards).toBe(0);
    expect(sameInstant).toBe(0);
  });

  it('reads both dates in Shanghai', () => {
    // prepare
    const fridayShanghai = '2026-11-27T15:00:00.000Z'; // Friday 23:00
    const saturdayShanghai = '2026-11-27T17:00:00.000Z'; // Saturday 01:00
    const mondayShanghai = '2026-11-29T16:00:00.000Z'; // Monday 00:00

    // act
    const overMidnight = workingDaysBetween(fridayShanghai, saturdayShanghai, calendars);
    const toMonday = workingDaysBetween(fridayShanghai, mondayShanghai, calendars);

    // assess
    expect(overMidnight).toBe(0);
    expect(toMonday).toBe(1);
  });

  it('skips the National Day holiday and counts its make-up Saturday', () => {
    // prepare
    const from = noon('2026-09-30');
    const to = noon('2026-10-10');

    // act
    const count = workingDaysBetween(from, to, calendars);

    // assess
    expect(count).toBe(3); // Thu 8, Fri 9, Sat 10 (调休上班)
  });

  it('counts the Spring Festival span the same way addWorkingDays does', () => {
    // prepare
    const from = noon('2026-02-10');

    // act
    const due = addWorkingDays(from, 7, calendars);
    const elapsed = workingDaysBetween(from, due, calendars);

    // assess
    expect(due).toBe(endOfDay('2026-02-26')); // Wed 11, Thu 12, Fri 13, Sat 14, Tue 24, Wed 25, Thu 26
    expect(elapsed).toBe(7);
  });

  it('inverts addWorkingDays for every start day and length through 2026', () => {
    // prepare
    const starts: string[] = [];
    for (
      let ms = Date.parse('2026-01-01T00:00:00Z');
      ms < Date.parse('2027-01-01T00:00:00Z');
      ms += 24 * 60 * 60 * 1000
    ) {
      starts.push(noon(new Date(ms).toISOString().slice(0, 10)));
    }

    // act
    const mismatches = starts.flatMap((from) =>
      [0, 1, 2, 5, 10, 20].flatMap((days) => {
        const elapsed = workingDaysBetween(from, addWorkingDays(from, days, calendars), calendars);
        return elapsed === days ? [] : [{ from, days, elapsed }];
      }),
    );

    // assess
    expect(mismatches).toEqual([]);
  });

  it('adds up over consecutive intervals', () => {
    // prepare
    const a = noon('2026-01-02');
    const b = noon('2026-05-06');
    const c = noon('2026-10-20');

    // act
    const whole = workingDaysBetween(a, c, calendars);
    const parts = workingDaysBetween(a, b, calendars) + workingDaysBetween(b, c, calendars);

    // assess
    expect(parts).toBe(whole);
  });
});

describe('the 2026 calendar data', () => {
  const calendar2026 = chinaHolidayCalendars.find((c) => c.year === 2026);

  it('holds only valid dates inside their year', () => {
    // prepare
    const validDate = (day: string) =>
      /^\d{4}-\d{2}-\d{2}$/.test(day) && new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) === day;

    // act
    const bad = chinaHolidayCalendars.flatMap((c) =>
      [...c.holidays, ...c.makeUpWorkdays].filter((day) => !validDate(day) || !day.startsWith(`${c.year}-`)),
    );

    // assess
    expect(bad).toEqual([]);
    expect(chinaHolidayCalendars.every((c) => holidayCalendarSchema.safeParse(c).success)).toBe(true);
  });

  it('lists no day both as a holiday and as a make-up workday', () => {
    // prepare
    const pairs = chinaHolidayCalendars.map((c) => ({ holidays: new Set(c.holidays), makeUp: c.makeUpWorkdays }));

    // act
    const both = pairs.flatMap(({ holidays, makeUp }) => makeUp.filter((day) => holidays.has(day)));

    // assess
    expect(both).toEqual([]);
  });

  it('puts every make-up workday on a Saturday or Sunday', () => {
    // prepare
    const makeUp = chinaHolidayCalendars.flatMap((c) => c.makeUpWorkdays);

    // act
    const weekdays = makeUp.filter((day) => weekdayOf(day) !== 0 && weekdayOf(day) !== 6);

    // assess
    expect(weekdays).toEqual([]);
  });

  it('lists no holiday or make-up day twice', () => {
    // prepare
    const lists = chinaHolidayCalendars.flatMap((c) => [c.holidays, c.makeUpWorkdays]);

    // act
    const duplicated = lists.filter((list) => new Set(list).size !== list.length);

    // assess
    expect(duplicated).toEqual([]);
  });

  it('matches the State Council notice for 2026 day by day', () => {
    // prepare
    const expectedHolidays = [
      '2026-01-01',
      '2026-01-02',
      '2026-01-03',
      '2026-02-15',
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
      '2026-02-21',
      '2026-02-22',
      '2026-02-23',
      '2026-04-04',
      '2026-04-05',
      '2026-04-06',
      '2026-05-01',
      '2026-05-02',
      '2026-05-03',
      '2026-05-04',
      '2026-05-05',
      '2026-06-19',
      '2026-06-20',
      '2026-06-21',
      '2026-09-25',
      '2026-09-26',
      '2026-09-27',
      '2026-10-01',
      '2026-10-02',
      '2026-10-03',
      '2026-10-04',
      '2026-10-05',
      '2026-10-06',
      '2026-10-07',
    ];
    const expectedMakeUp = ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'];

    // act
    const holidays = [...(calendar2026?.holidays ?? [])].sort();
    const makeUp = [...(calendar2026?.makeUpWorkdays ?? [])].sort();

    // assess
    expect(holidays).toEqual(expectedHolidays);
    expect(makeUp).toEqual(expectedMakeUp);
    expect(calendar2026?.source).toContain('国务院办公厅关于2026年部分节假日安排的通知');
  });

  it('rejects a calendar with a day outside its year or a day both off and on', () => {
    // prepare
    const outside = { year: 2026, holidays: ['2025-12-31'], makeUpWorkdays: [], source: 'test' };
    const both = { year: 2026, holidays: ['2026-01-04'], makeUpWorkdays: ['2026-01-04'], source: 'test' };
    const notADate = { year: 2026, holidays: ['2026-02-30'], makeUpWorkdays: [], source: 'test' };

    // act
    const results = [outside, both, notADate].map((data) => holidayCalendarSchema.safeParse(data).success);

    // assess
    expect(results).toEqual([false, false, false]);
  });
});
