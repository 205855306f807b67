/** GET /verification/runs/{month} — the report of the caller's city's re-check of a month: 404 when none was run or asked for. */
import { NotFoundError } from '../../kernel/domain/errors.js';
import { httpHandler, json, validated } from '../../kernel/http/http.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { productionRecheckRouteDependencies, type RecheckRouteDependencies } from './recheck-dependencies.js';
import { recheckCityOf, recheckReport } from './recheck-runs.js';
import { recheckRunPathSchema } from './request-schemas.js';

export function makeGetRecheckRun(deps: RecheckRouteDependencies) {
  return httpHandler(async (event) => {
    const actor = await deps.resolveActor(event);
    const cityId = recheckCityOf(actor);
    const { month } = validated(recheckRunPathSchema, event.pathParameters ?? {});
    const [run, suspended] = await Promise.all([
      deps.runs.get(cityId, month),
      deps.suspensions.suspensions(cityId, month),
    ]);
    if (!run) throw new NotFoundError(`no re-check of ${cityId} for ${month}`);
    return json(200, recheckReport(run, suspended));
  });
}

export const handler = builtOnFirstCall(() => makeGetRecheckRun(productionRecheckRouteDependencies()));
