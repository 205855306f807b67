import { describe, expect, it } from 'vitest';
import { standingOf } from '../../../functions/employment/domain/evaluation.js';
import { lastDayOf } from '../../../functions/employment/domain/full-employment.js';
import { type LedgerCounters, ledgerCountsOf } from '../../../functions/employment/domain/ledger-counters.js';
import { scorecardOf } from '../../../functions/employment/domain/scorecard.js';
import { defaultFullEmploymentCriteria } from '../../../functions/kernel/domain/policy.js';

/** Month rows as the counters hold them: 10 registered in January, 9 of them in work in February. */
const rows = new Map<string, LedgerCounters>([
  ['2026-01', { registered: 10, unemployedStock: 10, recorded: 10, lag_01: 10, zeroFound: 2 }],
  [
    '2026-02',
    { reemployed: 9, unemployedStock: -9, employedStock: 9, recorded: 9, lag_20: 1, lag_02: 8, zeroResolved: 1 },
  ],
]);

describe('the scorecard', () => {
  it('sums flows over the period and stocks over every month up to its end', () => {
    const january = scorecardOf({
      unit: 'community:gexin-01',
      period: '2026-01',
      today: '2026-11-28',
      rows,
      households: [{ id: 'h1', episodes: [{ from: '2026-01-05', to: '2026-02-10' }] }],
      subsidies: {},
      targetRate: 0.9,
    });
    expect(january).toMatchObject({
      asOf: '2026-01-31',
      registeredUnemployed: 10,
      employed: 0,
      rate: 0,
      meetsTarget: false,
    });
    expect(january.zeroEmployment).toMatchObject({ found: 2, resolved: 0, open: 2 });
    expect(january.zeroEmployment.openFamilies).toEqual([{ householdId: 'h1', since: '2026-01-05', daysOpen: 26 }]);

    const year = scorecardOf({
      unit: 'community:gexin-01',
      period: '2026',
      today: '2026-11-28',
      rows,
      households: [{ id: 'h1', episodes: [{ from: '2026-01-05', to: '2026-02-10' }] }],
      subsidies: { 'post-subsidy': { count: 3, fen: 360_000 } },
      targetRate: 0.9,
    });
    expect(year).toMatchObject({
      asOf: '2026-11-28',
      registeredInPeriod: 10,
      reemployedInPeriod: 9,
      rate: 0.9,
      meetsTarget: true,
    });
    expect(year.zeroEmployment.openFamilies).toEqual([]);
  });

  it('knows the last day of a month and a year', () => {
    expect(lastDayOf('2024-02')).toBe('2024-02-29');
    expect(lastDayOf('2026')).toBe('2026-12-31');
  });
});

describe('the annual evaluation', () => {
  const standing = (households: { id: string; episodes: { from: string; to?: string }[] }[]) =>
    standingOf({
      communityId: 'community:gexin-01',
      year: '2026',
      asOf: '2026-11-28',
      rows,
      households,
      criteria: defaultFullEmploymentCriteria,
    });

  it('gives every criterion with its figures, and fails on a change recorded late', () => {
    const result = standing([{ id: 'h1', episodes: [{ from: '2026-01-05', to: '2026-02-03' }] }]);
    expect(result.criteria).toEqual([
      expect.objectContaining({
        criterion: 'employment-rate',
        passed: true,
        figures: expect.objectContaining({ rate: 0.9 }),
      }),
      expect.objectContaining({
        criterion: 'zero-employment-families',
        passed: true,
        figures: { longestOpenDays: 29, maxOpenDays: 30, familiesOverLimit: [] },
      }),
      expect.objectContaining({
        criterion: 'ledger-timeliness',
        passed: false,
        figures: { recorded: 19, recordedLate: 1, withinDays: 15 },
      }),
    ]);
    expect(result.fullEmployment).toBe(false);
  });

  it('fails a community with a family open longer than the limit, an open one counted to the day of the evaluation', () => {
    const result = standing([{ id: 'h2', episodes: [{ from: '2026-10-01' }] }]);
    expect(result.criteria[1]).toMatchObject({
      passed: false,
      figures: { longestOpenDays: 58, familiesOverLimit: ['h2'] },
    });
  });

  it('does not pass a community whose ledger holds nobody', () => {
    const empty = standingOf({
      communityId: 'community:x',
      year: '2026',
      asOf: '2026-11-28',
      rows: new Map(),
      households: [],
      criteria: defaultFullEmploymentCriteria,
    });
    expect(empty.criteria[0]).toMatchObject({ passed: false, figures: { rate: null } });
    expect(empty.fullEmployment).toBe(false);
  });

  it('reads the counters one event adds the same way', () => {
    const counts = ledgerCountsOf({ action: 'registered', status: 'unemployed', on: '2026-01-03' }, '2026-01-04');
    expect(counts).toEqual({ registered: 1, unemployedStock: 1, recorded: 1, lag_01: 1 });
  });
});
