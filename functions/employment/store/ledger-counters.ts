/**
 * The ledger's month counters: one item per unit and month (`keys.ledgerMonth`), changed by every
 * event in the transaction that records it (ADD), so each change counts exactly once by
 * construction and a retried request or a replayed approval adds nothing. `rebuildLedgerCounters`
 * recomputes them from the events.
 */
import type { TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { shanghaiDate } from '../../kernel/domain/dates.js';
import { fromItem, type Item, keys, queryAll, scanAll, type TableContext, toItem } from '../../kernel/store/table.js';
import { batchWrite } from '../../monitoring/index.js';
import type { LedgerEventBody } from '../domain/employment-ledger.js';
import { addLedgerCounters, type LedgerCounters, ledgerCountsOf } from '../domain/ledger-counters.js';
import { eventOfItem } from './ledger-items.js';

/** Every counter item an event changes: its month row of each unit on its path. */
export function ledgerCounterChanges(
  event: LedgerEventBody,
): { key: { pk: string; sk: string }; add: LedgerCounters }[] {
  const add = ledgerCountsOf(event, shanghaiDate(new Date(event.at)));
  const month = event.on.slice(0, 7);
  return event.unitPath.map((unitId) => ({ key: keys.ledgerMonth(unitId, month), add }));
}

/** The transaction's part that adds an event's counts to one counter item. */
export function counterUpdate(
  tableName: string,
  key: { pk: string; sk: string },
  add: LedgerCounters,
): TransactWriteItem {
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

/** The counter items of many events, summed (what the counters hold once each event has added its counts). */
export function summedCounterItems(events: readonly LedgerEventBody[]): Item[] {
  const sums = new Map<string, { pk: string; sk: string; add: LedgerCounters }>();
  for (const event of events)
    for (const c of ledgerCounterChanges(event)) {
      const id = `${c.key.pk}\u0000${c.key.sk}`;
      const into = sums.get(id) ?? { ...c.key, add: {} };
      addLedgerCounters(into.add, c.add);
      sums.set(id, into);
    }
  return [...sums.values()].map(({ pk, sk, add }) => ({ pk, sk, type: 'ledger-month', ...add }));
}

function numbersOf(item: Item): LedgerCounters {
  const numbers: LedgerCounters = {};
  for (const [name, value] of Object.entries(item)) if (typeof value === 'number') numbers[name] = value;
  return numbers;
}

/** A unit's month rows (all months up to `toMonth`), by month. */
export async function ledgerMonths(
  table: TableContext,
  unitId: string,
  toMonth: string,
): Promise<Map<string, LedgerCounters>> {
  const items = await queryAll(table, {
    KeyConditionExpression: 'pk = :pk AND sk <= :to',
    ExpressionAttributeValues: toItem({
      ':pk': keys.ledgerMonth(unitId, '').pk,
      ':to': keys.ledgerMonth(unitId, toMonth).sk,
    }),
  });
  return new Map(items.map(fromItem).map((item) => [String(item.sk).slice('MONTH#'.length), numbersOf(item)]));
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
    const event = eventOfItem(item, `ledger event ${String(item.pk)}`);
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
