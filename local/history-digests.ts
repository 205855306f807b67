/**
 * The daily-digest job on one machine: the handler the AWS schedule runs, called every
 * `intervalMs` (it writes any of the last week's days that has no digest yet) and on demand for
 * one day. Digests go to DIGEST_DIR (`digests/` in the data directory), read-only files never replaced.
 */
import { environment } from '../functions/kernel/runtime/environment.js';

export type DigestHandler = (event: { day?: string }) => Promise<{ written: string[] }>;

export interface LocalDigests {
  /** Writes the digest of `day` now (a Shanghai date); answers whether it was written (false: one was already). */
  writeNow(day: string): Promise<boolean>;
  /** Where the digests are. */
  dir: string;
  stop(): void;
}

export function startLocalDigests(handler: DigestHandler, intervalMs: number): LocalDigests {
  const run = () =>
    handler({}).catch((error: unknown) => console.error(`the daily history digest failed: ${String(error)}`));
  void run();
  const timer = intervalMs > 0 ? setInterval(run, intervalMs) : undefined;
  timer?.unref();
  return {
    async writeNow(day) {
      return (await handler({ day })).written.includes(day);
    },
    dir: environment('DIGEST_DIR').DIGEST_DIR ?? '',
    stop: () => clearInterval(timer),
  };
}
