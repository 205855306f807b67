/**
 * What intake and its dry run both look up before judging a body: the community in the city's
 * unit tree, and the city's policy in force today. Kept apart from the intake handler so the dry
 * run's bundle does not carry the KMS client that intake seals resident IDs with.
 */
import { shanghaiDate } from '../../kernel/domain/dates.js';
import { InvalidRequestError } from '../../kernel/domain/errors.js';
import type { CityPolicy } from '../../kernel/domain/policy.js';
import type { ApiDependencies } from './dependencies.js';

export async function intakeContext(
  deps: Pick<ApiDependencies, 'units' | 'policies'>,
  communityId: string,
  now: Date,
): Promise<{ communityPath: string[]; policy: CityPolicy }> {
  const community = await deps.units.get(communityId);
  if (!community) {
    throw new InvalidRequestError('no such community', [
      { field: 'communityId', message: `${communityId} is not a known community` },
    ]);
  }
  const cityId = community.path[0] as string;
  const policy = await deps.policies.inForce(cityId, shanghaiDate(now));
  if (!policy) throw new InvalidRequestError(`${cityId} has no policy in force today`);
  return { communityPath: community.path, policy };
}
