/**
 * An application's history as the table holds it, authenticated: the MACs a change writes (of its
 * event, and of the head it leaves the application at), and the history read back with its check
 * against a writer of the table (`kernel/domain/history-check.ts`), each MAC asked of KMS.
 */

import type { HistoryMac } from '../../kernel/adapters/history-mac.js';
import type { HistoryEvent } from '../../kernel/domain/application-events.js';
import { eventMacMessage, headMacMessage, headOf, historyFindings } from '../../kernel/domain/history-check.js';
import { fromItem, keys, queryAll, type TableContext, toItem } from '../../kernel/store/table.js';
import type { Transition } from '../domain/lifecycle.js';
import type { StoredApplication } from './application-item.js';
import { historyEventOf, type StoredHistoryEvent } from './history-events.js';

/** An application's history as read, and whether it is the one the product wrote (`domain/history-check.ts`). */
export interface VerifiedHistory {
  events: HistoryEvent[];
  intact: boolean;
  findings: string[];
}

export function applicationHistory(table: TableContext, historyMac: HistoryMac) {
  async function storedEvents(id: string): Promise<StoredHistoryEvent[]> {
    const items = await queryAll(table, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :evt)',
      ExpressionAttributeValues: toItem({ ':pk': keys.application(id).pk, ':evt': keys.applicationEventPrefix }),
      ConsistentRead: true,
    });
    return items.flatMap((item) => historyEventOf(fromItem(item)) ?? []);
  }

  return {
    /** The MACs a change writes: of its event, and of the head it leaves the application at. */
    async macsOf({ application, event }: Transition): Promise<{ eventMac: string; headMac: string }> {
      const [eventMac, headMac] = await Promise.all([
        historyMac.generate(eventMacMessage(application.id, event.seq, event.hash)),
        historyMac.generate(headMacMessage(application.id, headOf(application))),
      ]);
      return { eventMac, headMac };
    },

    async history(id: string): Promise<HistoryEvent[]> {
      return (await storedEvents(id)).map((stored) => stored.event);
    },

    /**
     * The history with its check against a writer of the table: the chain, every event's MAC, the
     * application's event count, head and state, and the head's MAC (each MAC asked of KMS).
     */
    async verifiedHistory(stored: StoredApplication): Promise<VerifiedHistory> {
      const { application } = stored;
      const events = await storedEvents(application.id);
      const [eventMacs, head] = await Promise.all([
        Promise.all(
          events.map(({ event, mac }) =>
            historyMac.verify(eventMacMessage(application.id, event.seq, event.hash), mac),
          ),
        ),
        historyMac.verify(headMacMessage(application.id, headOf(application)), stored.headMac),
      ]);
      const findings = historyFindings(
        headOf(application),
        events.map((e) => e.event),
        { events: eventMacs, head },
      );
      return { events: events.map((e) => e.event), intact: findings.length === 0, findings };
    },
  };
}
