/**
 * The policies this build ships: the seed of each city's versions. Handlers and steps ask the
 * store's policy repository (`functions/administration/store/policies.ts`), which adds the versions administrators
 * published with `POST /policies`; the lookups below answer for shipped versions only (tests, tools).
 */
import { type CityPolicy, createPolicyRegistry } from '../policy.js';
import { shijiazhuang2026v1 } from './shijiazhuang-2026.1.js';

export const shippedPolicyDocuments: readonly unknown[] = [shijiazhuang2026v1];

/** The documents shipped in `./policies/`, validated when the module loads: a bad one fails the deploy's tests, not a request. */
export const shippedPolicies = createPolicyRegistry(shippedPolicyDocuments);

/** The policy in force for a city on a date: the latest version already effective. */
export function policyInForce(cityId: string, onDate: string): CityPolicy | undefined {
  return shippedPolicies.inForce(cityId, onDate);
}

/** The exact version an application was submitted under; it is judged by it to the end. */
export function policyVersion(version: string): CityPolicy | undefined {
  return shippedPolicies.version(version);
}

/** The policy an application is judged by; its absence is a deployment fault, not a client's. */
export function policyOfApplication(application: { id: string; policyVersion: string }): CityPolicy {
  const policy = policyVersion(application.policyVersion);
  if (!policy) throw new Error(`policy ${application.policyVersion} of application ${application.id} is not loaded`);
  return policy;
}
