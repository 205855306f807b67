/** Business dates are Asia/Shanghai (UTC+8, no daylight saving); storage keeps UTC instants. */
const shanghaiOffsetMs = 8 * 60 * 60 * 1000;

export function shanghaiDate(instant: Date): string {
  return new Date(instant.getTime() + shanghaiOffsetMs).toISOString().slice(0, 10);
}

// Months written YYYY-MM: claim periods, grants and retirement months.
const monthPattern = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Months since year 0: periods compare as integer ranges. */
export function monthIndex(yearMonth: string): number {
  const match = monthPattern.exec(yearMonth);
  if (!match) throw new RangeError(`not a month such as 2026-04: ${yearMonth}`);
  return Number(match[1]) * 12 + Number(match[2]) - 1;
}

/** The last month a period covers, `YYYY-MM`. */
export function lastMonthOf(start: string, months: number): string {
  const last = monthIndex(start) + months - 1;
  return `${String(Math.floor(last / 12)).padStart(4, '0')}-${String((last % 12) + 1).padStart(2, '0')}`;
}
