/**
 * Throughput monitoring through the whole product on one machine (the runtime `npm start` runs,
 * started in-process): a handful of applications taken to every outcome over HTTP, the
 * aggregator fed from the table's stream, then `GET /metrics/throughput` and its CSV checked
 * exactly, and who may read them.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Actor } from '../../functions/kernel/domain/actor.js';
import { shanghaiDate } from '../../functions/kernel/domain/dates.js';
import { addDays } from '../../functions/monitoring/domain/throughput-periods.js';
import { type LocalStack, startLocalStack } from '../../local/runtime.js';
import { bodyForPerson } from '../../tools/support/applicants.js';
import { eventually } from '../../tools/support/eventually.js';
import { actors } from '../../tools/support/fixtures.js';
import { apiAs } from '../support/api-client.js';
import { testTableName } from '../support/dynamo.js';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({
    dynamoEndpoint: inject('dynamoEndpoint'),
    template: inject('template'),
    tableName: testTableName('throughput-e2e'),
    residentIdKey: 'r'.repeat(40),
    webhookSecretKey: 'k'.repeat(40),
    webhookIntervalMs: 100,
  });
});
afterAll(async () => {
  await stack?.stop();
});

const as = (actor: Actor) => apiAs(stack, actor);
const streetMonitor: Actor = { sub: 'monitor-gexin', role: 'city-monitor', unit: 'street:gexin' };

async function submit(staff: Actor, n: number): Promise<string> {
  const answer = await as(staff).post('/applications', bodyForPerson('post-subsidy', staff.unit, 40 + n));
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  await stack.engine.whenIdle();
  return answer.body.id as string;
}

async function act(actor: Actor, path: string, body: unknown, version: number): Promise<void> {
  const answer = await as(actor).post(path, { ...(body as object), expectedVersion: version });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  await stack.engine.whenIdle();
}

const zeroFigures = {
  submitted: 0,
  advanced: 0,
  approved: 0,
  rejected: 0,
  returned: 0,
  resubmitted: 0,
  withdrawn: 0,
  overdue: 0,
};

describe('throughput, end to end', () => {
  it('counts a handful of applications taken to every outcome, exactly, in the answer and in its CSV', async () => {
    // Approved at both levels.
    const approved = await submit(actors.gexin01Staff, 1);
    await act(actors.gexinApprover, `/applications/${approved}/decisions`, { decision: 'approve' }, 1);
    await act(actors.cityApprover, `/applications/${approved}/decisions`, { decision: 'approve' }, 2);
    // Rejected by the street.
    const rejected = await submit(actors.gexin02Staff, 2);
    await act(
      actors.gexinApprover,
      `/applications/${rejected}/decisions`,
      { decision: 'reject', reason: 'not-eligible' },
      1,
    );
    // Returned by the city, resubmitted: waits at the city.
    const returned = await submit(actors.gexin01Staff, 3);
    await act(actors.gexinApprover, `/applications/${returned}/decisions`, { decision: 'approve' }, 1);
    await act(
      actors.cityApprover,
      `/applications/${returned}/decisions`,
      { decision: 'return', comment: '请补充劳动合同' },
      2,
    );
    await act(actors.gexin01Staff, `/applications/${returned}/resubmit`, {}, 3);
    // Withdrawn while at the street; and one still waiting there.
    const withdrawn = await submit(actors.jianbei01Staff, 4);
    await act(actors.jianbei01Staff, `/applications/${withdrawn}/withdraw`, {}, 1);
    await submit(actors.jianbei01Staff, 5);

    const final = (await as(actors.gexin01Staff).get(`/applications/${approved}`)).body;
    const granted = final.history.at(-1).grantedFen as number | undefined;
    const grantedFen = granted ? { 'post-subsidy': granted } : {};
    const today = shanghaiDate(new Date());
    // From yesterday: a run that crosses midnight in Shanghai still finds every event.
    const range = `from=${addDays(today, -1)}&to=${today}&granularity=day`;

    const expectedTotals = {
      ...zeroFigures,
      submitted: 5,
      advanced: 2,
      approved: 1,
      rejected: 1,
      returned: 1,
      resubmitted: 1,
      withdrawn: 1,
      backlog: { street: 1, district: 0, city: 1 },
      grantedFen,
    };
    const city = await eventually('the aggregator to count every event', async () => {
      const answer = await as(actors.cityMonitor).get(`/metrics/throughput?${range}`);
      return (
        answer.status === 200 &&
        answer.body.totals.submitted === 5 &&
        answer.body.totals.resubmitted === 1 &&
        answer.body.totals.withdrawn === 1 &&
        answer.body
      );
    });
    expect(city).toMatchObject({ unit: 'city:shijiazhuang', granularity: 'day', totals: expectedTotals });
    expect(city.totals.timeInStageHours.street.p50).toBeGreaterThanOrEqual(0);
    expect(city.totals.timeInStageHours.street.p50).toBeLessThanOrEqual(1);
    expect(city.totals.timeInStageHours.district).toEqual({ p50: null, p90: null });

    // Rows: the city's districts. Counted figures add over the days; the backlog is the last day's.
    const byUnit = (rows: Record<string, any>[]) => {
      const units = new Map<string, Record<string, unknown>>();
      for (const row of rows) {
        const sum = (units.get(row.unit) ?? { ...zeroFigures }) as Record<string, number>;
        for (const field of Object.keys(zeroFigures)) sum[field] = (sum[field] ?? 0) + row[field];
        units.set(row.unit, { ...sum, unitName: row.unitName, backlog: row.backlog });
      }
      return Object.fromEntries(units);
    };
    expect(byUnit(city.rows)).toEqual({
      'district:xinhua': {
        ...zeroFigures,
        submitted: 3,
        advanced: 2,
        approved: 1,
        rejected: 1,
        returned: 1,
        resubmitted: 1,
        unitName: '新华区',
        backlog: { street: 0, district: 0, city: 1 },
      },
      'district:changan': {
        ...zeroFigures,
        submitted: 2,
        withdrawn: 1,
        unitName: '长安区',
        backlog: { street: 1, district: 0, city: 0 },
      },
    });

    const street = (await as(streetMonitor).get(`/metrics/throughput?${range}&unit=street:gexin`)).body;
    expect(byUnit(street.rows)).toEqual({
      'community:gexin-01': {
        ...zeroFigures,
        submitted: 2,
        advanced: 2,
        approved: 1,
        returned: 1,
        resubmitted: 1,
        unitName: '革新街第01社区',
        backlog: { street: 0, district: 0, city: 1 },
      },
      'community:gexin-02': {
        ...zeroFigures,
        submitted: 1,
        rejected: 1,
        unitName: '革新街第02社区',
        backlog: { street: 0, district: 0, city: 0 },
      },
    });

    const csv = await fetch(`${stack.apiUrl}/metrics/throughput.csv?${range}`, {
      headers: { authorization: `Bearer ${await stack.tokenFor(actors.cityMonitor)}` },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1).trimEnd().split('\r\n');
    expect(
      lines[0]?.startsWith(
        '期间,单位代码,单位名称,受理,逐级通过,批准,不予批准,退回,重新提交,撤回,街道待审,区待审,市待审,逾期,',
      ),
    ).toBe(true);
    expect(lines.slice(1)).toHaveLength(city.rows.length);
    expect(lines.slice(1).some((line) => line.includes(',district:xinhua,新华区,'))).toBe(true);
    expect(lines.slice(1).some((line) => line.includes(',district:changan,长安区,'))).toBe(true);
  }, 300_000);

  it('lets a street monitor read its own street only, and no one but monitors read figures', async () => {
    const today = shanghaiDate(new Date());
    const range = `from=${today}&to=${today}`;
    const other = await as(streetMonitor).get(`/metrics/throughput?${range}&unit=street:dongfeng`);
    expect(other.status).toBe(403);
    expect(other.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await as(actors.gexin01Staff).get(`/metrics/throughput?${range}`)).status).toBe(403);
    expect((await as(actors.gexinApprover).get(`/metrics/throughput.csv?${range}`)).status).toBe(403);
    const bad = await as(actors.cityMonitor).get(`/metrics/throughput?from=${today}&to=${addDays(today, -3)}`);
    expect(bad).toMatchObject({ status: 422, body: { errors: [{ field: 'to' }] } });
  });
});
