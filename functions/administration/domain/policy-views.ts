/** How a policy version is listed: its name, when it takes effect, where it came from, and whether it is in force. */
import type { CityPolicy } from '../../kernel/domain/policy.js';
import type { PolicyVersion } from './policy-versions.js';

export type PolicyStatus = 'in-force' | 'scheduled' | 'superseded';

export function policyVersionView(v: PolicyVersion, today: string, inForce?: string) {
  const status: PolicyStatus =
    v.policy.effectiveFrom > today
      ? 'scheduled'
      : inForce === undefined || inForce === v.policy.version
        ? 'in-force'
        : 'superseded';
  return {
    version: v.policy.version,
    cityId: v.policy.cityId,
    effectiveFrom: v.policy.effectiveFrom,
    source: v.source,
    ...(v.publishedAt ? { publishedAt: v.publishedAt, publishedBy: v.publishedBy } : {}),
    status,
  };
}
export type PolicyVersionView = ReturnType<typeof policyVersionView>;

/** The answer of `GET /policies`: the city's versions, oldest first, and the one in force today. */
export interface PolicyList {
  cityId: string;
  inForce?: string;
  items: PolicyVersionView[];
}

/** The answer of `GET /policies?version=`: one version with its whole document. */
export type PolicyDocumentView = PolicyVersionView & { document: CityPolicy };
