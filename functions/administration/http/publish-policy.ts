/**
 * POST /policies — the city's administrator publishes a new version of its policy: the whole
 * document, validated against the policy schema (422 naming each path that fails), for their own
 * city, taking effect today or later (Asia/Shanghai). A version never changes once published: the
 * same name again → 409 (the same document again → 200, the version as it is, so a retry is safe).
 * To correct a version not yet in force, publish another effective the same day: the later wins.
 */
import { shanghaiDate } from '../../kernel/domain/dates.js';
import { ConflictError, ForbiddenError, InvalidRequestError } from '../../kernel/domain/errors.js';
import { canonicalJson } from '../../kernel/domain/history-chain.js';
import { type CityPolicy, cityPolicySchema } from '../../kernel/domain/policy.js';
import { httpHandler, json, jsonBody, validated } from '../../kernel/http/http.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { policyVersionView } from '../domain/policy-views.js';
import { AdminChangeConflictError } from '../store/admin-log.js';
import { PolicyVersionExistsError } from '../store/policies.js';
import { type AdminDependencies, administeredCity, productionAdminDependencies } from './dependencies.js';

export function makePublishPolicy(deps: Pick<AdminDependencies, 'resolveActor' | 'policies' | 'adminLog' | 'now'>) {
  return httpHandler(async (event) => {
    const actor = await deps.resolveActor(event);
    const cityId = administeredCity(actor);
    const document = validated(cityPolicySchema, jsonBody(event)) as CityPolicy;
    if (document.cityId !== cityId) throw new ForbiddenError(`${cityId}'s administrator publishes only its policy`);
    const now = deps.now();
    const today = shanghaiDate(now);
    const existing = await deps.policies.version(document.version);
    if (existing) {
      if (existing.policy.cityId === cityId && canonicalJson(existing.policy) === canonicalJson(document))
        return json(200, policyVersionView(existing, today));
      throw new ConflictError(`policy version ${document.version} exists and never changes; publish a new version`);
    }
    if (document.effectiveFrom < today)
      throw new InvalidRequestError('a new version takes effect today or later', [
        { field: 'effectiveFrom', message: `must be ${today} or later` },
      ]);
    try {
      const published = await deps.policies.publish(deps.adminLog, document, actor.sub, now.toISOString());
      return json(201, policyVersionView(published, today), { location: `/policies?version=${document.version}` });
    } catch (error) {
      if (error instanceof PolicyVersionExistsError || error instanceof AdminChangeConflictError)
        throw new ConflictError(`policy version ${document.version} was published at the same moment; read the list`);
      throw error;
    }
  });
}

export const handler = builtOnFirstCall(() => makePublishPolicy(productionAdminDependencies()));
