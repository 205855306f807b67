/** Counting a stream batch in few transactions (DynamoDB Local): the sums are the same as one event at a time, and a replay counts nothing twice. */
import { beforeAll, describe, expect, it } from 'vitest';
import { simulatedEvents } from '../../bench/metrics-data.js';
import { changesOf, itemsOf, metricsRepository } from '../../functions/store/metrics.js';
import type { Item, TableContext } from '../../functions/store/table.js';
import { freshTable } from '../support/dynamo.js';

let table: TableContext;
beforeAll(async () => {
  table = await freshTable();
});

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
    expect(await metrics.countMany(events)).toBe(events.length - 50);
    expect(await metrics.countMany(events)).toBe(0);

    expect(figures(await metrics.allCounterItems())).toEqual(figures(itemsOf(events)));
  });
});
