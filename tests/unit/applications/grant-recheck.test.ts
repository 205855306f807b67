/** The monthly re-check's rules: from which month a grant is suspended, what stays payable, and what pending means. */
import { describe, expect, it } from 'vitest';
import { payableMonths, paysFor } from '../../../functions/applications/domain/benefit-ledger.js';
import {
  firstMonthNoLongerQualifying,
  monthJustEnded,
  recheckVerdict,
} from '../../../functions/applications/domain/grant-recheck.js';
import type { MonthlyCheckId } from '../../../functions/kernel/domain/verification-policy.js';
import {
  type Answer,
  type CheckResult,
  type DataExchange,
  runChecks,
  SourceUnavailableError,
} from '../../../functions/verification/index.js';

const month = '2026-10';
const grant = { start: '2026-03', months: 12 };
const subject = {
  programme: 'social-insurance/flexible-employment',
  idNumber: '110101198005120026',
  months: { from: month, to: month },
  today: '2026-11-01',
};

/** A test double of the exchange: each source answers from the map, or is unavailable when absent. */
class ExchangeDouble implements DataExchange {
  constructor(private readonly answers: Partial<Record<Answer['source'], Answer>>) {}
  async ask<Q extends Parameters<DataExchange['ask']>[1]>(_cityId: string, question: Q) {
    const answer = this.answers[question.source];
    if (!answer) throw new SourceUnavailableError(question.source, 'unreachable');
    return answer as Extract<Answer, { source: Q['source'] }>;
  }
}

const quiet: Partial<Record<Answer['source'], Answer>> = {
  deaths: { source: 'deaths', asOf: '2026-11-01' },
  imprisonments: { source: 'imprisonments', asOf: '2026-11-01', periods: [] },
  pensions: { source: 'pensions', asOf: '2026-11-01' },
  contributions: {
    source: 'contributions',
    asOf: '2026-11-01',
    records: [{ month, baseFen: 400_000, paid: true }],
  },
};

const monthly: MonthlyCheckId[] = ['deceased', 'imprisoned', 'drawing-pension', 'contributions-stopped'];

/** Runs the four monthly checks against the double, and judges the grant by them. */
async function verdictWith(
  answers: Partial<Record<Answer['source'], Answer>>,
  held = grant as typeof grant & { suspendedFrom?: string },
) {
  const exchange = new ExchangeDouble(answers);
  const received = new Map<string, Answer>();
  const recording: DataExchange = {
    ask: (cityId, question) =>
      exchange.ask(cityId, question).then((answer) => {
        received.set(question.source, answer);
        return answer;
      }),
  };
  const results: CheckResult[] = await runChecks(
    recording,
    'city:shijiazhuang',
    { checks: Object.fromEntries(monthly.map((c) => [c, 'flag'])), maxAgeDays: 31 },
    subject,
  );
  return recheckVerdict(held, month, results, received);
}

describe('the first month a grant no longer qualifies', () => {
  it('is the month of the death, not the month checked', async () => {
    const verdict = await verdictWith({
      ...quiet,
      deaths: { source: 'deaths', asOf: '2026-11-01', died: { on: '2026-08-17' } },
    });

    expect(verdict).toEqual({
      outcome: 'suspend',
      suspendedFrom: '2026-08',
      reason: { check: 'deceased', figures: { 死亡日期: '2026-08-17' } },
    });
  });

  it('is the month the prison term began', async () => {
    const verdict = await verdictWith({
      ...quiet,
      imprisonments: { source: 'imprisonments', asOf: '2026-11-01', periods: [{ from: '2026-09-03' }] },
    });

    expect(verdict).toMatchObject({ outcome: 'suspend', suspendedFrom: '2026-09', reason: { check: 'imprisoned' } });
  });

  it("is the pension's first month", async () => {
    const verdict = await verdictWith({
      ...quiet,
      pensions: { source: 'pensions', asOf: '2026-11-01', from: '2026-07' },
    });

    expect(verdict).toMatchObject({
      outcome: 'suspend',
      suspendedFrom: '2026-07',
      reason: { check: 'drawing-pension' },
    });
  });

  it('is the first month whose contributions were not paid', async () => {
    const verdict = await verdictWith({
      ...quiet,
      contributions: {
        source: 'contributions',
        asOf: '2026-11-01',
        records: [{ month, baseFen: 400_000, paid: false }],
      },
    });

    expect(verdict).toMatchObject({
      outcome: 'suspend',
      suspendedFrom: month,
      reason: { check: 'contributions-stopped' },
    });
    expect(
      firstMonthNoLongerQualifying(
        'contributions-stopped',
        { source: 'contributions', asOf: '2026-11-01', records: [{ month: '2026-08', baseFen: 1, paid: true }] },
        { from: '2026-08', to: '2026-10' },
      ),
    ).toBe('2026-09');
  });

  it('is the earliest of several, with its check as the reason', async () => {
    const verdict = await verdictWith({
      ...quiet,
      deaths: { source: 'deaths', asOf: '2026-11-01', died: { on: '2026-10-02' } },
      pensions: { source: 'pensions', asOf: '2026-11-01', from: '2026-06' },
    });

    expect(verdict).toMatchObject({
      outcome: 'suspend',
      suspendedFrom: '2026-06',
      reason: { check: 'drawing-pension' },
    });
  });

  it('is never before the grant began', async () => {
    const verdict = await verdictWith({
      ...quiet,
      pensions: { source: 'pensions', asOf: '2026-11-01', from: '2025-01' },
    });

    expect(verdict).toMatchObject({ outcome: 'suspend', suspendedFrom: grant.start });
  });

  it('leaves a grant already suspended from that month or earlier as it is', async () => {
    const died = { ...quiet, deaths: { source: 'deaths', asOf: '2026-11-01', died: { on: '2026-08-17' } } } as const;

    expect(await verdictWith(died, { ...grant, suspendedFrom: '2026-08' })).toEqual({
      outcome: 'already-suspended',
      suspendedFrom: '2026-08',
    });
    expect(await verdictWith(died, { ...grant, suspendedFrom: '2026-09' })).toMatchObject({
      outcome: 'suspend',
      suspendedFrom: '2026-08',
    });
  });
});

describe('pending checks', () => {
  it('suspend nothing when a source cannot answer', async () => {
    const { deaths: _down, ...rest } = quiet;

    expect(await verdictWith(rest)).toEqual({ outcome: 'pending', pending: ['deceased'] });
    expect(await verdictWith({})).toEqual({ outcome: 'pending', pending: monthly });
  });

  it('still let a mismatch beside them suspend', async () => {
    const { contributions: _down, ...rest } = quiet;
    const verdict = await verdictWith({
      ...rest,
      deaths: { source: 'deaths', asOf: '2026-11-01', died: { on: '2026-09-30' } },
    });

    expect(verdict).toMatchObject({ outcome: 'suspend', suspendedFrom: '2026-09' });
  });

  it('pass when every source answers and nothing is wrong', async () => {
    expect(await verdictWith(quiet)).toEqual({ outcome: 'passed' });
  });
});

describe('payable months', () => {
  it('are the whole period while the grant is not suspended', () => {
    expect(payableMonths({ start: '2026-11', months: 3 })).toEqual(['2026-11', '2026-12', '2027-01']);
  });

  it('stop before the month it was suspended from', () => {
    const suspended = { ...grant, suspendedFrom: '2026-08' };

    expect(payableMonths(suspended)).toEqual(['2026-03', '2026-04', '2026-05', '2026-06', '2026-07']);
    expect(paysFor(suspended, '2026-07')).toBe(true);
    expect(paysFor(suspended, '2026-08')).toBe(false);
    expect(paysFor(suspended, '2027-02')).toBe(false);
  });

  it('are none when suspended from its start', () => {
    expect(payableMonths({ ...grant, suspendedFrom: grant.start })).toEqual([]);
  });
});

describe('the month a run checks', () => {
  it('is the month just ended in Shanghai', () => {
    // 1 December 02:00 in Shanghai is still 30 November in UTC.
    expect(monthJustEnded(new Date('2026-11-30T18:00:00Z'))).toBe('2026-11');
    expect(monthJustEnded(new Date('2026-01-15T00:00:00Z'))).toBe('2025-12');
  });
});
