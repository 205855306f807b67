/** The throughput aggregator on stream records: which records it counts, and that what was counted before is not counted again. */
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { eventContextAttribute } from '../../../functions/kernel/store/table.js';
import type { CountableEvent } from '../../../functions/monitoring/domain/throughput.js';
import { makeThroughputAggregator } from '../../../functions/monitoring/events/stream-aggregator.js';

const context = {
  programme: 'post-subsidy',
  unitPath: ['city:shijiazhuang', 'district:xinhua', 'street:gexin', 'community:gexin-01'],
  stageEnteredAt: '2026-11-27T03:00:00Z',
};
const eventItem = (id: string, seq: number, extra: Record<string, unknown> = {}) => ({
  pk: `APP#${id}`,
  sk: `EVT#${String(seq).padStart(6, '0')}`,
  type: 'event',
  applicationId: id,
  seq,
  at: '2026-11-28T03:00:00Z',
  action: 'approved',
  stage: 'street',
  stageAfter: 'city',
  status: 'in_review',
  version: seq,
  actor: { sub: 'approver-gexin', role: 'street-approver', unit: 'street:gexin' },
  prevHash: 'p',
  hash: `h${seq}`,
  [eventContextAttribute]: context,
  ...extra,
});
const record = (item: Record<string, unknown>, eventName = 'INSERT') => ({
  eventName,
  dynamodb: { Keys: marshall({ pk: item.pk, sk: item.sk }), NewImage: marshall(item, { removeUndefinedValues: true }) },
});

function fakeMetrics(countedBefore: string[] = []) {
  const counted = new Set(countedBefore);
  const calls: CountableEvent[] = [];
  return {
    calls,
    metrics: {
      countMany: async (events: readonly CountableEvent[]) => {
        calls.push(...events);
        const fresh = events.map((e) => `${e.applicationId}#${e.seq}`).filter((key) => !counted.has(key));
        for (const key of fresh) counted.add(key);
        return fresh.length;
      },
    },
  };
}

describe('the throughput aggregator', () => {
  it('counts inserted history events with their context, and leaves other records alone', async () => {
    const { metrics, calls } = fakeMetrics();
    const answer = await makeThroughputAggregator({ metrics })({
      Records: [
        record(eventItem('a-1', 2)),
        record(eventItem('a-1', 3), 'MODIFY'),
        record({ pk: 'APP#a-1', sk: 'META', type: 'application' }),
        record({ pk: 'WEBHOOK#w-1', sk: 'DLV#000001', type: 'delivery' }),
      ],
    } as unknown as DynamoDBStreamEvent);
    expect(answer).toEqual({ counted: 1, skipped: 0 });
    expect(calls).toEqual([
      expect.objectContaining({
        applicationId: 'a-1',
        seq: 2,
        action: 'approved',
        stage: 'street',
        stageAfter: 'city',
        programme: 'post-subsidy',
        unitPath: context.unitPath,
        stageEnteredAt: context.stageEnteredAt,
      }),
    ]);
  });

  it('skips an event written without its context, and counts nothing twice', async () => {
    const { metrics, calls } = fakeMetrics(['a-2#1']);
    const { [eventContextAttribute]: _context, ...bare } = eventItem('a-3', 1);
    const answer = await makeThroughputAggregator({ metrics })({
      Records: [record(eventItem('a-2', 1)), record(bare), record(eventItem('a-2', 2))],
    } as unknown as DynamoDBStreamEvent);
    expect(answer).toEqual({ counted: 1, skipped: 2 });
    expect(calls.map((e) => `${e.applicationId}#${e.seq}`)).toEqual(['a-2#1', 'a-2#2']);
  });
});
