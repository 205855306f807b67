/** Counting a stream batch in few transactions (DynamoDB Local): the sums are the same as one event at a time, and a replay counts nothing twice. */
import { beforeAll, describe, expect, it } from 'vitest';
import { simulatedEvents } from '../../bench/metrics-data.js';
import type { Item, TableContext } from '../../functions/kernel/store/table.js';
import type { CountableEvent } from '../../functions/monitoring/domain/throughput.js';
import { changesOf, itemsOf, metricsRepository } from '../../functions/monitoring/store/metrics.js';
import { freshTable } from '../support/dynamo.js';

let table: TableContext;
const calls = new Map<string, number>();
beforeAll(async () => {
  table = await freshTable();
  table.client.middlewareStack.add(
    (next, context) => async (args) => {
      calls.set(context.commandName ?? '?', (calls.get(context.commandName ?? '?') ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'countCalls' },
  );
});

/** What an action answers and the DynamoDB calls it made, by command name. */
async function callsDuring<T>(action: () => Promise<T>): Promise<{ answer: T; calls: Record<string, number> }> {
  calls.clear();
  const answer = await action();
  return { answer, calls: Object.fromEntries(calls) };
}

/** How many transactions of at most 100 items counting these events needs, packed as countMany packs them. */
function transactionsFor(batch: readonly CountableEvent[]): number {
  let transactions = 1;
  let size = 0;
  const items = new Set<string>();
  for (const event of batch) {
    const fresh = changesOf(event)
      .map((c) => `${c.key.pk} ${c.key.sk}`)
      .filter((id) => !items.has(id));
    if (size && size + items.size + 1 + fresh.length > 100) {
      transactions++;
      size = 0;
      items.clear();
    }
    size++;
    for (const id of fresh) items.add(id);
  }
  return transactions;
}

/** Counter items without their zero counters, keyed by pk and sk. */
const figures = (items: Map<string, Item>) =>
  new Map([...items].map(([key, item]) => [key, Object.fromEntries(Object.entries(item).filter(([, v]) => v !== 0))]));

describe('counting a batch of events', () => {
  // Applications across the whole demo city over a fortnight: many events share city and district rows.
  const events = simulatedEvents(40, '2026-11-02T00:00:00Z', '2026-11-16T00:00:00Z', 11).filter(
    (e) => changesOf(e).length > 0,
  );

  it('splits a large batch into transactions DynamoDB accepts and sums exactly what one event at a time would', async () => {
    const metrics = metricsRepository(table);
    const first = events.slice(0, 50);
    // More counter items than one transaction may hold: the batch must be split.
    expect(itemsOf(first).size + first.length).toBeGreaterThan(100);

    expect(await metrics.countMany(first)).toBe(50);

    expect(figures(await metrics.allCounterItems())).toEqual(figures(itemsOf(first)));
  });

  it('counts only the new events of a batch that replays some counted ones, and none of a batch replayed whole', async () => {
    const metrics = metricsRepository(table);
    expect(events.length).toBeGreaterThan(70);

    const partly = await callsDuring(() => metrics.countMany(events));
    const whole = await callsDuring(() => metrics.countMany(events));

    expect(partly.answer).toBe(events.length - 50);
    expect(whole.answer).toBe(0);
    // A replay is found out once for the whole batch, not once per transaction-sized group:
    // the counters' generation read, one refused transaction and one batch read of the markers (≤ 100 keys per read).
    const markerReads = Math.ceil(events.length / 100);
    expect(whole.calls).toEqual({ GetItemCommand: 1, TransactWriteItemsCommand: 1, BatchGetItemCommand: markerReads });
    // The partial replay: one refusal, one read, then only the transactions the new events need.
    expect(partly.calls.BatchGetItemCommand).toBe(markerReads);
    expect(partly.calls.TransactWriteItemsCommand).toBeLessThanOrEqual(1 + transactionsFor(events.slice(50)));

    expect(figures(await metrics.allCounterItems())).toEqual(figures(itemsOf(events)));
  });
});
