/**
 * Counters that scale (DynamoDB Local): a city's and a district's counter items are spread over
 * shards and summed on read, exactly, however many writers count at once; and a rebuild made
 * while events keep being counted loses none of them (it fills a new generation, then switches).
 */

import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { simulatedEvents } from '../../bench/metrics-data.js';
import { historyEventPut } from '../../functions/applications/store/history-events.js';
import {
  type ApplicationStatus,
  type HistoryEvent,
  systemActor,
} from '../../functions/kernel/domain/application-events.js';
import { fromItem, type Item, keys, scanAll, type TableContext } from '../../functions/kernel/store/table.js';
import type { CountableEvent } from '../../functions/monitoring/domain/throughput.js';
import { counterShards, parseStoredPk } from '../../functions/monitoring/store/counter-layout.js';
import {
  allProgrammes,
  changesOf,
  itemsOf,
  metricsRepository,
  sumRows,
} from '../../functions/monitoring/store/metrics.js';
import { freshTable } from '../support/dynamo.js';

/** Counter items without their zero counters, keyed by pk and sk. */
const figures = (items: Map<string, Item>) =>
  new Map([...items].map(([key, item]) => [key, Object.fromEntries(Object.entries(item).filter(([, v]) => v !== 0))]));

/** Writers counting `events` at once, each a stream shard's batches of 10, some batches replayed as a retried Lambda would. */
async function countConcurrently(table: TableContext, events: readonly CountableEvent[], writers: number) {
  const batches: CountableEvent[][] = [];
  for (let i = 0; i < events.length; i += 10) batches.push(events.slice(i, i + 10));
  let next = 0;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      // Each writer its own client, as each Lambda container has.
      const metrics = metricsRepository(table);
      for (let b = next++; b < batches.length; b = next++) {
        const batch = batches[b] as CountableEvent[];
        for (let attempt = 0; ; attempt++) {
          try {
            await metrics.countMany(batch);
            if (b % 5 === 0) await metrics.countMany(batch); // a replay: counts nothing
            break;
          } catch (error) {
            // Two writers' transactions on one item at the same moment: the batch is retried, as Lambda retries it.
            if (attempt > 20 || !String((error as Error).name).includes('TransactionCanceled')) throw error;
          }
        }
      }
    }),
  );
}

describe('sharded counters', () => {
  let table: TableContext;
  beforeAll(async () => {
    table = await freshTable();
  });
  const events = simulatedEvents(60, '2026-11-02T00:00:00Z', '2026-11-09T00:00:00Z', 23).filter(
    (e) => changesOf(e).length > 0,
  );

  it('sum on read to exactly what the events add, with 8 writers counting at once', async () => {
    await countConcurrently(table, events, 8);

    const metrics = metricsRepository(table);
    expect(figures(await metrics.allCounterItems())).toEqual(figures(itemsOf(events)));
    // The city's items are spread over shards; a street's are not.
    const stored = (await scanAll(table, {})).map(fromItem).filter((i) => String(i.pk).startsWith(keys.metricPrefix));
    const shardsOf = (unit: string) =>
      new Set(stored.filter((i) => parseStoredPk(String(i.pk)).logicalPk === `METRIC#${unit}`).map((i) => i.pk));
    expect(shardsOf('city:shijiazhuang').size).toBeGreaterThan(1);
    expect(shardsOf('city:shijiazhuang').size).toBeLessThanOrEqual(counterShards);
    expect(shardsOf('street:gexin').size).toBe(1);

    // What a reader gets for the city: one row per (day, child), the shards summed.
    const { rows } = await metrics.read(['city:shijiazhuang'], allProgrammes, '2026-11-01', '2026-12-31');
    expect(new Set(rows.map((r) => `${r.day} ${r.child}`)).size).toBe(rows.length);
    const expected = [...itemsOf(events).values()].filter(
      (i) => i.pk === 'METRIC#city:shijiazhuang' && String(i.sk).startsWith(`DAY#${allProgrammes}#`),
    );
    const submitted = (items: { n_submitted?: unknown }[]) =>
      items.reduce((total, i) => total + (typeof i.n_submitted === 'number' ? i.n_submitted : 0), 0);
    expect(sumRows(rows).events.submitted).toBe(submitted(expected));
    expect(rows.length).toBe(expected.length);
  });
});

describe('a rebuild while events are being counted', () => {
  let table: TableContext;
  beforeAll(async () => {
    table = await freshTable();
  });

  /** Stores an event as the application store does (the rebuild reads these), then counts it as the stream would. */
  async function live(events: readonly CountableEvent[]) {
    const client = new DynamoDBClient({
      endpoint: inject('dynamoEndpoint'),
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const context = { client, tableName: table.tableName };
    for (const event of events) {
      const { programme, unitPath, stageEnteredAt } = event;
      // The stored event as the store writes it: a simulated event carries only what counting needs.
      const stored: HistoryEvent = {
        seq: event.seq,
        at: event.at,
        action: event.action,
        stage: event.stage,
        stageAfter: event.stageAfter,
        status: (event.status ?? 'in_review') as ApplicationStatus,
        version: event.seq,
        actor: systemActor,
        prevHash: 'p',
        hash: `h${event.seq}`,
        ...(event.grantedFen !== undefined ? { grantedFen: event.grantedFen } : {}),
      };
      const put = historyEventPut(table.tableName, event.applicationId, stored, {
        programme,
        unitPath: [...unitPath],
        stageEnteredAt,
      });
      await client.send(new PutItemCommand({ TableName: table.tableName, Item: put.Put?.Item }));
    }
    await metricsRepository(context).countMany(events);
    client.destroy();
  }

  it('loses no event counted before, during or after it, and counts none twice', async () => {
    const events = simulatedEvents(40, '2026-11-02T00:00:00Z', '2026-11-16T00:00:00Z', 31).filter(
      (e) => changesOf(e).length > 0,
    );
    const part = (n: number) => events.slice((n * events.length) / 5, ((n + 1) * events.length) / 5);
    await live(part(0));

    // The rebuild's own calls are intercepted to count more events live at its worst moments:
    // after it opened the next generation but before its scan, right after its scan, and just before it switches.
    const hooks: { when: (command: string, input: Record<string, any>) => boolean; run: () => Promise<void> }[] = [
      {
        when: (c, i) => c === 'ScanCommand' && i.ExpressionAttributeValues?.[':evt'] !== undefined,
        run: () => live(part(1)),
      },
      {
        when: (c, i) => c === 'TransactWriteItemsCommand' && JSON.stringify(i).includes('@1'),
        run: () => live(part(2)),
      },
      {
        when: (c, i) => c === 'UpdateItemCommand' && String(i.UpdateExpression).includes('REMOVE'),
        run: () => live(part(3)),
      },
    ];
    table.client.middlewareStack.add(
      (next, context) => async (args) => {
        const hook = hooks.find((h) => h.when(context.commandName ?? '', args.input as Record<string, any>));
        if (hook) {
          hooks.splice(hooks.indexOf(hook), 1);
          await hook.run();
        }
        return next(args);
      },
      { step: 'initialize', name: 'duringTheRebuild' },
    );
    const rebuilt = await metricsRepository(table).rebuild();
    table.client.middlewareStack.remove('duringTheRebuild');
    expect(hooks).toEqual([]);
    await live(part(4));

    expect(rebuilt.generation).toBe(1);
    // The rebuild counted what was stored before its scan; the events counted live after it opened the generation were not counted twice.
    expect(rebuilt.countedByRebuild).toBeLessThan(rebuilt.counted);
    expect(figures(await metricsRepository(table).allCounterItems())).toEqual(figures(itemsOf(events)));
    // Nothing of the old generation is left.
    const stored = (await scanAll(table, {})).map(fromItem);
    expect(
      stored.filter((i) => String(i.pk).startsWith(keys.metricPrefix) && parseStoredPk(String(i.pk)).generation !== 1),
    ).toEqual([]);
    expect(stored.filter((i) => i.type === 'counted' && i.consumer !== 'throughput@1')).toEqual([]);
  });
});
