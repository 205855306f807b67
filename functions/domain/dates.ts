/** Business dates are Asia/Shanghai (UTC+8, no daylight saving); storage keeps UTC instants. */
const shanghaiOffsetMs = 8 * 60 * 60 * 1000;

export function shanghaiDate(instant: Date): string {
  return new Date(instant.getTime() + shanghaiOffsetMs).toISOString().slice(0, 10);
}
