/**
 * What changed between two versions of a city's policy, field by field: every leaf whose value
 * differs, named by its path (`programmes.post-subsidy.monthlyCapFen`), with both values. Lists of
 * plain values (document kinds, a chain) compare whole; lists of objects (rejection reasons) by position.
 */
import type { CityPolicy } from '../../kernel/domain/policy.js';

export interface PolicyChange {
  path: string;
  /** Absent when the field is new in `to`. */
  from?: unknown;
  /** Absent when the field was dropped in `to`. */
  to?: unknown;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isListOfRecords = (value: unknown): value is unknown[] => Array.isArray(value) && value.some(isRecord);

function walk(path: string[], from: unknown, to: unknown, changes: PolicyChange[]): void {
  if (isRecord(from) && isRecord(to)) {
    for (const key of [...new Set([...Object.keys(from), ...Object.keys(to)])].sort())
      walk([...path, key], from[key], to[key], changes);
    return;
  }
  if (isListOfRecords(from) && isListOfRecords(to)) {
    for (let i = 0; i < Math.max(from.length, to.length); i++) walk([...path, String(i)], from[i], to[i], changes);
    return;
  }
  if (JSON.stringify(from) === JSON.stringify(to)) return;
  changes.push({
    path: path.join('.'),
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
  });
}

/** The answer of `GET /policies/diff`: the two versions compared, and what changed from one to the other. */
export interface PolicyDiffView {
  from: { version: string; effectiveFrom: string };
  to: { version: string; effectiveFrom: string };
  changes: PolicyChange[];
}

/** The changes from one version to another (the version names themselves are not counted). */
export function policyDiff(from: CityPolicy, to: CityPolicy): PolicyChange[] {
  const changes: PolicyChange[] = [];
  const { version: _a, ...before } = from;
  const { version: _b, ...after } = to;
  walk([], before, after, changes);
  return changes;
}
