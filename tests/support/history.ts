/** History events as a forger of the table would handle them (the tamper and digest tests). */

import { historyEventOf } from '../../functions/applications/store/history-events.js';
import type { HistoryEvent } from '../../functions/kernel/domain/application-events.js';
import type { Item } from '../../functions/kernel/store/table.js';

/** A stored event item's body without its chain links: what `chainEvent` takes to chain it again. */
export function unchainedEvent(item: Item): Omit<HistoryEvent, 'prevHash' | 'hash'> {
  const stored = historyEventOf(item);
  if (!stored) throw new Error(`${String(item.pk)} ${String(item.sk)} is not a history event`);
  const { prevHash: _prev, hash: _hash, ...event } = stored.event;
  return event;
}
