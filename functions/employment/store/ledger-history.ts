/**
 * An entry's history as stored: its events in order, each hash-chained to the one before and
 * MACed under the history key, and the entry's head (count, last hash, version, status) MACed too.
 * Reading it checks all of that, so a change made to the table behind the product shows.
 */
import type { HistoryMac } from '../../kernel/adapters/history-mac.js';
import { genesisHash, historyIsIntact } from '../../kernel/domain/history-chain.js';
import { fromItem, keys, queryAll, type TableContext, toItem } from '../../kernel/store/table.js';
import type { LedgerEvent } from '../domain/employment-ledger.js';
import { eventOfItem, ledgerEventMacMessage, ledgerHeadMacMessage, type StoredLedgerEntry } from './ledger-items.js';

/** The entry's events in order, each with its MAC (absent when written without the key). */
async function ledgerHistory(table: TableContext, entryId: string): Promise<{ event: LedgerEvent; mac?: string }[]> {
  const items = await queryAll(table, {
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :evt)',
    ExpressionAttributeValues: toItem({ ':pk': keys.ledgerEntry(entryId).pk, ':evt': 'EVT#' }),
    ConsistentRead: true,
  });
  return items.map(fromItem).map((item) => ({
    event: eventOfItem(item, `ledger event of ${entryId}`),
    ...(typeof item.mac === 'string' ? { mac: item.mac } : {}),
  }));
}

/** The entry's history checked: the chain, each event's MAC, the count, the head and its MAC. */
export async function verifiedLedgerHistory(
  table: TableContext,
  historyMac: HistoryMac,
  entry: StoredLedgerEntry,
): Promise<{ events: LedgerEvent[]; intact: boolean; findings: string[] }> {
  const stored = await ledgerHistory(table, entry.id);
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
}

/** The MACs of a transition's event and of the entry's head after it. */
export async function macsOf(
  historyMac: HistoryMac,
  entry: Pick<StoredLedgerEntry, 'id' | 'eventSeq' | 'lastEventHash' | 'version' | 'status'>,
  event: Pick<LedgerEvent, 'seq' | 'hash'>,
  withHead = true,
): Promise<{ event: string; head: string }> {
  const [eventMac, headMac] = await Promise.all([
    historyMac.generate(ledgerEventMacMessage(entry.id, event.seq, event.hash)),
    withHead ? historyMac.generate(ledgerHeadMacMessage(entry)) : '',
  ]);
  return { event: eventMac, head: headMac };
}
