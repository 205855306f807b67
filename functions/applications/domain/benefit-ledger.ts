/**
 * The benefit ledger's rules: what a person may be granted given what they were granted before.
 * Pure: the store reads the person's grants and records the new one in the same transaction as
 * the final approval; this module only says whether that approval may happen, and why not.
 *
 * 1. No two grants of one programme cover the same month.
 * 2. The months granted under one programme, the new grant included, stay within the person's
 *    lifetime cap (already extended towards retirement where the city's policy allows).
 * 3. No grant covers a month that a programme the policy declares exclusive with it also covers.
 * 4. The national rule: no two grants of one programme cover the same month in any two cities.
 *    What the city learns of another city's grant is only that it exists: no application, city,
 *    amount or period (rules 1–3 judge the city's own grants, which its staff may see named).
 */
import { lastMonthOf, monthIndex } from '../../kernel/domain/dates.js';
import { type CityPolicy, ledgerRulesFor } from '../../kernel/domain/policy.js';
import { type ProgrammeId, programmeIds } from '../../kernel/domain/programmes.js';

/** One approved grant, as the ledger keeps it. */
export interface Grant {
  programme: ProgrammeId;
  /** First month covered, `YYYY-MM`. */
  start: string;
  months: number;
  /** The application whose final approval granted it. */
  applicationId: string;
  grantedFen: number;
  /** The first month it no longer pays: the holder stopped qualifying then (the monthly re-check). */
  suspendedFrom?: string;
}

/**
 * The months of a grant that may be paid, in order: its period up to the month before it was
 * suspended (none when suspended from its start or earlier). A month paid after `suspendedFrom`
 * is money to recover.
 */
export function payableMonths(grant: Pick<Grant, 'start' | 'months' | 'suspendedFrom'>): string[] {
  const months: string[] = [];
  for (let n = 1; n <= grant.months; n++) {
    const month = lastMonthOf(grant.start, n);
    if (grant.suspendedFrom !== undefined && month >= grant.suspendedFrom) break;
    months.push(month);
  }
  return months;
}

/** Whether the grant pays for `month` (`YYYY-MM`). */
export function paysFor(grant: Pick<Grant, 'start' | 'months' | 'suspendedFrom'>, month: string): boolean {
  const index = monthIndex(month) - monthIndex(grant.start);
  return index >= 0 && index < grant.months && (grant.suspendedFrom === undefined || month < grant.suspendedFrom);
}

/** The grant a final approval would record, with the cap that applies to this person. */
export interface ProposedGrant extends Grant {
  /** Months the person may be granted under this programme in a lifetime, this grant included. */
  maxMonthsLifetime: number;
}

export type LedgerViolation =
  | { rule: 'overlapping-period'; conflictingGrant: Grant; message: string }
  | {
      rule: 'lifetime-cap';
      monthsAlreadyGranted: number;
      monthsAsked: number;
      maxMonthsLifetime: number;
      message: string;
    }
  | { rule: 'excluded-programme'; conflictingGrant: Grant; message: string }
  /** Another city's grant of the programme covers some of the months: that, and nothing about it. */
  | { rule: 'held-elsewhere'; message: string };

export interface LedgerVerdict {
  allowed: boolean;
  violations: LedgerViolation[];
}

/** Whether two periods share at least one month. */
export function periodsOverlap(a: { start: string; months: number }, b: { start: string; months: number }): boolean {
  const aFrom = monthIndex(a.start);
  const bFrom = monthIndex(b.start);
  return aFrom < bFrom + b.months && bFrom < aFrom + a.months;
}

const describe = (g: Grant) =>
  `${g.programme} ${g.start}–${lastMonthOf(g.start, g.months)} (application ${g.applicationId})`;

/**
 * The verdict on recording `proposed` beside the person's `existing` grants. `exclusiveWith` lists
 * the programmes that may not cover the same months as the proposed one, in either direction of
 * the policy's declaration (see `exclusionsOf`). A grant of the same application is the same
 * grant and is not held against itself.
 */
export function checkGrant(
  existing: readonly Grant[],
  proposed: ProposedGrant,
  exclusiveWith: readonly ProgrammeId[],
): LedgerVerdict {
  const others = existing.filter((g) => g.applicationId !== proposed.applicationId);
  const violations: LedgerViolation[] = [];

  const sameProgramme = others.filter((g) => g.programme === proposed.programme);
  for (const grant of sameProgramme.filter((g) => periodsOverlap(g, proposed))) {
    violations.push({
      rule: 'overlapping-period',
      conflictingGrant: grant,
      message: `already granted ${describe(grant)} for months this application asks for`,
    });
  }

  const monthsAlreadyGranted = sameProgramme.reduce((sum, g) => sum + g.months, 0);
  if (monthsAlreadyGranted + proposed.months > proposed.maxMonthsLifetime) {
    violations.push({
      rule: 'lifetime-cap',
      monthsAlreadyGranted,
      monthsAsked: proposed.months,
      maxMonthsLifetime: proposed.maxMonthsLifetime,
      message: `${monthsAlreadyGranted} months already granted under ${proposed.programme}; ${proposed.months} more would pass the lifetime cap of ${proposed.maxMonthsLifetime}`,
    });
  }

  for (const grant of others.filter(
    (g) => g.programme !== proposed.programme && exclusiveWith.includes(g.programme) && periodsOverlap(g, proposed),
  )) {
    violations.push({
      rule: 'excluded-programme',
      conflictingGrant: grant,
      message: `${proposed.programme} may not be held in the same months as ${describe(grant)}`,
    });
  }

  return { allowed: violations.length === 0, violations };
}

/**
 * The programmes exclusive with `programme`: those its own rules name, and those whose rules name
 * it. An exclusion is mutual whichever side of it the policy wrote down.
 */
export function exclusionsOf(
  programme: ProgrammeId,
  exclusiveWithOf: (p: ProgrammeId) => readonly ProgrammeId[],
  all: readonly ProgrammeId[],
): ProgrammeId[] {
  const named = new Set(exclusiveWithOf(programme));
  for (const other of all) if (other !== programme && exclusiveWithOf(other).includes(programme)) named.add(other);
  named.delete(programme);
  return [...named];
}

/** The part of an application's entitlement the ledger records and caps. */
export interface LedgerEntitlement {
  start: string;
  months: number;
  grantedFen: number;
  /** The person's lifetime cap for the programme, already extended towards retirement where the policy allows. */
  maxMonthsLifetime: number;
}

/**
 * The verdict on finally approving an application under `policy` (the version it was submitted
 * under), and the grant to record with it. An application without an entitlement (taken in
 * before entitlements were computed) records no grant and is not held back.
 */
export function finalApprovalVerdict(
  application: { id: string; programme: ProgrammeId; entitlement?: LedgerEntitlement },
  existing: readonly Grant[],
  policy: CityPolicy,
  /** The periods of the programme the person holds in other cities (rule 4). */
  heldElsewhere: readonly { start: string; months: number }[] = [],
): LedgerVerdict & { grant?: Grant } {
  const exclusiveWith = exclusionsOf(
    application.programme,
    (p) => ledgerRulesFor(policy, p).exclusiveWith,
    programmeIds,
  );
  const entitlement = application.entitlement;
  if (!entitlement) return { allowed: true, violations: [] };
  const grant: Grant = {
    programme: application.programme,
    start: entitlement.start,
    months: entitlement.months,
    applicationId: application.id,
    grantedFen: entitlement.grantedFen,
  };
  const verdict = checkGrant(existing, { ...grant, maxMonthsLifetime: entitlement.maxMonthsLifetime }, exclusiveWith);
  if (heldElsewhere.some((period) => periodsOverlap(period, grant)))
    verdict.violations.push({
      rule: 'held-elsewhere',
      message: `a grant of ${grant.programme} in another city covers some of the months asked (one subsidy of a kind at a time, nationally)`,
    });
  return { allowed: verdict.violations.length === 0, violations: verdict.violations, grant };
}
