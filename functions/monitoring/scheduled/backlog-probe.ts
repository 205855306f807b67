/**
 * Every five minutes on AWS (an EventBridge schedule): what waits at each approval stage, how much
 * of it is overdue, and how long the oldest has waited, published as EMF metrics for the
 * dashboard and the "oldest waiting application" alarm; and how many days the holiday schedules
 * still cover deadlines, for the "add next year's holidays" alarm. Counts only; no application
 * is named.
 */

import { calendarRepository } from '../../administration/index.js';
import { deadlineCalendarDaysLeft } from '../../applications/index.js';
import { chinaHolidayCalendars, type HolidayCalendar } from '../../kernel/domain/working-days.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { emfLine } from '../../kernel/runtime/metrics.js';
import { type TableContext, tableFromEnvironment } from '../../kernel/store/table.js';
import { type StageWaiting, waitingAtStages } from '../store/metrics.js';

/**
 * The metric lines for one look at the stages: per stage, then the alarms' metrics (the oldest
 * wait, the calendar's reach: the shortest of every city's, or of the shipped schedules when no
 * city has put one).
 */
export function backlogMetricLines(
  stages: readonly StageWaiting[],
  now: Date,
  calendarsOfCities: readonly (readonly HolidayCalendar[])[] = [chinaHolidayCalendars],
): string[] {
  const reach = Math.min(
    ...(calendarsOfCities.length ? calendarsOfCities : [chinaHolidayCalendars]).map((c) =>
      deadlineCalendarDaysLeft(now.toISOString(), c),
    ),
  );
  const ageOf = (entered?: string) => (entered ? Math.max(0, (now.getTime() - Date.parse(entered)) / 1000) : 0);
  const lines = stages.map((s) =>
    emfLine(
      { Stage: s.stage },
      [['Stage']],
      [
        { name: 'Backlog', value: s.waiting, unit: 'Count' },
        { name: 'Overdue', value: s.overdue, unit: 'Count' },
        { name: 'OldestWaiting', value: ageOf(s.oldestEnteredAt), unit: 'Seconds' },
      ],
      now,
    ),
  );
  const oldest = stages
    .map((s) => s.oldestEnteredAt)
    .filter((e): e is string => e !== undefined)
    .sort()[0];
  lines.push(
    emfLine(
      {},
      [[]],
      [
        { name: 'OldestWaiting', value: ageOf(oldest), unit: 'Seconds' },
        // Days, counted: CloudWatch has no day unit.
        { name: 'HolidayCalendarDaysLeft', value: reach, unit: 'Count' },
      ],
      now,
    ),
  );
  return lines;
}

export function makeBacklogProbe(deps: { table: TableContext; now: () => Date; write: (line: string) => void }) {
  return async (): Promise<{ lines: number }> => {
    const cities = await calendarRepository(deps.table).everyCity();
    const lines = backlogMetricLines(await waitingAtStages(deps.table), deps.now(), [...cities.values()]);
    for (const line of lines) deps.write(line);
    return { lines: lines.length };
  };
}

export const handler = builtOnFirstCall(() =>
  makeBacklogProbe({
    table: tableFromEnvironment(),
    now: () => new Date(),
    write: (line) => process.stdout.write(`${line}\n`),
  }),
);
