/**
 * The read audit (PIPL art. 51, Cybersecurity Law art. 21): every read of an application's
 * personal data is recorded (who, as what, when, which application, which fields) before the data
 * is answered, and kept at least six months, the law's minimum for logs. An entry holds no
 * personal data itself: the reader's `sub`, role and unit, the application's id and the names of
 * the fields read.
 */
import type { Actor } from './actor.js';

/** Six months at least (183 days); a city's policy may keep entries longer, never shorter. */
export const minimumReadAuditRetentionDays = 183;

/**
 * What the read was: an application's detail view, a line of a community's list (a page or a
 * search by name), the answer to a change (withdraw, resubmit, decide), an employment-ledger entry,
 * a line of a community's ledger or the answer to an entry's status change, a person's data on request (PIPL art. 45),
 * what the records of other offices say about them in a suspicion (疑点) an auditor reads, or the
 * questions intake asked those offices about the applicant (`verification`: the sources asked).
 */
export const readPurposes = [
  'application-detail',
  'application-list',
  'application-change',
  'ledger-entry',
  'ledger-list',
  'ledger-change',
  'people-export',
  'suspicion-detail',
  'suspicion-list',
  'verification',
] as const;
export type ReadPurpose = (typeof readPurposes)[number];

export interface ReadAuditEntry {
  at: string;
  sub: string;
  role: Actor['role'];
  unit: string;
  /** The application's city: only its administrator queries the entry. */
  cityId: string;
  /** Whose data was read: an application, or an employment-ledger entry (exactly one of the two). */
  applicationId?: string;
  ledgerEntryId?: string;
  purpose: ReadPurpose;
  /** Names of the personal fields read (never their values). */
  fields: string[];
  /** Days the entry is kept: the city's policy in force for the application, never under the minimum. */
  retentionDays: number;
}

/** The entry of `actor` reading `fields` of the application. */
export function readAuditEntry(
  actor: Actor,
  application: { id: string; unitPath: readonly string[] },
  purpose: ReadPurpose,
  fields: string[],
  at: Date,
  policy: { readAuditRetentionDays: number } = { readAuditRetentionDays: minimumReadAuditRetentionDays },
): ReadAuditEntry {
  return {
    at: at.toISOString(),
    sub: actor.sub,
    role: actor.role,
    unit: actor.unit,
    cityId: application.unitPath[0] ?? actor.unit,
    applicationId: application.id,
    purpose,
    fields,
    retentionDays: Math.max(minimumReadAuditRetentionDays, policy.readAuditRetentionDays),
  };
}

/** The entry of `actor` reading `fields` of a person's employment-ledger entry. */
export function ledgerReadAuditEntry(
  actor: Actor,
  entry: { id: string; unitPath: readonly string[] },
  purpose: ReadPurpose,
  fields: string[],
  at: Date,
  policy: { readAuditRetentionDays: number } = { readAuditRetentionDays: minimumReadAuditRetentionDays },
): ReadAuditEntry {
  const { applicationId: _none, ...entryOf } = readAuditEntry(
    actor,
    { id: entry.id, unitPath: entry.unitPath },
    purpose,
    fields,
    at,
    policy,
  );
  return { ...entryOf, ledgerEntryId: entry.id };
}

/** When an entry written at `at` may expire (epoch seconds): never before the minimum. */
export function readAuditExpiry(at: Date, retentionDays = minimumReadAuditRetentionDays): number {
  const days = Math.max(minimumReadAuditRetentionDays, retentionDays);
  return Math.floor(at.getTime() / 1000) + days * 24 * 3600;
}
