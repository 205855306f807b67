/** A version of a city's policy as the city holds it: the document, where it came from, and which one is in force. */
import type { CityPolicy } from '../../kernel/domain/policy.js';

export interface PolicyVersion {
  policy: CityPolicy;
  /** `shipped` with the code, or `published` through the API. */
  source: 'shipped' | 'published';
  publishedAt?: string;
  publishedBy?: string;
}

/** The version a city's policy is in force on a date: the latest effective; of two effective the same day, the later published. */
export function versionInForce(versions: readonly PolicyVersion[], onDate: string): PolicyVersion | undefined {
  return versions
    .filter((v) => v.policy.effectiveFrom <= onDate)
    .sort(
      (a, b) =>
        b.policy.effectiveFrom.localeCompare(a.policy.effectiveFrom) ||
        (b.publishedAt ?? '').localeCompare(a.publishedAt ?? ''),
    )[0];
}
