/**
 * The employment ledger in the table (items: `ledger-items.ts`): every registration and status
 * change is one transaction of named parts that writes the entry (conditional on its version),
 * the next hash-chained history event (MACed under the history key), the household with its
 * zero-employment state recomputed (conditional on its version) and the month counters of every
 * unit on the entry's path (`ledger-counters.ts`). The domain's transitions say what to write;
 * this says how, and what a refused part means.
 */

import { GetItemCommand, TransactionCanceledException, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { identityPut } from '../../applications/index.js';
import type { HistoryMac } from '../../kernel/adapters/history-mac.js';
import {
  fromItem,
  type Item,
  keys,
  queryAll,
  type TableContext,
  tableDesign,
  toItem,
} from '../../kernel/store/table.js';
import { cancellationReasonOf, type TransactionParts, transactItemsOf } from '../../kernel/store/transactions.js';
import { batchWrite } from '../../monitoring/index.js';
import type { Household, LedgerEvent } from '../domain/employment-ledger.js';
import type { LedgerCounters } from '../domain/ledger-counters.js';
import type { LedgerTransition } from '../domain/ledger-lifecycle.js';
import { AlreadyRegisteredError } from '../domain/registration.js';
import { counterUpdate, ledgerCounterChanges, ledgerMonths, summedCounterItems } from './ledger-counters.js';
import { macsOf, verifiedLedgerHistory } from './ledger-history.js';
import { entryOfItem, householdOfItem, itemsOf, linkItem, type StoredLedgerEntry } from './ledger-items.js';

/** The entry or its household moved while the change was written; the caller reads again. */
export class LedgerWriteConflictError extends Error {
  constructor(readonly what: 'entry' | 'household') {
    super(`the ${what} changed while this change was written`);
    this.name = 'LedgerWriteConflictError';
  }
}

/** The application's approval is on the entry already: a replay, nothing to do. */
export class AlreadyLinkedError extends Error {
  constructor(readonly applicationId: string) {
    super(`application ${applicationId} is linked already`);
    this.name = 'AlreadyLinkedError';
  }
}

/** What recording a transition answers: the entry (its head MACed), its event and household as written. */
export interface Recorded {
  entry: StoredLedgerEntry;
  event: LedgerEvent;
  household: Household;
}

/** A conditional put: on a new item, or on the version (and whatever else) the change was built on. */
const putOn = (tableName: string, item: Item, condition: string, values?: Item) => ({
  Put: {
    TableName: tableName,
    Item: toItem(item),
    ConditionExpression: condition,
    ...(values ? { ExpressionAttributeValues: toItem(values) } : {}),
  },
});

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
      return item && entryOfItem(item, `ledger entry ${entryId}`);
    },

    async household(householdId: string): Promise<Household | undefined> {
      const item = await read(keys.household(householdId));
      return item && householdOfItem(item, `household ${householdId}`);
    },

    /** The entry a person holds in a city, by the keyed hash of their resident ID. */
    async registeredEntryOf(personKey: string, cityId: string): Promise<string | undefined> {
      const item = await read(keys.ledgerRegistration(cityId, personKey));
      return typeof item?.entryId === 'string' ? item.entryId : undefined;
    },

    /** Whether an application's approval was recorded on an entry already (the feed's replay guard). */
    async isLinked(entryId: string, applicationId: string): Promise<boolean> {
      return (await read(keys.ledgerLink(entryId, applicationId))) !== undefined;
    },

    /** The entry's history checked: the chain, each event's MAC, the count, the head and its MAC. */
    verifiedHistory: (entry: StoredLedgerEntry) => verifiedLedgerHistory(table, historyMac, entry),

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
          .map((i) => entryOfItem(i, `ledger entry ${String(i.pk)}`)),
        households: items
          .filter((i) => i.type === 'household')
          .map((i) => householdOfItem(i, `household ${String(i.pk)}`)),
      };
    },

    /** A unit's month rows (all months up to `toMonth`), by month. */
    months: (unitId: string, toMonth: string): Promise<Map<string, LedgerCounters>> =>
      ledgerMonths(table, unitId, toMonth),

    /**
     * Records a transition, all or nothing: the entry, its next event, the household, the
     * counters; for a registration the person's marker and (when it has it) their sealed number;
     * for an approval's change, the link to the application.
     */
    async record(transition: LedgerTransition, options: { sealedIdNumber?: string } = {}): Promise<Recorded> {
      const { event, registration, linkedApplication } = transition;
      const { entry, items } = itemsOf(transition, await macsOf(historyMac, transition.entry, event));
      const prior = { ':v': transition.priorVersion, ':seq': event.seq - 1 };
      const parts: TransactionParts = {
        marker:
          items.marker &&
          (registration?.replaces
            ? putOn(tableName, items.marker, 'attribute_not_exists(pk) OR entryId = :replaces', {
                ':replaces': registration.replaces,
              })
            : putOn(tableName, items.marker, 'attribute_not_exists(pk)')),
        entry:
          transition.priorVersion === 0
            ? putOn(tableName, items.entry, 'attribute_not_exists(pk)')
            : putOn(tableName, items.entry, 'version = :v AND eventSeq = :seq', prior),
        event: putOn(tableName, items.event, 'attribute_not_exists(pk)'),
        household:
          transition.priorHouseholdVersion === 0
            ? putOn(tableName, items.household, 'attribute_not_exists(pk)')
            : putOn(tableName, items.household, 'version = :v', { ':v': transition.priorHouseholdVersion }),
        ...Object.fromEntries(
          ledgerCounterChanges(event).map((c) => [`counter ${c.key.pk}`, counterUpdate(tableName, c.key, c.add)]),
        ),
        identity: options.sealedIdNumber ? identityPut(tableName, entry, options.sealedIdNumber, event.at) : undefined,
        link: linkedApplication
          ? putOn(tableName, linkItem(entry.id, linkedApplication, event), 'attribute_not_exists(pk)')
          : undefined,
      };
      try {
        await client.send(new TransactWriteItemsCommand({ TransactItems: transactItemsOf(parts) }));
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const refused = (part: string) => cancellationReasonOf(error, parts, part)?.Code === 'ConditionalCheckFailed';
        if (refused('marker')) {
          const existing = await repository.registeredEntryOf(entry.personKey, entry.cityId);
          throw new AlreadyRegisteredError(existing ?? 'unknown');
        }
        if (linkedApplication && refused('link')) throw new AlreadyLinkedError(linkedApplication);
        if (refused('household')) throw new LedgerWriteConflictError('household');
        if (
          refused('entry') ||
          refused('event') ||
          error.CancellationReasons?.some((r) => r.Code === 'TransactionConflict')
        )
          throw new LedgerWriteConflictError('entry');
        throw error;
      }
      return { entry, event, household: transition.household };
    },

    /**
     * Writes transitions made one after another in memory (the demo seed: hundreds of people at
     * once) in bulk, without conditions: only for a table where nothing else writes the ledger.
     * The same items as `record` (each entry's and household's last state), the counters summed.
     */
    async recordInBulk(transitions: readonly LedgerTransition[]): Promise<void> {
      const last = new Map(transitions.map((t) => [t.entry.id, t]));
      const items = new Map<string, Item>();
      // The MACs do not change what is chained: asked for a few dozen at a time; the head's only for each entry's last state.
      for (let i = 0; i < transitions.length; i += 64) {
        const chunk = transitions.slice(i, i + 64);
        const macs = await Promise.all(
          chunk.map((t) => macsOf(historyMac, t.entry, t.event, last.get(t.entry.id) === t)),
        );
        chunk.forEach((t, j) => {
          for (const item of Object.values(itemsOf(t, macs[j] as { event: string; head: string }).items))
            items.set(`${item.pk}\u0000${item.sk}`, item);
        });
      }
      for (const item of summedCounterItems(transitions.map((t) => t.event)))
        items.set(`${item.pk}\u0000${item.sk}`, item);
      await batchWrite(
        table,
        [...items.values()].map((item) => ({ PutRequest: { Item: toItem(item) } })),
      );
    },
  };
  return repository;
}
export type EmploymentLedgerRepository = ReturnType<typeof employmentLedgerRepository>;

/**
 * Records a transition made on the entry and household as they are now, read again and made again
 * when another change to the household (another member's) moved it first. `transition` answers
 * undefined when there is nothing to record. A change that raced the entry itself is the caller's to judge.
 */
export async function recordChange(
  repository: Pick<EmploymentLedgerRepository, 'entry' | 'household' | 'record'>,
  entryId: string,
  transition: (entry: StoredLedgerEntry, household: Household) => LedgerTransition | undefined,
): Promise<Recorded | undefined> {
  for (let attempt = 1; ; attempt++) {
    const entry = await repository.entry(entryId);
    if (!entry) return undefined;
    const household = await repository.household(entry.householdId);
    if (!household) throw new Error(`ledger entry ${entryId} names a household that is not stored`);
    const change = transition(entry, household);
    if (!change) return undefined;
    try {
      return await repository.record(change);
    } catch (error) {
      if (!(error instanceof LedgerWriteConflictError) || error.what !== 'household' || attempt >= 4) throw error;
    }
  }
}
