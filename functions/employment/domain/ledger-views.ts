/**
 * How the employment ledger is shown: an entry (the person identified only to their community's
 * own staff), its household with its zero-employment state, and its history. Masking an entry uses
 * the applications module's privacy rules, so its builder is the routes' (`http/ledger.ts`); its
 * shape is here, for the routes and the console alike.
 */
import type { Chained } from '../../kernel/domain/history-chain.js';
import type { Household, LedgerEntryState, LedgerEventBody } from './employment-ledger.js';

/** Whether a reader sees the ledger's people in clear (their community's own staff) or masked. */
export type LedgerAccess = 'identified' | 'masked';

/**
 * A household as `access` may see it: its label is an address (幸福路7号), which with the masked
 * name points at a family, so it is shown only to whom sees the members' names in clear.
 */
export const householdView = (h: Household, access: LedgerAccess) => ({
  id: h.id,
  communityId: h.communityId,
  ...(h.label && access === 'identified' ? { label: h.label } : {}),
  members: Object.entries(h.members).map(([entryId, m]) => ({ entryId, status: m.status })),
  zeroEmployment: h.zeroSince !== undefined,
  ...(h.zeroSince ? { zeroSince: h.zeroSince } : {}),
  episodes: h.episodes,
  version: h.version,
});
export type HouseholdView = ReturnType<typeof householdView>;

/** An event of an entry's history as recorded: its evidence and actor are the staff's, no personal data of the person. */
export type LedgerEventView = LedgerEventBody & Chained;

/**
 * An entry as `ledgerEntryView` shows it: never the working-age month (with the sex and the city's
 * schedule it narrows the ID towards a birth date), the ID masked to its city, the phone only when
 * `personalData` is `identified`.
 */
export type LedgerEntryView = Omit<LedgerEntryState, 'workingAgeUntil'> & {
  idNumber: string;
  name: string;
  phone?: string;
  personalData: LedgerAccess;
  eventSeq: number;
  applications: string[];
  updatedAt: string;
  /** The entry the person held in the community they moved from. */
  previousEntryId?: string;
};

/** The answer of `POST /ledger/entries`: the new entry with its household. */
export type RegisteredLedgerEntry = LedgerEntryView & { household: HouseholdView };

/** The answer of `POST /ledger/entries/{id}/changes`: the entry, its household and the event recorded. */
export type ChangedLedgerEntry = RegisteredLedgerEntry & { event: LedgerEventView };

/** The answer of `GET /ledger/entries/{id}`: the entry, its household and its history as verified. */
export type LedgerEntryPage = LedgerEntryView & {
  household?: HouseholdView;
  history: LedgerEventView[];
  historyIntact: boolean;
  historyFindings?: string[];
};

/** The answer of `GET /ledger/entries`: a community's entries (filtered) and their households. */
export interface LedgerList {
  community: string;
  count: number;
  entries: LedgerEntryView[];
  households: HouseholdView[];
}
