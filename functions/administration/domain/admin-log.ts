/**
 * The administration log of one city: every change to its staff directory, units, policies and
 * calendars, hash-chained like an application's history, so a removed or edited entry shows.
 */
import { chainEvent, genesisHash, historyIsIntact } from '../../kernel/domain/history-chain.js';

export const adminActions = ['staff.put', 'units.put', 'policy.publish', 'calendar.put', 'evaluation.approve'] as const;
export type AdminAction = (typeof adminActions)[number];

export interface AdminLogEntry {
  seq: number;
  at: string;
  /** The administrator's sub. */
  by: string;
  action: AdminAction;
  /** What was changed: a person's sub, a units version, a policy version, a calendar year. */
  target: string;
  /** The state before and after (assignments, counts, versions); never personal data beyond names. */
  before?: unknown;
  after: unknown;
  prevHash: string;
  hash: string;
}

/** The next entry, chained onto the log's head (`undefined` for the first). */
export function nextAdminEntry(
  head: { seq: number; hash: string } | undefined,
  entry: Omit<AdminLogEntry, 'seq' | 'prevHash' | 'hash'>,
): AdminLogEntry {
  return chainEvent({ ...entry, seq: (head?.seq ?? 0) + 1 }, head?.hash ?? genesisHash);
}

export const adminLogIsIntact = (entries: readonly AdminLogEntry[]) => historyIsIntact(entries);
