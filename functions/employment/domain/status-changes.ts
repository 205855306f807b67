/**
 * A change of a person's status (rule 2 of `employment-ledger.ts`): recorded by their community's
 * staff with its date and evidence, or by a final approval that puts them in work.
 *
 * 1. Staff change only their own community's entries, and only as the entry is (`expectedVersion`).
 * 2. A change changes something, and a person who moved away is registered again instead.
 * 3. It is dated on or after the registration and the last change, and not in the future.
 * 4. The entry takes the new status from that day; the household is recomputed (rule 4).
 */
import type { Actor } from '../../kernel/domain/actor.js';
import { ConflictError, NotFoundError } from '../../kernel/domain/errors.js';
import type { ProgrammeId } from '../../kernel/domain/programmes.js';
import {
  type EmploymentKind,
  type Household,
  type LedgerEntry,
  type LedgerEntryState,
  type LedgerStatus,
  refusal,
  type StatusChange,
  screenedEvidence,
} from './employment-ledger.js';
import { type LedgerTransition, recorded } from './ledger-lifecycle.js';

/** Step 2: a change that changes nothing (same status, same kind) is refused: the ledger records changes. */
export function assertChanges(
  entry: Pick<LedgerEntryState, 'status' | 'employment'>,
  change: Pick<StatusChange, 'status' | 'employment'>,
) {
  if (entry.status === change.status && entry.employment === change.employment)
    throw refusal(
      'status',
      `the person is already ${change.status}${change.employment ? ` (${change.employment})` : ''}`,
    );
  if (entry.status === 'moved-away')
    throw refusal('status', 'the person moved away; register them again to change their status');
}

/** Step 3: a change dated before the registration, before the last change, or after today is refused. */
export function assertChangeDate(
  entry: Pick<LedgerEntryState, 'registeredOn' | 'statusSince'>,
  on: string,
  today: string,
) {
  if (on > today) throw refusal('on', `${on} is in the future (today is ${today})`);
  if (on < entry.registeredOn) throw refusal('on', `${on} is before the registration on ${entry.registeredOn}`);
  if (on < entry.statusSince) throw refusal('on', `${on} is before the last recorded change on ${entry.statusSince}`);
}

/** Step 4: the entry after a status change on `on` (the rules were checked). */
function entryAfterChange(
  entry: LedgerEntry,
  change: { on: string; status: LedgerStatus; employment?: EmploymentKind },
  at: string,
): LedgerEntry {
  const next = { ...entry, status: change.status, statusSince: change.on, version: entry.version + 1 };
  if (change.employment) next.employment = change.employment;
  else delete next.employment;
  return { ...next, updatedAt: at };
}

/** A status change by community staff: `today` is the Shanghai date the rules judge by, `at` the instant it is recorded. */
export function changeStatus(
  entry: LedgerEntry,
  household: Household,
  change: StatusChange,
  actor: Actor,
  when: { today: string; at: string },
): LedgerTransition {
  // Only its community keeps an entry, and any other is answered as an entry that does not exist
  // (the same 404 as an unknown id): a 403 would confirm it to another community's or city's staff.
  if (entry.communityId !== actor.unit) throw new NotFoundError(`no ledger entry ${entry.id}`);
  if (change.expectedVersion !== undefined && change.expectedVersion !== entry.version)
    throw new ConflictError(`entry ${entry.id} is at version ${entry.version}, not ${change.expectedVersion}`, {
      currentVersion: entry.version,
    });
  assertChanges(entry, change);
  assertChangeDate(entry, change.on, when.today);
  return recorded({
    entry: entryAfterChange(entry, change, when.at),
    priorVersion: entry.version,
    household,
    event: {
      at: when.at,
      on: change.on,
      action: 'status-changed',
      actor,
      statusBefore: entry.status,
      status: change.status,
      ...(change.employment ? { employment: change.employment } : {}),
      certificateHolder: entry.certificateHolder,
      evidence: screenedEvidence(change.evidence),
      unitPath: entry.unitPath,
      householdId: entry.householdId,
    },
  });
}

// ── final approvals ──────────────────────────────────────────────────────────────────────

/** What a final approval of each programme tells the ledger about the person. */
export const employmentOfProgramme: Record<ProgrammeId, EmploymentKind> = {
  'post-subsidy': 'public-welfare-post',
  'social-insurance/public-welfare-post': 'public-welfare-post',
  'microloan-guarantee': 'self-employed',
  'social-insurance/flexible-employment': 'flexible',
};

/** Who records a change a final approval made, for the community that took the application in: not a person, and named so. */
export const approvalActor = (communityId: string) => ({
  sub: 'system:final-approval',
  role: 'system',
  unit: communityId,
});

/**
 * The date a final approval puts the person in work: the grant's first day (`start` is its first
 * month), never before what the ledger last recorded nor after today.
 */
export function approvalEffectiveDate(start: string | undefined, approvedOn: string, statusSince: string): string {
  const first = start ? `${start}-01` : approvedOn;
  const notLater = first > approvedOn ? approvedOn : first;
  return notLater < statusSince ? statusSince : notLater;
}

/** A final approval, as the ledger reads it. */
export interface FinalApproval {
  applicationId: string;
  programme: ProgrammeId;
  /** The community that took the application in. */
  communityId: string;
  /** The grant's first month, when it has one. */
  start?: string;
  /** The Shanghai date of the approval. */
  approvedOn: string;
}

/**
 * The person in work from the grant's first day, on the kind of work the programme tells, the
 * application linked. Nothing (undefined) for a person who moved away: no longer this city's to
 * count, the application stays unlinked.
 */
export function putInWorkByApproval(
  entry: LedgerEntry,
  household: Household,
  approval: FinalApproval,
  at: string,
): LedgerTransition | undefined {
  if (entry.status === 'moved-away') return undefined;
  const employment = employmentOfProgramme[approval.programme];
  const on = approvalEffectiveDate(approval.start, approval.approvedOn, entry.statusSince);
  const next = entryAfterChange(entry, { on, status: 'employed', employment }, at);
  return recorded({
    entry: { ...next, applications: [...entry.applications, approval.applicationId], updatedAt: at },
    priorVersion: entry.version,
    household,
    event: {
      at,
      on,
      action: 'status-changed',
      actor: approvalActor(approval.communityId),
      statusBefore: entry.status,
      status: 'employed',
      employment,
      certificateHolder: entry.certificateHolder,
      evidence: { kind: 'subsidy-approval', reference: approval.applicationId },
      applicationId: approval.applicationId,
      unitPath: entry.unitPath,
      householdId: entry.householdId,
    },
    linkedApplication: approval.applicationId,
  });
}
