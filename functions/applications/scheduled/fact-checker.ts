/**
 * FactChecker — the one function that opens sealed resident IDs (KMS Decrypt, under the resident-ID
 * encryption context) to ask other offices about a person. It dispatches on the event's `kind`:
 *
 * - `{kind: 'monthly-recheck', cityId?, month?}`: the monthly schedule (the 1st, for the month just
 *   ended, every city) or an operator's invocation: the run of each city and month is created if
 *   absent (never reopened), then every unfinished run is worked.
 * - `{kind: 'resume-runs'}`: every few minutes, the runs asked for through `POST /verification/runs`
 *   and those an invocation left unfinished (out of time, or crashed: its lease ran out). Picking
 *   requests up on a schedule, rather than invoking this function from the route, keeps the API's
 *   roles free of `lambda:InvokeFunction` and makes one path for new, resumed and crashed runs; a
 *   request waits at most one tick.
 *
 * Every tick (`resume-runs`) also re-runs the checks of open applications that wait on data (a
 * source that was down, answers too old to decide on, a corrected resubmission): a source that is
 * back answers them without anyone acting (`rerun-pending.ts`).
 */
import type { Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { boundedMonth } from '../../kernel/domain/bounds.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { logger } from '../../kernel/runtime/logger.js';
import { monthJustEnded } from '../domain/grant-recheck.js';
import { type FactCheckerDependencies, productionFactCheckerDependencies } from './dependencies.js';
import { monthlyRecheck } from './monthly-recheck.js';
import { rerunPendingChecks } from './rerun-pending.js';

export const factCheckerEventSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('monthly-recheck'),
    cityId: z.optional(z.string().check(z.startsWith('city:'))),
    month: z.optional(boundedMonth),
  }),
  z.object({ kind: z.literal('resume-runs') }),
]);
export type FactCheckerEvent = z.infer<typeof factCheckerEventSchema>;

export interface FactCheckerAnswer {
  runs: { cityId: string; month: string; outcome: 'finished' | 'unfinished' | 'held-elsewhere' }[];
}

export function makeFactChecker(deps: FactCheckerDependencies) {
  const workRun = monthlyRecheck(deps);
  return async (input: unknown, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<FactCheckerAnswer> => {
    const event = z.parse(factCheckerEventSchema, input);
    if (event.kind === 'monthly-recheck') {
      const month = event.month ?? monthJustEnded(deps.now());
      const cities = event.cityId ? [event.cityId] : await deps.cities();
      const at = deps.now().toISOString();
      for (const cityId of cities) await deps.runs.request(cityId, month, 'schedule', at);
    }
    if (event.kind === 'resume-runs') {
      const rerun = await rerunPendingChecks(deps);
      if (rerun.answered + rerun.stillPending + rerun.cleared > 0) logger.info('pending checks re-run', { ...rerun });
    }
    const timeLeft = () => context?.getRemainingTimeInMillis() ?? Number.POSITIVE_INFINITY;
    const answer: FactCheckerAnswer = { runs: [] };
    for (const { cityId, month } of await deps.runs.due()) {
      const worked = await workRun(cityId, month, timeLeft);
      const outcome = !worked ? 'held-elsewhere' : worked.finished ? 'finished' : 'unfinished';
      answer.runs.push({ cityId, month, outcome });
      if (worked) logger.info('re-check run worked', { cityId, month, outcome, ...countsOf(worked.run) });
    }
    return answer;
  };
}

const countsOf = ({ checked, suspended, pendingGrants, pendingChecks }: Record<string, unknown>) => ({
  checked,
  suspended,
  pendingGrants,
  pendingChecks,
});

export const handler = builtOnFirstCall(async () => makeFactChecker(await productionFactCheckerDependencies()));
