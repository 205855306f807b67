/**
 * What every transition of the ledger shares (as `applications/domain/lifecycle.ts` serves an
 * application's decisions): who keeps the ledger, what a transition answers, and how a change is
 * recorded: the member's household recomputed (rule 4) and the next event chained onto the
 * entry's history.
 */
import type { Actor } from '../../kernel/domain/actor.js';
import { ForbiddenError } from '../../kernel/domain/errors.js';
import { chainEvent } from '../../kernel/domain/history-chain.js';
import type { Household, LedgerEntry, LedgerEvent, LedgerEventBody } from './employment-ledger.js';
import { householdAfter } from './households.js';

/** Community staff keep their community's ledger; every other role only reads it. */
export function assertKeepsLedger(actor: Actor): void {
  if (actor.role !== 'community-staff')
    throw new ForbiddenError(`the ${actor.role} role does not keep the ledger; community staff do`);
}

/**
 * What a transition answers: the entry and its household after the change, the event to record
 * (chained), and what the write is conditional on. The store writes it all in one transaction.
 */
export interface LedgerTransition {
  entry: LedgerEntry;
  /** The entry's version before (0 for a registration). */
  priorVersion: number;
  household: Household;
  /** The household's version before (0 for a new household). */
  priorHouseholdVersion: number;
  event: LedgerEvent;
  /**
   * A registration: the person's marker in the city is written with it (refused while another
   * entry holds it, unless that is `replaces`, the entry the person moved away from).
   */
  registration?: { replaces?: string };
  /** The application whose final approval this change records: recorded once, a replay is refused. */
  linkedApplication?: string;
}

/** What the event of a change says; its place in the history (`seq`, `version`) and its household effect are worked out. */
export type LedgerEventContent = Omit<LedgerEventBody, 'seq' | 'version' | 'householdEffect'>;

/**
 * Records a change: `entry` is the entry after it (its status and version), `household` the
 * member's household before it. The household is recomputed with the member's new state, and the
 * event, numbered after the entry's last, is chained onto it.
 */
export function recorded(change: {
  entry: LedgerEntry;
  priorVersion: number;
  household: Household;
  event: LedgerEventContent;
  registration?: { replaces?: string };
  linkedApplication?: string;
}): LedgerTransition {
  const { entry, household: before } = change;
  const member = { status: entry.status, workingAgeUntil: entry.workingAgeUntil };
  const { household, effect } = householdAfter(before, entry.id, member, change.event.on);
  const seq = entry.eventSeq + 1;
  const event = chainEvent(
    { ...change.event, seq, version: entry.version, ...(effect ? { householdEffect: effect } : {}) } as LedgerEventBody,
    entry.lastEventHash,
  );
  return {
    entry: { ...entry, eventSeq: seq, lastEventHash: event.hash },
    priorVersion: change.priorVersion,
    household,
    priorHouseholdVersion: before.version,
    event,
    ...(change.registration ? { registration: change.registration } : {}),
    ...(change.linkedApplication ? { linkedApplication: change.linkedApplication } : {}),
  };
}
