/**
 * The employment ledger in the table (see `keys.ledgerEntry` and the `community-ledger` index):
 * every registration and status change is one transaction that writes the entry (conditional on
 * its version), the next hash-chained history event (MACed under the history key), the household
 * with its zero-employment state recomputed (conditional on its version) and the month counters
 * of every unit on the entry's path. Counting in the transaction that records the change counts
 * each change exactly once by construction (the event's put is conditional), so a retried request
 * or a replayed approval adds nothing; `rebuildLedgerCounters` recomputes them from the events.
 */

import {
  GetItemCommand,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import { identityPut } from '../../applications/index.js';
import type { HistoryMac } from '../../kernel/adapters/history-mac.js';
import { shanghaiDate } from '../../kernel/domain/dates.js';
import { canonicalJson, chainEvent, genesisHash, historyIsIntact } from '../../kernel/domain/history-chain.js';
import {
  fromItem,
  type Item,
  keys,
  MalformedItemError,
  queryAll,
  scanAll,
  type TableContext,
  tableDesign,
  toItem,
} from '../../kernel/store/table.js';
import { batchWrite } from '../../monitoring/index.js';
import {
  addLedgerCounters,
  employmentKinds,
  type Household,
  householdAfter,
  type LedgerCounters,
  type LedgerEntryState,
  type LedgerEventBody,
  ledgerCountsOf,
  ledgerStatuses,
} from '../domain/employment-ledger.js';

/** A ledger entry as stored: the rules' state and the person's fields (shown by role, never logged). */
export interface StoredLedgerEntry extends LedgerEntryState {
  name: string;
  phone?: string;
  /** Masked (the city's four characters); the clear number is only sealed, under PERSON#…/IDENTITY. */
  idNumber: string;
  personKey: string;
  eventSeq: number;
  lastEventHash: string;
  headMac?: string;
  applications: string[];
  updatedAt: string;
  /** The entry the person held in another community of the city before they moved here. */
  previousEntryId?: string;
}

export type LedgerEvent = LedgerEventBody & { prevHash: string; hash: string };

/** The person is registered in this city already: 409 naming the entry. */
export class AlreadyRegisteredError extends Error {
  constructor(readonly existingEntryId: string) {
    super(`the person is registered already as ledger entry ${existingEntryId}`);
    this.name = 'AlreadyRegisteredError';
  }
}

/** The entry or its household moved while the change was written; the caller reads again. */
export class LedgerWriteConflictError extends Error {
  constructor(readonly what: 'entry' | 'household') {
    super(`the ${what} changed while this change was written`);
    this.name = 'LedgerWriteConflictError';
  }
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

const entryFields = (entry: StoredLedgerEntry) =>
  Object.fromEntries(Object.keys(entrySchema.def.shape).map((k) => [k, entry[k as keyof StoredLedgerEntry]]));

/** What a MAC of a ledger event authenticates, and the entry's head (as applications' history, `history-check.ts`). */
export const ledgerEventMacMessage = (entryId: string, seq: number, hash: string) =>
  `subsidy-ledger-event\n${entryId}\n${seq}\n${hash}`;
export const ledgerHeadMacMessage = (
  entry: Pick<StoredLedgerEntry, 'id' | 'eventSeq' | 'lastEventHash' | 'version' | 'status'>,
) =>
  `subsidy-ledger-head\n${entry.id}\n${canonicalJson({ eventSeq: entry.eventSeq, lastEventHash: entry.lastEventHash, version: entry.version, status: entry.status })}`;

/** A change to record: the entry and household after it, the event (unchained), and the application it links. */
export interface LedgerChange {
  entry: StoredLedgerEntry;
  /** The entry's version before (0 for a registration). */
  priorVersion: number;
  household: Household;
  /** The household's version before (0 for a new household). */
  priorHouseholdVersion: number;
  event: Omit<LedgerEventBody, 'seq' | 'version' | 'householdEffect'>;
  /** A registration also records the person's marker in the city and (when it has it) their sealed number. */
  /**
   * A registration: the person's marker in the city written with it (refused while another entry
   * holds it, unless that is `replaces`, the entry the person moved away from).
   */
  registration?: { sealedIdNumber?: string; replaces?: string };
}

/** Every counter item an event changes: its month row of each unit on its path. */
export function ledgerCounterChanges(
  event: LedgerEventBody,
): { key: { pk: string; sk: string }; add: LedgerCounters }[] {
  const add = ledgerCountsOf(event, shanghaiDate(new Date(event.at)));
  const month = event.on.slice(0, 7);
  return event.unitPath.map((unitId) => ({ key: keys.ledgerMonth(unitId, month), add }));
}

function counterUpdate(tableName: string, key: { pk: string; sk: string }, add: LedgerCounters): TransactWriteItem {
  const names: Record<string, string> = { '#type': 'type' };
  const values: Item = { ':type': 'ledger-month' };
  const adds = Object.entries(add).map(([name, n], i) => {
    names[`#a${i}`] = name;
    values[`:a${i}`] = n;
    return `#a${i} :a${i}`;
  });
  return {
    Update: {
      TableName: tableName,
      Key: toItem(key),
      UpdateExpression: `SET #type = :type ADD ${adds.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: toItem(values),
    },
  };
}

/**
 * What recording a change writes, worked out before anything is written: the household with its
 * zero-employment state recomputed, the next event chained and MACed, the entry's new head, and
 * each item as stored. `record` writes them in one conditional transaction; the demo seed writes
 * many prepared in order in bulk.
 */
export async function prepareRecord(change: LedgerChange, historyMac: HistoryMac) {
  const chained = chainRecord(change);
  const [eventMac, headMac] = await Promise.all([
    historyMac.generate(ledgerEventMacMessage(chained.entry.id, chained.event.seq, chained.event.hash)),
    historyMac.generate(ledgerHeadMacMessage(chained.entry)),
  ]);
  return withMacs(chained, eventMac, headMac);
}

/** The MACs put on a chained record: the event's on its item, the head's on the entry. */
export function withMacs(chained: ReturnType<typeof chainRecord>, eventMac: string, headMac: string) {
  chained.entry.headMac = headMac;
  chained.items.entry.headMac = headMac;
  chained.items.event.mac = eventMac;
  return chained;
}

/** `prepareRecord` without the MACs (pure): the demo seed chains many in order, then MACs them all at once. */
export function chainRecord(change: LedgerChange) {
  const { entry, household: before } = change;
  const member = { status: entry.status, workingAgeUntil: entry.workingAgeUntil };
  const { household, effect } = householdAfter(
    { ...before, version: change.priorHouseholdVersion },
    entry.id,
    member,
    change.event.on,
  );
  const seq = entry.eventSeq + 1;
  const event = chainEvent(
    { ...change.event, seq, version: entry.version, ...(effect ? { householdEffect: effect } : {}) } as LedgerEventBody,
    entry.lastEventHash,
  ) as LedgerEvent;
  const { headMac: _stale, ...rest } = entry;
  const next: StoredLedgerEntry = { ...rest, eventSeq: seq, lastEventHash: event.hash };
  const index = tableDesign.indexes.communityLedger;
  const listed = (sk: string) => ({
    [index.partitionKey]: keys.communityLedger(entry.communityId),
    [index.sortKey]: sk,
  });
  return {
    entry: next,
    event,
    household,
    items: {
      ...(change.registration
        ? {
            registration: {
              ...keys.ledgerRegistration(entry.personKey, entry.cityId),
              type: 'ledger-registration',
              entryId: entry.id,
            } as Item,
          }
        : {}),
      entry: {
        ...keys.ledgerEntry(entry.id),
        type: 'ledger-entry',
        ...listed(`ENTRY#${entry.id}`),
        ...entryFields(next),
      } as Item,
      event: { ...keys.ledgerEvent(entry.id, seq), type: 'ledger-event', ...event } as Item,
      household: {
        ...keys.household(household.id),
        type: 'household',
        ...listed(`HOUSEHOLD#${household.id}`),
        ...household,
      } as Item,
    },
  };
}

export function employmentLedgerRepository(table: TableContext, historyMac: HistoryMac) {
  const { client, tableName } = table;

  async function read(key: { pk: string; sk: string }) {
    const { Item } = await client.send(
      new GetItemCommand({ TableName: tableName, Key: toItem(key), ConsistentRead: true }),
    );
    return Item ? fromItem(Item) : undefined;
  }

  const repository = {
    async entry(entryId: string): Promise<StoredLedgerEntry | undefined> {
      const item = await read(keys.ledgerEntry(entryId));
      return item && (parsed(entrySchema, item, `ledger entry ${entryId}`) as StoredLedgerEntry);
    },

    async household(householdId: string): Promise<Household | undefined> {
      const item = await read(keys.household(householdId));
      return item && (parsed(householdSchema, item, `household ${householdId}`) as Household);
    },

    /** The entry a person holds in a city, by the keyed hash of their resident ID. */
    async registeredEntryOf(personKey: string, cityId: string): Promise<string | undefined> {
      const item = await read(keys.ledgerRegistration(personKey, cityId));
      return typeof item?.entryId === 'string' ? item.entryId : undefined;
    },

    /** Whether an application's approval was recorded on an entry already (the feed's replay guard). */
    async isLinked(entryId: string, applicationId: string): Promise<boolean> {
      return (await read(keys.ledgerLink(entryId, applicationId))) !== undefined;
    },

    /** The entry's events in order, each with its MAC (absent when written without the key). */
    async history(entryId: string): Promise<{ event: LedgerEvent; mac?: string }[]> {
      const items = await queryAll(table, {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :evt)',
        ExpressionAttributeValues: toItem({ ':pk': keys.ledgerEntry(entryId).pk, ':evt': 'EVT#' }),
        ConsistentRead: true,
      });
      return items.map(fromItem).map((item) => ({
        event: parsed(eventSchema, item, `ledger event of ${entryId}`) as LedgerEvent,
        ...(typeof item.mac === 'string' ? { mac: item.mac } : {}),
      }));
    },

    /** The entry's history checked: the chain, each event's MAC, the count, the head and its MAC. */
    async verifiedHistory(
      entry: StoredLedgerEntry,
    ): Promise<{ events: LedgerEvent[]; intact: boolean; findings: string[] }> {
      const stored = await repository.history(entry.id);
      const events = stored.map((s) => s.event);
      const findings: string[] = [];
      if (!historyIsIntact(events))
        findings.push('the chain of events is broken: an event was changed, removed or reordered');
      const macs = await Promise.all(
        stored.map(({ event: e, mac }) => historyMac.verify(ledgerEventMacMessage(entry.id, e.seq, e.hash), mac)),
      );
      macs.forEach((ok, i) => {
        if (!ok) findings.push(`event ${i + 1} is not authenticated by the history key`);
      });
      if (entry.eventSeq !== events.length)
        findings.push(`the entry records ${entry.eventSeq} events, the table holds ${events.length}`);
      if ((events.at(-1)?.hash ?? genesisHash) !== entry.lastEventHash)
        findings.push('the entry head does not match its last event');
      if (!(await historyMac.verify(ledgerHeadMacMessage(entry), entry.headMac)))
        findings.push('the entry head is not authenticated by the history key');
      return { events, intact: findings.length === 0, findings };
    },

    /** A community's entries and households (the community-ledger index). */
    async community(communityId: string): Promise<{ entries: StoredLedgerEntry[]; households: Household[] }> {
      const index = tableDesign.indexes.communityLedger;
      const items = (
        await queryAll(table, {
          IndexName: index.indexName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': index.partitionKey },
          ExpressionAttributeValues: toItem({ ':pk': keys.communityLedger(communityId) }),
        })
      ).map(fromItem);
      return {
        entries: items
          .filter((i) => i.type === 'ledger-entry')
          .map((i) => parsed(entrySchema, i, `ledger entry ${String(i.pk)}`) as StoredLedgerEntry),
        households: items
          .filter((i) => i.type === 'household')
          .map((i) => parsed(householdSchema, i, `household ${String(i.pk)}`) as Household),
      };
    },

    /** A unit's month rows (all months up to `toMonth`), by month. */
    async months(unitId: string, toMonth: string): Promise<Map<string, LedgerCounters>> {
      const items = await queryAll(table, {
        KeyConditionExpression: 'pk = :pk AND sk <= :to',
        ExpressionAttributeValues: toItem({
          ':pk': keys.ledgerMonth(unitId, '').pk,
          ':to': keys.ledgerMonth(unitId, toMonth).sk,
        }),
      });
      return new Map(items.map(fromItem).map((item) => [String(item.sk).slice('MONTH#'.length), numbersOf(item)]));
    },

    /**
     * Records a change: the entry, its next event, the household (its zero-employment state
     * recomputed), the counters, and for a registration the person's marker and sealed number; for
     * an approval's change, the link to the application. All or nothing.
     */
    async record(
      change: LedgerChange,
      link?: { applicationId: string },
    ): Promise<{ entry: StoredLedgerEntry; event: LedgerEvent; household: Household }> {
      const prepared = await prepareRecord(change, historyMac);
      const { entry: next, event, household, items } = prepared;
      const entry = change.entry;
      const writes: TransactWriteItem[] = [];
      if (items.registration) {
        writes.push({
          Put: {
            TableName: tableName,
            Item: toItem(items.registration),
            ...(change.registration?.replaces
              ? {
                  ConditionExpression: 'attribute_not_exists(pk) OR entryId = :replaces',
                  ExpressionAttributeValues: toItem({ ':replaces': change.registration.replaces }),
                }
              : { ConditionExpression: 'attribute_not_exists(pk)' }),
          },
        });
      }
      writes.push(
        {
          Put: {
            TableName: tableName,
            Item: toItem(items.entry),
            ConditionExpression:
              change.priorVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :v AND eventSeq = :seq',
            ...(change.priorVersion === 0
              ? {}
              : { ExpressionAttributeValues: toItem({ ':v': change.priorVersion, ':seq': entry.eventSeq }) }),
          },
        },
        { Put: { TableName: tableName, Item: toItem(items.event), ConditionExpression: 'attribute_not_exists(pk)' } },
        {
          Put: {
            TableName: tableName,
            Item: toItem(items.household),
            ConditionExpression: change.priorHouseholdVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
            ...(change.priorHouseholdVersion === 0
              ? {}
              : { ExpressionAttributeValues: toItem({ ':v': change.priorHouseholdVersion }) }),
          },
        },
        ...ledgerCounterChanges(event).map((c) => counterUpdate(tableName, c.key, c.add)),
      );
      if (change.registration?.sealedIdNumber)
        writes.push(identityPut(tableName, entry.personKey, change.registration.sealedIdNumber, event.at));
      if (link)
        writes.push({
          Put: {
            TableName: tableName,
            Item: toItem({
              ...keys.ledgerLink(entry.id, link.applicationId),
              type: 'ledger-link',
              at: event.at,
              eventSeq: event.seq,
            }),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        });
      try {
        await client.send(new TransactWriteItemsCommand({ TransactItems: writes }));
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        const failed = (i: number) => reasons[i]?.Code === 'ConditionalCheckFailed';
        const offset = change.registration ? 1 : 0;
        if (change.registration && failed(0)) {
          const existing = await repository.registeredEntryOf(entry.personKey, entry.cityId);
          throw new AlreadyRegisteredError(existing ?? 'unknown');
        }
        if (link && failed(writes.length - 1)) throw new AlreadyLinkedError(link.applicationId);
        if (failed(offset + 2)) throw new LedgerWriteConflictError('household');
        if (failed(offset) || failed(offset + 1) || reasons.some((r) => r.Code === 'TransactionConflict'))
          throw new LedgerWriteConflictError('entry');
        throw error;
      }
      return { entry: next, event, household };
    },
  };
  return repository;
}
export type EmploymentLedgerRepository = ReturnType<typeof employmentLedgerRepository>;

/** The application's approval is on the entry already: a replay, nothing to do. */
export class AlreadyLinkedError extends Error {
  constructor(readonly applicationId: string) {
    super(`application ${applicationId} is linked already`);
    this.name = 'AlreadyLinkedError';
  }
}

function numbersOf(item: Item): LedgerCounters {
  const numbers: LedgerCounters = {};
  for (const [name, value] of Object.entries(item)) if (typeof value === 'number') numbers[name] = value;
  return numbers;
}

/** Every ledger counter item, computed from the stored events alone (what the rebuild writes; tests compare it with the incremental items). */
export async function ledgerCountersFromEvents(table: TableContext): Promise<Map<string, LedgerCounters>> {
  const items = (
    await scanAll(table, {
      FilterExpression: 'begins_with(pk, :ledger) AND begins_with(sk, :evt)',
      ExpressionAttributeValues: toItem({ ':ledger': keys.ledgerEntryPrefix, ':evt': 'EVT#' }),
      ConsistentRead: true,
    })
  ).map(fromItem);
  const sums = new Map<string, LedgerCounters>();
  for (const item of items) {
    const event = parsed(eventSchema, item, `ledger event ${String(item.pk)}`) as LedgerEvent;
    for (const change of ledgerCounterChanges(event)) {
      const id = `${change.key.pk}\u0000${change.key.sk}`;
      sums.set(id, addLedgerCounters(sums.get(id) ?? {}, change.add));
    }
  }
  for (const [id, counters] of sums)
    sums.set(id, Object.fromEntries(Object.entries(counters).filter(([, n]) => n !== 0)));
  return sums;
}

/** Every ledger counter item as stored, by key (the numbers only). */
export async function storedLedgerCounters(table: TableContext): Promise<Map<string, LedgerCounters>> {
  const items = (
    await scanAll(table, {
      FilterExpression: 'begins_with(pk, :metric)',
      ExpressionAttributeValues: toItem({ ':metric': keys.ledgerMetricPrefix }),
      ConsistentRead: true,
    })
  ).map(fromItem);
  return new Map(
    items.map((item) => [
      `${item.pk}\u0000${item.sk}`,
      Object.fromEntries(Object.entries(numbersOf(item)).filter(([, n]) => n !== 0)),
    ]),
  );
}

/**
 * Recomputes every ledger counter from the events and replaces the stored ones. An offline repair
 * (`npm run ledger:rebuild`): run it while nobody records changes, since a change recorded between
 * the scan and the writes would be overwritten.
 */
export async function rebuildLedgerCounters(table: TableContext): Promise<{ items: number }> {
  const computed = await ledgerCountersFromEvents(table);
  const stored = await storedLedgerCounters(table);
  const stale = [...stored.keys()].filter((id) => !computed.has(id));
  await batchWrite(table, [
    ...stale.map((id) => {
      const [pk, sk] = id.split('\u0000');
      return { DeleteRequest: { Key: toItem({ pk, sk }) } };
    }),
    ...[...computed].map(([id, counters]) => {
      const [pk, sk] = id.split('\u0000');
      return { PutRequest: { Item: toItem({ pk, sk, type: 'ledger-month', ...counters }) } };
    }),
  ]);
  return { items: computed.size };
}

/**
 * Records a change built on the entry and household as they are now, read again and rebuilt when
 * another change to the household (another member's) moved it first. `build` answers undefined
 * when there is nothing to record. A change that raced the entry itself is the caller's to judge.
 */
export async function recordChange(
  repository: EmploymentLedgerRepository,
  entryId: string,
  build: (entry: StoredLedgerEntry, household: Household) => LedgerChange | undefined,
  link?: { applicationId: string },
): Promise<{ entry: StoredLedgerEntry; event: LedgerEvent; household: Household } | undefined> {
  for (let attempt = 1; ; attempt++) {
    const entry = await repository.entry(entryId);
    if (!entry) return undefined;
    const household = await repository.household(entry.householdId);
    if (!household) throw new Error(`ledger entry ${entryId} names a household that is not stored`);
    const change = build(entry, household);
    if (!change) return undefined;
    try {
      return await repository.record(change, link);
    } catch (error) {
      if (!(error instanceof LedgerWriteConflictError) || error.what !== 'household' || attempt >= 4) throw error;
    }
  }
}
