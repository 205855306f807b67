/**
 * Once a day (an EventBridge schedule; locally a periodic job of `npm start`): the digest of the
 * day before, plus any of the week before that has none (a day the job failed). `{ day }` in the
 * event writes that day's now (backfill, or on demand locally). A digest already written is never
 * replaced: the job is idempotent.
 */
import * as z from 'zod/mini';
import { shanghaiDate } from '../../kernel/domain/dates.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { logger } from '../../kernel/runtime/logger.js';
import { type TableContext, tableFromEnvironment } from '../../kernel/store/table.js';
import { type DigestSigner, type DigestStore, digestsFromEnvironment } from '../store/digest-archive.js';
import { writeDigest } from '../store/history-digests.js';

export interface DigestDependencies {
  table: TableContext;
  signer: DigestSigner;
  store: DigestStore;
  now: () => Date;
}

/** How many days back a run looks for a day without a digest. */
export const catchUpDays = 7;

const eventSchema = z.object({ day: z.optional(z.iso.date()) });
const dayMs = 24 * 3600 * 1000;

export function makeDailyDigest(deps: DigestDependencies) {
  return async (event: unknown): Promise<{ written: string[] }> => {
    const parsed = eventSchema.safeParse(event ?? {});
    const asked = parsed.success ? parsed.data.day : undefined;
    const now = deps.now();
    const days = asked
      ? [asked]
      : Array.from({ length: catchUpDays }, (_, i) => shanghaiDate(new Date(now.getTime() - (i + 1) * dayMs)));
    const have = new Set(asked ? [] : await deps.store.days());
    const written: string[] = [];
    for (const day of days.filter((d) => !have.has(d)).sort()) {
      const result = await writeDigest(deps.table, deps, day, now);
      if (result.written) written.push(day);
      logger.info('history digest', { day, events: result.count, written: result.written });
    }
    return { written };
  };
}

export const handler = builtOnFirstCall(async () =>
  makeDailyDigest({ table: tableFromEnvironment(), ...digestsFromEnvironment(), now: () => new Date() }),
);
