/**
 * Calendar arithmetic the rules need: a person's age on a date, their statutory retirement under
 * the city's schedule (the 2025 gradual reform), how long a subsidy may run before it, and the
 * length of a labour contract in months.
 */
import { monthIndex } from './dates.js';
import type { CityPolicy, RetirementSchedule } from './policy.js';
import type { ProgrammeId } from './programmes.js';
import type { ResidentIdFacts } from './resident-id.js';

// ---------------------------------------------------------------------------------------------
// Calendar arithmetic on plain dates (YYYY-MM-DD); no time zones are involved.
const pad = (n: number, width = 2) => String(n).padStart(width, '0');
function parts(date: string): [number, number, number] {
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The same day `months` later; a day the target month lacks becomes its last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonthsToDate(date: string, months: number): string {
  const [year, month, day] = parts(date);
  const index = year * 12 + (month - 1) + months;
  const toYear = Math.floor(index / 12);
  const toMonth = (index % 12) + 1;
  return `${pad(toYear, 4)}-${pad(toMonth)}-${pad(Math.min(day, daysInMonth(toYear, toMonth)))}`;
}

function dayAfter(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86400000).toISOString().slice(0, 10);
}

/**
 * Age in whole years on a date. A birthday is reached on the same month and day; someone born on
 * 29 February reaches it on 28 February in other years (the end of their birth month).
 */
export function ageOn(birthDate: string, onDate: string): number {
  const [birthYear] = parts(birthDate);
  const [year] = parts(onDate);
  const candidate = year - birthYear;
  return addMonthsToDate(birthDate, candidate * 12) <= onDate ? candidate : candidate - 1;
}

/** Months of statutory retirement age for someone born in `birthMonth` (YYYY-MM) under a schedule. */
export function retirementAgeMonths(schedule: RetirementSchedule, birthMonth: string): number {
  const base = schedule.baseYears * 12;
  const cohortsIn = monthIndex(birthMonth) - monthIndex(schedule.reformFromBirthMonth);
  if (cohortsIn < 0) return base;
  const extra = Math.floor(cohortsIn / schedule.birthMonthsPerExtraMonth) + 1;
  return Math.min(base + extra, schedule.targetYears * 12);
}

/** The day the person reaches statutory retirement age under the city's policy. */
export function retirementDate(person: ResidentIdFacts, policy: CityPolicy): string {
  return addMonthsToDate(
    person.birthDate,
    retirementAgeMonths(policy.retirementAge[person.sex], person.birthDate.slice(0, 7)),
  );
}

/**
 * The person's lifetime cap in months for a programme, for a grant starting in `start`: the
 * policy's cap, extended up to retirement when the months left before the retirement month are
 * within the policy's window and more than the cap.
 */
export function durationCapMonths(
  policy: CityPolicy,
  programme: ProgrammeId,
  person: ResidentIdFacts,
  start: string,
): number {
  const rules = policy.programmes[programme];
  const within = rules.extendedToRetirementWithinYears;
  if (within === undefined) return rules.maxMonthsLifetime;
  const monthsLeft = monthsBeforeRetirement(policy, person, start);
  return monthsLeft > 0 && monthsLeft <= within * 12
    ? Math.max(rules.maxMonthsLifetime, monthsLeft)
    : rules.maxMonthsLifetime;
}

/** Months from `start` up to (not including) the month the person reaches retirement age. */
function monthsBeforeRetirement(policy: CityPolicy, person: ResidentIdFacts, start: string): number {
  return monthIndex(retirementDate(person, policy).slice(0, 7)) - monthIndex(start);
}

/** Whole months a contract from `start` to `end` (both days included) runs. */
export function contractMonths(start: string, end: string): number {
  const endExclusive = dayAfter(end);
  let months = Math.max(
    0,
    (parts(endExclusive)[0] - parts(start)[0]) * 12 + parts(endExclusive)[1] - parts(start)[1] - 1,
  );
  while (addMonthsToDate(start, months + 1) <= endExclusive) months++;
  return months;
}
