import { describe, expect, it } from 'vitest';
import {
  attributeValueSize,
  consumedCapacityUnits,
  costPer1000Approved,
  itemSize,
  type MeasuredWork,
  percentile,
  storageUsdPer1000PerMonth,
  summarize,
  transactWriteUnits,
} from '../../../bench/model.js';
import { prices } from '../../../bench/prices.js';

describe('percentile', () => {
  it('takes the nearest rank of the sorted samples', () => {
    const samples = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(samples, 50)).toBe(5);
    expect(percentile(samples, 95)).toBe(10);
    expect(percentile(samples, 99)).toBe(10);
    expect(percentile(samples, 10)).toBe(1);
  });

  it('answers the one sample for any percentile, and NaN for none', () => {
    expect(percentile([42], 1)).toBe(42);
    expect(percentile([42], 99)).toBe(42);
    expect(percentile([], 50)).toBeNaN();
  });

  it('reads p99 of 1..1000 as 990 and leaves its input unsorted', () => {
    const samples = Array.from({ length: 1000 }, (_, i) => 1000 - i);
    expect(percentile(samples, 99)).toBe(990);
    expect(samples[0]).toBe(1000);
  });

  it('summarizes count, percentiles, max and mean', () => {
    expect(summarize([1, 2, 3, 4])).toEqual({ count: 4, p50: 2, p95: 4, p99: 4, max: 4, mean: 2.5 });
  });
});

describe('item size by DynamoDB rules', () => {
  it('counts names and UTF-8 string bytes', () => {
    expect(itemSize({ pk: { S: 'APP#1' }, name: { S: '李' } })).toBe(2 + 5 + 4 + 3);
  });

  it('counts numbers by significant digits, booleans and nulls as one byte', () => {
    expect(attributeValueSize({ N: '50000' })).toBe(2);
    expect(attributeValueSize({ N: '123456' })).toBe(4);
    expect(attributeValueSize({ BOOL: true })).toBe(1);
    expect(attributeValueSize({ NULL: true })).toBe(1);
  });

  it('adds 3 bytes per map or list and 1 per element', () => {
    expect(attributeValueSize({ L: [{ S: 'ab' }, { S: 'c' }] })).toBe(3 + (1 + 2) + (1 + 1));
    expect(attributeValueSize({ M: { a: { S: 'xy' } } })).toBe(3 + 1 + 1 + 2);
  });
});

describe('consumed capacity', () => {
  it('reads one object, or sums one per table', () => {
    expect(consumedCapacityUnits({ TableName: 't', CapacityUnits: 2.5 })).toBe(2.5);
    expect(
      consumedCapacityUnits([
        { TableName: 'a', CapacityUnits: 4 },
        { TableName: 'b', CapacityUnits: 6 },
      ]),
    ).toBe(10);
    expect(consumedCapacityUnits({ ReadCapacityUnits: 1, WriteCapacityUnits: 3 })).toBe(4);
  });

  it('answers undefined when the response carries none', () => {
    expect(consumedCapacityUnits(undefined)).toBeUndefined();
    expect(consumedCapacityUnits([])).toBeUndefined();
  });
});

describe('cost per 1,000 approved applications', () => {
  const work: MeasuredWork = {
    applications: 100,
    approved: 100,
    stateTransitions: 1000,
    httpRequests: 500,
    httpBilledMs: 50_000,
    stepInvocations: 500,
    stepBilledMs: 50_000,
    readCapacityUnits: 1000,
    writeCapacityUnits: 2000,
    sqsRequests: 0,
    logBytes: 0,
  };

  it('prices each measured count at its published price', () => {
    const cost = costPer1000Approved(work);
    const line = (unit: string) => cost.lines.find((entry) => entry.unit.startsWith(unit))!;
    expect(line('state transitions').usdPer1000).toBeCloseTo(10_000 * 0.000025, 10);
    expect(line('requests').quantity).toBe(10_000);
    expect(line('requests').usdPer1000).toBeCloseTo(10_000 * 0.0000002, 10);
    // 100 s of billed duration per 100 approvals at 512 MB → 500 GB-s per 1,000.
    expect(line('GB-s').quantity).toBeCloseTo(500, 10);
    expect(line('GB-s').usdPer1000).toBeCloseTo(500 * 0.0000133334, 10);
    expect(line('write request units').usdPer1000).toBeCloseTo(20_000 * 0.000000625, 10);
    expect(line('read request units').usdPer1000).toBeCloseTo(10_000 * 0.000000125, 10);
    expect(line('HTTP API requests').usdPer1000).toBeCloseTo(5000 * 0.000001, 10);
    expect(cost.byService.SQS).toBe(0);
  });

  it('adds the lines up by service and in total', () => {
    const cost = costPer1000Approved(work);
    expect(cost.byService['Step Functions']).toBeCloseTo(0.25, 10);
    expect(cost.byService.Lambda).toBeCloseTo(0.002 + 500 * 0.0000133334, 10);
    const sum = Object.values(cost.byService).reduce((total, value) => total + value, 0);
    expect(cost.totalUsdPer1000).toBeCloseTo(sum, 12);
  });

  it('counts Lambda platform log lines even when the handlers log nothing', () => {
    const cost = costPer1000Approved(work);
    // 10,000 invocations per 1,000 approvals × 300 B = 3 MB.
    expect(cost.byService['CloudWatch Logs']).toBeCloseTo(0.003 * prices.cloudWatchLogsPerGbIngested.usd, 10);
  });

  it('scales with the approved count, not the submitted one', () => {
    const halfApproved = costPer1000Approved({ ...work, approved: 50 });
    expect(halfApproved.totalUsdPer1000).toBeCloseTo(2 * costPer1000Approved(work).totalUsdPer1000, 10);
  });

  it('refuses to price a run in which nothing was approved', () => {
    expect(() => costPer1000Approved({ ...work, approved: 0 })).toThrow(/nothing to price/);
  });

  it('prices storage per GB-month', () => {
    expect(storageUsdPer1000PerMonth(1024 ** 3 / 1000)).toBeCloseTo(prices.dynamoDbPerGbMonth.usd, 12);
  });
});

describe('transactional write units, computed', () => {
  const indexes = [{ partitionKey: 'inboxPk', sortKey: 'inboxSk' }];
  const put = (size: number, extra: Record<string, { S: string }> = {}) => ({
    Put: { Item: { pk: { S: 'k' }, data: { S: 'x'.repeat(size) }, ...extra } },
  });

  it('charges 2 units per started KB of each item put', () => {
    expect(transactWriteUnits([put(500), put(500), put(500)], indexes)).toBe(6);
    expect(transactWriteUnits([put(2500)], indexes)).toBe(6);
  });

  it('adds one write per started KB for each index the item is in', () => {
    expect(transactWriteUnits([put(500, { inboxPk: { S: 'I' }, inboxSk: { S: 's' } })], indexes)).toBe(3);
    expect(transactWriteUnits([put(500, { inboxPk: { S: 'I' } })], indexes)).toBe(2);
  });

  it('counts an item whose size the request does not show as 1 KB', () => {
    expect(transactWriteUnits([{ ConditionCheck: {} }], indexes)).toBe(2);
  });

  it('sizes an update by its key and the values it sets; 2 writes for an index whose keys it sets, 1 for one it leaves', () => {
    const update = (size: number, names: Record<string, string>, expression = '') => ({
      Update: {
        Key: { pk: { S: 'k' } },
        UpdateExpression: expression,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':s0': { S: 'x'.repeat(size) } },
      },
    });
    expect(transactWriteUnits([update(2500, { '#s0': 'data' }, 'SET #s0 = :s0')], indexes)).toBe(6);
    const sets = update(
      100,
      { '#s0': 'data', '#s1': 'inboxPk', '#s2': 'inboxSk' },
      'SET #s0 = :s0, #s1 = :s1, #s2 = :s2',
    );
    expect(transactWriteUnits([sets], indexes)).toBe(4);
    const leaves = update(100, { '#s0': 'data', '#r0': 'inboxPk', '#r1': 'inboxSk' }, 'SET #s0 = :s0 REMOVE #r0, #r1');
    expect(transactWriteUnits([leaves], indexes)).toBe(3);
  });

  it("counts one write for a keys-only index copy, whatever the item's size", () => {
    const keysOnly = [{ partitionKey: 'deadlinePk', sortKey: 'deadlineSk', keysOnly: true }];
    expect(transactWriteUnits([put(2500, { deadlinePk: { S: 'D' }, deadlineSk: { S: 's' } })], keysOnly)).toBe(7);
  });
});
