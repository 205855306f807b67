/**
 * The administrative tree a city is organised in: city → district → street → community.
 * Unit ids carry their level as a prefix (`street:gexin`), so the level never needs a lookup.
 */

export const unitLevels = ['city', 'district', 'street', 'community'] as const;
export type UnitLevel = (typeof unitLevels)[number];

export interface Unit {
  id: string;
  name: string;
  /** Ids from the city down to this unit, this unit last. */
  path: string[];
}

// At most 64 characters after the level: ids end up in table keys, which have a size limit.
const unitIdPattern = /^(city|district|street|community):[a-z0-9][a-z0-9-]{0,63}$/;

export function isUnitId(value: string): boolean {
  return unitIdPattern.test(value);
}

export function unitLevel(unitId: string): UnitLevel {
  const level = unitId.slice(0, unitId.indexOf(':'));
  if (!(unitLevels as readonly string[]).includes(level)) {
    throw new Error(`not a unit id: ${unitId}`);
  }
  return level as UnitLevel;
}

/** True when `unitId` is the unit at the end of `path` or one of its ancestors. */
export function unitCovers(unitId: string, path: readonly string[]): boolean {
  return path.includes(unitId);
}

/** The unit at a given level on a path, if the path passes through that level. */
export function unitAtLevel(path: readonly string[], level: UnitLevel): string | undefined {
  return path.find((id) => unitLevel(id) === level);
}
