/**
 * `npm run bench:metrics [-- --applications 20000 --runs 30]`: how fast `GET /metrics/throughput`
 * answers a whole city for a whole year. Seeds an in-memory DynamoDB Local with the counters of
 * 20,000 simulated applications (computed by the same code the rebuild uses; the table holds no
 * events at all, so the answer cannot come from them), then times the real handler — key-range
 * queries, merging, unit names, JSON — for day, week and month breakdowns and one programme.
 * Prints a table and writes bench/results/metrics-query.json.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { unitRepository } from '../functions/administration/store/units.js';
import { makeThroughput } from '../functions/monitoring/http/throughput.js';
import { itemsOf, metricsRepository } from '../functions/monitoring/store/metrics.js';
import { seedDemoCity } from '../local/demo-city.js';
import { startDynamoDbLocal } from '../local/dynamodb-local.js';
import { ensureTable } from '../local/table.js';
import { localRegion } from '../local/template.js';
import { httpEvent, lambdaContext } from '../tools/support/http-events.js';
import { simulatedEvents } from './metrics-data.js';
import { summarize } from './model.js';

const { values: args } = parseArgs({
  options: { applications: { type: 'string', default: '20000' }, runs: { type: 'string', default: '30' } },
});
const applications = Number(args.applications);
const runs = Number(args.runs);
const budgetMs = 200;

const dynamo = await startDynamoDbLocal();
const client = new DynamoDBClient({
  endpoint: dynamo.endpoint,
  region: localRegion,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
const table = { client, tableName: 'metrics-bench' };
try {
  await ensureTable(client, table.tableName);
  await seedDemoCity(unitRepository(table));

  const started = Date.now();
  const events = simulatedEvents(applications, '2025-11-30T16:00:00Z', '2026-11-30T16:00:00Z');
  const items = itemsOf(events);
  const metrics = metricsRepository(table);
  const values = [...items.values()];
  const writers = 4;
  await Promise.all(
    Array.from({ length: writers }, (_, w) => metrics.putCounterItems(values.filter((_, i) => i % writers === w))),
  );
  const seedSeconds = (Date.now() - started) / 1000;
  console.log(
    `seeded ${items.size} counter items from ${events.length} events of ${applications} applications in ${seedSeconds.toFixed(1)} s`,
  );

  const loadBefore = loadavg()[0] as number;
  const handler = makeThroughput({
    // The directory lookup is one cached read; the benchmark times the query itself.
    resolveActor: async () => monitor,
    metrics,
    units: unitRepository(table),
    now: () => new Date('2026-11-30T12:00:00Z'),
  });
  const monitor = { sub: 'monitor-city', role: 'city-monitor', unit: 'city:shijiazhuang' } as const;
  const cases: { name: string; query: Record<string, string> }[] = [
    { name: 'city, year, by day', query: { from: '2025-12-01', to: '2026-11-30', granularity: 'day' } },
    { name: 'city, year, by week', query: { from: '2025-12-01', to: '2026-11-30', granularity: 'week' } },
    { name: 'city, year, by month', query: { from: '2025-12-01', to: '2026-11-30', granularity: 'month' } },
    {
      name: 'city, year, one programme, by day',
      query: { from: '2025-12-01', to: '2026-11-30', granularity: 'day', programme: 'post-subsidy' },
    },
    {
      name: 'street, year, by day',
      query: { from: '2025-12-01', to: '2026-11-30', granularity: 'day', unit: 'street:gexin' },
    },
  ];
  const results = [];
  for (const { name, query } of cases) {
    const ask = async () => {
      const t0 = performance.now();
      const answer = await handler(httpEvent({ actor: monitor, queryStringParameters: query }), lambdaContext);
      const ms = performance.now() - t0;
      if (answer.statusCode !== 200) throw new Error(`${name}: ${answer.statusCode} ${answer.body}`);
      return { ms, body: JSON.parse(answer.body ?? '{}') as { rows: unknown[]; totals: { submitted: number } } };
    };
    for (let i = 0; i < 3; i++) await ask(); // warm-up: Node's JIT and DynamoDB Local's JVM
    const timings: number[] = [];
    let last: Awaited<ReturnType<typeof ask>> | undefined;
    for (let i = 0; i < runs; i++) {
      last = await ask();
      timings.push(last.ms);
    }
    const summary = summarize(timings);
    results.push({ name, query, rows: last?.body.rows.length, submitted: last?.body.totals.submitted, ...summary });
  }

  console.log(
    `\n${'query'.padEnd(36)} ${'rows'.padStart(6)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'max ms'.padStart(8)}`,
  );
  for (const r of results) {
    console.log(
      `${r.name.padEnd(36)} ${String(r.rows).padStart(6)} ${r.p50.toFixed(1).padStart(8)} ${r.p95.toFixed(1).padStart(8)} ${r.max.toFixed(1).padStart(8)}`,
    );
  }
  const worstP95 = Math.max(...results.map((r) => r.p95));
  console.log(
    `load average (1 min) before ${loadBefore.toFixed(1)}, after ${(loadavg()[0] as number).toFixed(1)} on ${availableParallelism()} cores`,
  );
  console.log(
    `\nbudget ${budgetMs} ms: ${worstP95 <= budgetMs ? 'met' : 'MISSED'} (worst p95 ${worstP95.toFixed(1)} ms)`,
  );

  const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'metrics-query.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify(
      {
        measuredAt: new Date().toISOString(),
        node: process.version,
        // Other work on the machine slows every figure: the 1-minute load average before and after.
        loadAverage: { before: loadBefore, after: loadavg()[0] },
        applications,
        events: events.length,
        counterItems: items.size,
        seedSeconds,
        runsPerQuery: runs,
        budgetMs,
        results,
        method:
          'in-memory DynamoDB Local 3.3.1, the GET /metrics/throughput handler called in-process (no HTTP hop), 3 warm-up calls then `runs` timed calls each; nearest-rank percentiles',
      },
      null,
      2,
    )}\n`,
  );
  console.log(`wrote ${out}`);
} finally {
  client.destroy();
  await dynamo.stop();
}
