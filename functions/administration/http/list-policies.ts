/**
 * GET /policies?version= — the caller's city's policy versions, oldest first, each with its
 * effective date and status (in force, scheduled, superseded); with `version`, that version's
 * whole document. For the city's administrator.
 */

import { shanghaiDate } from '../../kernel/domain/dates.js';
import { NotFoundError } from '../../kernel/domain/errors.js';
import { httpHandler, json, validated } from '../../kernel/http/http.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { versionInForce } from '../domain/policy-versions.js';
import { type PolicyDocumentView, type PolicyList, policyVersionView } from '../domain/policy-views.js';
import { type AdminDependencies, administeredCity, productionAdminDependencies } from './dependencies.js';
import { policiesQuerySchema } from './request-schemas.js';

export function makeListPolicies(deps: Pick<AdminDependencies, 'resolveActor' | 'policies' | 'now'>) {
  return httpHandler(async (event) => {
    const cityId = administeredCity(await deps.resolveActor(event));
    const today = shanghaiDate(deps.now());
    const versions = await deps.policies.list(cityId);
    const inForce = versionInForce(versions, today)?.policy.version;
    const wanted = validated(policiesQuerySchema, event.queryStringParameters ?? {}).version;
    if (wanted) {
      const found = versions.find((v) => v.policy.version === wanted);
      if (!found) throw new NotFoundError(`${cityId} has no policy version ${wanted}`);
      return json(200, {
        ...policyVersionView(found, today, inForce),
        document: found.policy,
      } satisfies PolicyDocumentView);
    }
    return json(200, {
      cityId,
      inForce,
      items: versions.map((v) => policyVersionView(v, today, inForce)),
    } satisfies PolicyList);
  });
}

export const handler = builtOnFirstCall(() => makeListPolicies(productionAdminDependencies()));
