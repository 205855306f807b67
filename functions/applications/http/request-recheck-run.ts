/**
 * POST /verification/runs {month} — asks for the monthly re-check of the caller's city for a month
 * that has ended. Idempotent: the same month again answers the same run (200); a run that finished
 * with checks pending is opened again for another round (202, as a new request). The fact checker
 * picks requested runs up within minutes (`scheduled/fact-checker.ts`).
 */
import { InvalidRequestError } from '../../kernel/domain/errors.js';
import { httpHandler, json, jsonBody, validated } from '../../kernel/http/http.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { monthJustEnded } from '../domain/grant-recheck.js';
import { productionRecheckRouteDependencies, type RecheckRouteDependencies } from './recheck-dependencies.js';
import { recheckCityOf, recheckReport } from './recheck-runs.js';
import { recheckRunBodySchema } from './request-schemas.js';

export function makeRequestRecheckRun(deps: RecheckRouteDependencies) {
  return httpHandler(async (event) => {
    const actor = await deps.resolveActor(event);
    const cityId = recheckCityOf(actor);
    const { month } = validated(recheckRunBodySchema, jsonBody(event));
    const now = deps.now();
    if (month > monthJustEnded(now))
      throw new InvalidRequestError(`${month} has not ended`, [
        { field: 'month', message: `a month that has ended: ${monthJustEnded(now)} or earlier` },
      ]);
    const { run, created } = await deps.runs.request(cityId, month, actor.sub, now.toISOString(), true);
    return json(created ? 202 : 200, recheckReport(run, await deps.suspensions.suspensions(cityId, month)));
  });
}

export const handler = builtOnFirstCall(() => makeRequestRecheckRun(productionRecheckRouteDependencies()));
