/**
 * Households (rules 3 and 4 of `employment-ledger.ts`): a household is of one community, and
 * whether it is a zero-employment family is computed from its members after every change.
 */
import { type Household, type HouseholdEffect, type MemberState, refusal } from './employment-ledger.js';

/**
 * The rule: a working-age member out of work (unemployed, not past retirement on `on`) and nobody
 * in work. Members who left the labour force or moved away neither make nor end it.
 */
export function isZeroEmployment(members: readonly MemberState[], on: string): boolean {
  const available = members.some((m) => m.status === 'unemployed' && on < m.workingAgeUntil);
  return available && !members.some((m) => m.status === 'employed');
}

/**
 * The household after one member's state changed on `on`, and what that did: made it a
 * zero-employment family, ended one, or nothing. An end is never dated before the start.
 */
export function householdAfter(
  household: Household,
  entryId: string,
  member: MemberState,
  on: string,
): { household: Household; effect?: HouseholdEffect } {
  const members = { ...household.members, [entryId]: member };
  const zero = isZeroEmployment(Object.values(members), on);
  const next: Household = { ...household, members, episodes: [...household.episodes], version: household.version + 1 };
  if (zero && !household.zeroSince) {
    next.zeroSince = on;
    next.episodes.push({ from: on });
    return { household: next, effect: 'became-zero' };
  }
  if (!zero && household.zeroSince) {
    const to = on < household.zeroSince ? household.zeroSince : on;
    delete next.zeroSince;
    next.episodes = next.episodes.map((e) => (e.to === undefined ? { ...e, to } : e));
    return { household: next, effect: 'resolved' };
  }
  return { household: next };
}

/** Where an entry or a household is kept: the city, the community and the path between them. */
export type LedgerPlace = Pick<Household, 'cityId' | 'communityId' | 'unitPath'>;

/** A new household of a community, with no member yet: its first registration stores it. */
export function newHousehold(id: string, place: LedgerPlace, label?: string): Household {
  return {
    id,
    cityId: place.cityId,
    communityId: place.communityId,
    unitPath: place.unitPath,
    ...(label ? { label } : {}),
    members: {},
    episodes: [],
    version: 0,
  };
}

/** Rule 3: the household must be of the registering community (and so of its city). */
export function assertSameHousehold(
  household: Pick<Household, 'cityId' | 'communityId'>,
  cityId: string,
  communityId: string,
) {
  if (household.cityId !== cityId)
    throw refusal('household.id', `the household belongs to ${household.cityId}; a household holds people of one city`);
  if (household.communityId !== communityId)
    throw refusal(
      'household.id',
      `the household is kept by ${household.communityId}; a person moving between communities is registered anew there`,
    );
}
