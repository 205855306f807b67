/**
 * Every application's history checked from the table alone (a Scan): the same check the read path
 * makes (`domain/history-check.ts`: chain, each event's MAC, count, head, state, the head's MAC),
 * plus event items whose application item is gone. `npm run verify-history` runs it.
 */

import { historyEventOf, type StoredHistoryEvent, toApplication } from '../../applications/index.js';
import type { HistoryMac } from '../../kernel/adapters/history-mac.js';
import { eventMacMessage, headMacMessage, headOf, historyFindings } from '../../kernel/domain/history-check.js';
import { fromItem, keys, scanAll, type TableContext } from '../../kernel/store/table.js';

export interface HistoryVerificationFilter {
  applicationId?: string;
  /** Shanghai-agnostic ISO dates: applications whose life (submitted … last change) overlaps [from, to]. */
  from?: string;
  to?: string;
}

export interface HistoryVerification {
  checked: number;
  tampered: { applicationId: string; findings: string[] }[];
}

export async function verifyHistories(
  table: TableContext,
  historyMac: HistoryMac,
  filter: HistoryVerificationFilter = {},
): Promise<HistoryVerification> {
  const items = await scanAll(table, {
    FilterExpression: 'begins_with(pk, :app)',
    ExpressionAttributeValues: { ':app': { S: keys.application('').pk } },
    ConsistentRead: true,
  });
  const applications = new Map<string, ReturnType<typeof toApplication>>();
  const events = new Map<string, { sk: string; stored: StoredHistoryEvent }[]>();
  for (const raw of items) {
    const item = fromItem(raw);
    const event = historyEventOf(item);
    // Kept in key order, as a query reads them: an event's own `seq` is part of what is checked.
    if (event)
      events.set(event.applicationId, [
        ...(events.get(event.applicationId) ?? []),
        { sk: String(item.sk), stored: event },
      ]);
    else if (item.type === 'application') {
      const stored = toApplication(item);
      applications.set(stored.application.id, stored);
    }
  }
  const wanted = (id: string) => {
    if (filter.applicationId && id !== filter.applicationId) return false;
    const application = applications.get(id)?.application;
    if (!application) return true;
    if (filter.from && application.updatedAt.slice(0, 10) < filter.from) return false;
    if (filter.to && application.submittedAt.slice(0, 10) > filter.to) return false;
    return true;
  };
  const tampered: HistoryVerification['tampered'] = [];
  let checked = 0;
  for (const id of new Set([...applications.keys(), ...events.keys()])) {
    if (!wanted(id)) continue;
    checked++;
    const stored = applications.get(id);
    const own = (events.get(id) ?? []).sort((a, b) => (a.sk < b.sk ? -1 : 1)).map((e) => e.stored);
    if (!stored) {
      tampered.push({ applicationId: id, findings: ['history events without their application item'] });
      continue;
    }
    const eventMacs = await Promise.all(
      own.map(({ event, mac }) => historyMac.verify(eventMacMessage(id, event.seq, event.hash), mac)),
    );
    const head = await historyMac.verify(headMacMessage(id, headOf(stored.application)), stored.headMac);
    const findings = historyFindings(
      headOf(stored.application),
      own.map((e) => e.event),
      { events: eventMacs, head },
    );
    if (findings.length > 0) tampered.push({ applicationId: id, findings });
  }
  return { checked, tampered };
}
