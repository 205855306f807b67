/**
 * The ledger's items as stored (see `keys.ledgerEntry` and the `community-ledger` index): the
 * entry, each event of its history (MACed under the history key), the household, the person's
 * marker in the city and an approval's link; what each is parsed against when read, and what a
 * MAC authenticates.
 */
import * as z from 'zod/mini';
import { canonicalJson } from '../../kernel/domain/history-chain.js';
import { type Item, keys, MalformedItemError, tableDesign } from '../../kernel/store/table.js';
import {
  employmentKinds,
  type Household,
  type LedgerEntry,
  type LedgerEvent,
  ledgerStatuses,
} from '../domain/employment-ledger.js';
import type { LedgerTransition } from '../domain/ledger-lifecycle.js';

/** A ledger entry as stored: with its head's MAC (absent when written without the history key). */
export interface StoredLedgerEntry extends LedgerEntry {
  headMac?: string;
}

const status = z.enum(ledgerStatuses);
const entrySchema = z.object({
  id: z.string(),
  cityId: z.string(),
  communityId: z.string(),
  unitPath: z.array(z.string()),
  householdId: z.string(),
  registeredOn: z.string(),
  status,
  employment: z.optional(z.enum(employmentKinds)),
  statusSince: z.string(),
  workingAgeUntil: z.string(),
  certificateHolder: z.boolean(),
  version: z.number(),
  name: z.string(),
  phone: z.optional(z.string()),
  idNumber: z.string(),
  personKey: z.string(),
  eventSeq: z.number(),
  lastEventHash: z.string(),
  headMac: z.optional(z.string()),
  applications: z.array(z.string()),
  updatedAt: z.string(),
  previousEntryId: z.optional(z.string()),
});
const householdSchema = z.object({
  id: z.string(),
  cityId: z.string(),
  communityId: z.string(),
  unitPath: z.array(z.string()),
  label: z.optional(z.string()),
  members: z.record(z.string(), z.object({ status, workingAgeUntil: z.string() })),
  zeroSince: z.optional(z.string()),
  episodes: z.array(z.object({ from: z.string(), to: z.optional(z.string()) })),
  version: z.number(),
});
const eventSchema = z.object({
  seq: z.number(),
  at: z.string(),
  on: z.string(),
  action: z.enum(['registered', 'status-changed']),
  actor: z.object({ sub: z.string(), role: z.string(), unit: z.string() }),
  statusBefore: z.optional(status),
  status,
  employment: z.optional(z.enum(employmentKinds)),
  certificateHolder: z.boolean(),
  evidence: z.optional(z.object({ kind: z.string(), reference: z.optional(z.string()) })),
  applicationId: z.optional(z.string()),
  unitPath: z.array(z.string()),
  householdId: z.string(),
  householdEffect: z.optional(z.enum(['became-zero', 'resolved'])),
  version: z.number(),
  prevHash: z.string(),
  hash: z.string(),
});

function parsed<S extends z.core.$ZodType>(schema: S, item: Item, what: string): z.output<S> {
  const result = z.safeParse(schema, item);
  if (!result.success) throw new MalformedItemError(what, result.error);
  return result.data;
}

export const entryOfItem = (item: Item, what: string) => parsed(entrySchema, item, what) as StoredLedgerEntry;
export const householdOfItem = (item: Item, what: string) => parsed(householdSchema, item, what) as Household;
export const eventOfItem = (item: Item, what: string) => parsed(eventSchema, item, what) as LedgerEvent;

/** The entry's own fields, nothing a caller's object carries besides. */
const entryFields = (entry: StoredLedgerEntry) =>
  Object.fromEntries(Object.keys(entrySchema.def.shape).map((k) => [k, entry[k as keyof StoredLedgerEntry]]));

/** What a MAC of a ledger event authenticates, and the entry's head (as applications' history, `history-check.ts`). */
export const ledgerEventMacMessage = (entryId: string, seq: number, hash: string) =>
  `subsidy-ledger-event\n${entryId}\n${seq}\n${hash}`;
export const ledgerHeadMacMessage = (
  entry: Pick<StoredLedgerEntry, 'id' | 'eventSeq' | 'lastEventHash' | 'version' | 'status'>,
) =>
  `subsidy-ledger-head\n${entry.id}\n${canonicalJson({ eventSeq: entry.eventSeq, lastEventHash: entry.lastEventHash, version: entry.version, status: entry.status })}`;

/**
 * The items a transition writes, with their MACs: the person's marker (a registration), the
 * entry (its head MACed; listed in its community's ledger), the event and the household.
 */
export function itemsOf(transition: LedgerTransition, macs: { event: string; head: string }) {
  const { entry: after, event, household } = transition;
  // The head MAC read with the entry is of the head before: the new one replaces it.
  const { headMac: _stale, ...rest } = after as StoredLedgerEntry;
  const entry: StoredLedgerEntry = { ...rest, headMac: macs.head };
  const index = tableDesign.indexes.communityLedger;
  const listed = (sk: string) => ({
    [index.partitionKey]: keys.communityLedger(entry.communityId),
    [index.sortKey]: sk,
  });
  return {
    entry,
    items: {
      ...(transition.registration
        ? {
            marker: {
              ...keys.ledgerRegistration(entry.cityId, entry.personKey),
              type: 'ledger-registration',
              entryId: entry.id,
            } as Item,
          }
        : {}),
      entry: {
        ...keys.ledgerEntry(entry.id),
        type: 'ledger-entry',
        ...listed(`ENTRY#${entry.id}`),
        ...entryFields(entry),
      },
      event: { ...keys.ledgerEvent(entry.id, event.seq), type: 'ledger-event', ...event, mac: macs.event } as Item,
      household: {
        ...keys.household(household.id),
        type: 'household',
        ...listed(`HOUSEHOLD#${household.id}`),
        ...household,
      } as Item,
    },
  };
}

/** An approval recorded on an entry: its replay guard. */
export const linkItem = (entryId: string, applicationId: string, event: Pick<LedgerEvent, 'at' | 'seq'>): Item => ({
  ...keys.ledgerLink(entryId, applicationId),
  type: 'ledger-link',
  at: event.at,
  eventSeq: event.seq,
});
