/** GET /policies/diff?from=&to= — what changed between two versions of the caller's city's policy, field by field. */

import { NotFoundError } from '../../kernel/domain/errors.js';
import { httpHandler, json, validated } from '../../kernel/http/http.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { type PolicyDiffView, policyDiff } from '../domain/policy-diff.js';
import { type AdminDependencies, administeredCity, productionAdminDependencies } from './dependencies.js';
import { policyDiffQuerySchema } from './request-schemas.js';

export function makePolicyDiff(deps: Pick<AdminDependencies, 'resolveActor' | 'policies'>) {
  return httpHandler(async (event) => {
    const cityId = administeredCity(await deps.resolveActor(event));
    const query = validated(policyDiffQuerySchema, event.queryStringParameters ?? {});
    const [from, to] = await Promise.all([deps.policies.version(query.from), deps.policies.version(query.to)]);
    // Another city's version is as unknown as one that does not exist.
    if (!from || from.policy.cityId !== cityId)
      throw new NotFoundError(`${cityId} has no policy version ${query.from}`);
    if (!to || to.policy.cityId !== cityId) throw new NotFoundError(`${cityId} has no policy version ${query.to}`);
    return json(200, {
      from: { version: from.policy.version, effectiveFrom: from.policy.effectiveFrom },
      to: { version: to.policy.version, effectiveFrom: to.policy.effectiveFrom },
      changes: policyDiff(from.policy, to.policy),
    } satisfies PolicyDiffView);
  });
}

export const handler = builtOnFirstCall(() => makePolicyDiff(productionAdminDependencies()));
