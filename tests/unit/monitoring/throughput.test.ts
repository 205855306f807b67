/** The counting rules: what each event adds, periods in the city's time zone, histograms and their percentiles, merging, CSV. */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addCounters,
  bucketOf,
  type CountableEvent,
  countersOf,
  emptyCounters,
  emptyHistogram,
  histogramBoundsHours,
  percentile,
  placesOf,
  rowsOwnerOf,
} from '../../../functions/monitoring/domain/throughput.js';
import { assertRange, isoWeekOf, periodEnd } from '../../../functions/monitoring/domain/throughput-periods.js';
import { assembleThroughput, throughputCsv } from '../../../functions/monitoring/domain/throughput-report.js';

const path = ['city:shijiazhuang', 'district:xinhua', 'street:gexin', 'community:gexin-01'];
const event = (overrides: Partial<CountableEvent>): CountableEvent => ({
  applicationId: 'a-1',
  seq: 2,
  at: '2026-11-28T03:00:00Z',
  action: 'approved',
  stage: 'street',
  stageAfter: 'city',
  programme: 'post-subsidy',
  unitPath: path,
  stageEnteredAt: '2026-11-27T03:00:00Z',
  ...overrides,
});

describe('what one event counts', () => {
  it('counts a submission and one more waiting at the first stage', () => {
    const counters = countersOf(event({ seq: 1, action: 'submitted', stage: 'community', stageAfter: 'street' }));
    expect(counters.events.submitted).toBe(1);
    expect(counters.backlogChange).toEqual({ street: 1, district: 0, city: 0 });
    expect(counters.timeInStage.street.every((n) => n === 0)).toBe(true);
  });

  it('counts an ineligible submission (or a resubmission rejected before they were refused instead) as taken in and rejected, with nothing left waiting', () => {
    const submitted = countersOf(
      event({ seq: 1, action: 'submitted', stage: 'community', stageAfter: null, status: 'rejected' }),
    );
    expect(submitted.events).toMatchObject({ submitted: 1, rejected: 1 });
    expect(submitted.backlogChange).toEqual({ street: 0, district: 0, city: 0 });
    // Such events exist only in history stored before resubmissions were refused instead; a rebuild still counts them.
    const resubmitted = countersOf(
      event({ action: 'resubmitted', stage: 'community', stageAfter: null, status: 'rejected' }),
    );
    expect(resubmitted.events).toMatchObject({ resubmitted: 1, rejected: 1 });
  });

  it('counts an approval before the last level as advanced: one fewer at the street, one more at the city, 24 h in the street bucket', () => {
    const counters = countersOf(event({}));
    expect(counters.events).toMatchObject({ advanced: 1, approved: 0 });
    expect(counters.backlogChange).toEqual({ street: -1, district: 0, city: 1 });
    expect(counters.timeInStage.street[bucketOf(24)]).toBe(1);
  });

  it('counts the final approval with its granted amount, by programme', () => {
    const counters = countersOf(event({ stage: 'city', stageAfter: null, grantedFen: 360_000 }));
    expect(counters.events.approved).toBe(1);
    expect(counters.grantedFen).toEqual({ 'post-subsidy': 360_000 });
    expect(counters.backlogChange.city).toBe(-1);
  });

  it('counts a return as leaving the stage, a resubmission as arriving again, a withdrawal while returned as nothing waiting less', () => {
    expect(countersOf(event({ action: 'returned', stage: 'city', stageAfter: 'community' })).backlogChange.city).toBe(
      -1,
    );
    expect(
      countersOf(event({ action: 'resubmitted', stage: 'community', stageAfter: 'city' })).backlogChange.city,
    ).toBe(1);
    const withdrawn = countersOf(event({ action: 'withdrawn', stage: 'community', stageAfter: null }));
    expect(withdrawn.events.withdrawn).toBe(1);
    expect(withdrawn.backlogChange).toEqual({ street: 0, district: 0, city: 0 });
  });

  it('counts an overdue deadline but not a reminder or a moved deadline', () => {
    expect(countersOf(event({ action: 'overdue', stageAfter: 'street' })).events.overdue).toBe(1);
    expect(countersOf(event({ action: 'reminded', stageAfter: 'street' }))).toEqual(emptyCounters());
    expect(countersOf(event({ action: 'rescheduled', stageAfter: 'street' }))).toEqual(emptyCounters());
  });

  it('counts nothing for a grant suspended after its approval: no decision, no stage left', () => {
    expect(
      countersOf(event({ action: 'grant-suspended', stage: 'city', stageAfter: null, status: 'approved' })),
    ).toEqual(emptyCounters());
  });

  it('places an event on its Shanghai day at every unit of its path above the community, each with its child', () => {
    // 17:00 UTC is 01:00 the next day in Shanghai.
    expect(placesOf({ unitPath: path, at: '2026-11-28T17:00:00Z' })).toEqual([
      { unitId: 'city:shijiazhuang', child: 'district:xinhua', day: '2026-11-29' },
      { unitId: 'district:xinhua', child: 'street:gexin', day: '2026-11-29' },
      { unitId: 'street:gexin', child: 'community:gexin-01', day: '2026-11-29' },
    ]);
  });

  it("finds a community's figures in its street's rows, and any other unit's in its own", () => {
    expect(rowsOwnerOf(path)).toEqual({ owner: 'street:gexin', onlyChild: 'community:gexin-01' });
    expect(rowsOwnerOf(path.slice(0, 3))).toEqual({ owner: 'street:gexin' });
    expect(rowsOwnerOf(['city:shijiazhuang'])).toEqual({ owner: 'city:shijiazhuang' });
  });
});

describe('histograms', () => {
  it('estimates percentiles inside the bucket, and answers null without samples', () => {
    const histogram = emptyHistogram();
    histogram[bucketOf(30)] = 10; // [24, 36)
    expect(percentile(histogram, 0.5)).toBe(30);
    expect(percentile(histogram, 0.9)).toBeCloseTo(34.8, 1);
    expect(percentile(emptyHistogram(), 0.5)).toBeNull();
  });

  it('answers the lower bound of the open last bucket', () => {
    const histogram = emptyHistogram();
    histogram[bucketOf(10_000)] = 3;
    expect(percentile(histogram, 0.9)).toBe(720);
  });

  it('merges like the samples themselves: two units’ histograms added equal the histogram of all their samples, and the p50 lies in the true median’s bucket', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 2000, noNaN: true }), { minLength: 1, maxLength: 60 }),
        fc.nat(),
        (samples, cut) => {
          const split = cut % samples.length;
          const histogramOf = (hours: number[]) => {
            const counters = emptyCounters();
            for (const h of hours) counters.timeInStage.street[bucketOf(h)]! += 1;
            return counters;
          };
          const merged = addCounters(histogramOf(samples.slice(0, split)), histogramOf(samples.slice(split)));
          expect(merged).toEqual(histogramOf(samples));
          const sorted = [...samples].sort((x, y) => x - y);
          const median = sorted[Math.ceil(sorted.length / 2) - 1] as number;
          const estimate = percentile(merged.timeInStage.street, 0.5) as number;
          // Interpolation may land on the bucket's upper bound, which belongs to the next bucket.
          expect([bucketOf(median), bucketOf(median) + 1]).toContain(bucketOf(estimate));
          if (bucketOf(estimate) !== bucketOf(median)) expect(estimate).toBe(histogramBoundsHours[bucketOf(median)]);
        },
      ),
    );
  });
});

describe('periods', () => {
  it('names ISO weeks by the year of their Thursday, and ends weeks on Sunday and months on their last day', () => {
    expect(isoWeekOf('2026-11-28')).toBe('2026-W48');
    expect(isoWeekOf('2027-01-01')).toBe('2026-W53');
    expect(isoWeekOf('2024-12-30')).toBe('2025-W01');
    expect(periodEnd('2026-11-25', 'week')).toBe('2026-11-29');
    expect(periodEnd('2028-02-10', 'month')).toBe('2028-02-29');
  });

  it('refuses a range that ends before it starts, or a year and more of days, naming `to`', () => {
    expect(() => assertRange({ from: '2026-02-01', to: '2026-01-01', granularity: 'day' })).toThrow(
      expect.objectContaining({ fieldErrors: [expect.objectContaining({ field: 'to' })] }),
    );
    expect(() => assertRange({ from: '2025-01-01', to: '2026-01-02', granularity: 'day' })).toThrow(/at most 366 days/);
    expect(() => assertRange({ from: '2025-01-01', to: '2026-01-02', granularity: 'month' })).not.toThrow();
  });
});

describe('assembling the answer', () => {
  const submitted = (child: string, day: string) => {
    const c = countersOf(event({ action: 'submitted', stage: 'community', stageAfter: 'street' }));
    return { day, child, counters: c };
  };

  it('merges day rows into weeks per child, and winds the backlog back from now to each period’s end', () => {
    const rows = [
      submitted('street:gexin', '2026-11-23'),
      submitted('street:gexin', '2026-11-24'),
      submitted('street:dongfeng', '2026-11-30'),
    ];
    const answer = assembleThroughput({
      query: { from: '2026-11-23', to: '2026-11-29', unit: 'district:xinhua', granularity: 'week' },
      rows,
      backlogNow: new Map([
        ['street:gexin', { street: 2, district: 0, city: 0 }],
        ['street:dongfeng', { street: 1, district: 0, city: 0 }],
      ]),
      unitNames: new Map([['street:gexin', '革新街街道']]),
    });
    expect(answer.totals).toMatchObject({ submitted: 2, backlog: { street: 2, district: 0, city: 0 } });
    // Dongfeng's one submission came after the range: nothing counted, nothing waiting then, no row.
    expect(answer.rows).toEqual([
      expect.objectContaining({
        period: '2026-W48',
        unit: 'street:gexin',
        unitName: '革新街街道',
        submitted: 2,
        backlog: { street: 2, district: 0, city: 0 },
      }),
    ]);
  });

  it('gives every row the backlog at its period’s end: what waited before, plus every change up to then', () => {
    const days = ['2026-11-02', '2026-11-05', '2026-11-09', '2026-11-16', '2026-11-20', '2026-11-30'];
    const change = fc.record({
      street: fc.integer({ min: -3, max: 3 }),
      district: fc.constant(0),
      city: fc.integer({ min: -3, max: 3 }),
    });
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            day: fc.constantFrom(...days),
            child: fc.constantFrom('street:gexin', 'street:dongfeng'),
            change,
          }),
          { maxLength: 12 },
        ),
        (changes) => {
          const rows = changes.map(({ day, child, change }) => {
            const counters = emptyCounters();
            counters.backlogChange = change;
            counters.events.overdue = 1; // something counted, so the row is never empty
            return { day, child, counters };
          });
          const before = 10; // what waited at each stage before the first day, for each child
          const backlogNow = new Map(
            ['street:gexin', 'street:dongfeng'].map((child) => {
              const mine = changes.filter((c) => c.child === child);
              const sum = (stage: 'street' | 'city') => before + mine.reduce((n, c) => n + c.change[stage], 0);
              return [child, { street: sum('street'), district: 0, city: sum('city') }];
            }),
          );
          const answer = assembleThroughput({
            query: { from: '2026-11-02', to: '2026-11-22', unit: 'district:xinhua', granularity: 'week' },
            rows,
            backlogNow,
          });
          for (const row of answer.rows) {
            const end = periodEnd(
              row.period === '2026-W45' ? '2026-11-02' : row.period === '2026-W46' ? '2026-11-09' : '2026-11-16',
              'week',
            );
            const upTo = changes.filter((c) => c.child === row.unit && c.day <= end);
            expect(row.backlog.street).toBe(before + upTo.reduce((n, c) => n + c.change.street, 0));
            expect(row.backlog.city).toBe(before + upTo.reduce((n, c) => n + c.change.city, 0));
          }
          // Each child waits with 10 at each stage whatever happened: every week has a row for both.
          expect(answer.rows).toHaveLength(6);
        },
      ),
    );
  });

  it('writes CSV with a byte-order mark, a header row and the Chinese names intact', () => {
    const answer = assembleThroughput({
      query: { from: '2026-11-23', to: '2026-11-23', unit: 'district:xinhua', granularity: 'day' },
      rows: [submitted('street:gexin', '2026-11-23')],
      backlogNow: new Map([['street:gexin', { street: 1, district: 0, city: 0 }]]),
      unitNames: new Map([['street:gexin', '革新街街道']]),
    });
    const csv = throughputCsv(answer);
    expect(csv.startsWith('\uFEFF期间,单位代码,单位名称,受理,')).toBe(true);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]?.startsWith('2026-11-23,street:gexin,革新街街道,1,0,0,0,0,0,0,1,0,0,0,')).toBe(true);
  });
});
