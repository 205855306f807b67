/** Each check's judgement of its source's answer, and what stale or missing answers make of it. */
import { describe, expect, it } from 'vitest';
import type { VerificationCheckId } from '../../../functions/kernel/domain/verification-policy.js';
import { type CheckSubject, judgeCheck, questionFor } from '../../../functions/verification/domain/checks.js';
import { runChecks } from '../../../functions/verification/domain/run-checks.js';
import type { Answer } from '../../../functions/verification/domain/sources.js';
import { exchangeDouble } from '../../../tools/support/exchange-double.js';

const subject: CheckSubject = {
  programme: 'social-insurance/public-welfare-post',
  idNumber: '130105197003010115',
  creditCode: '91130100MA0ABCDE10',
  months: { from: '2026-02', to: '2026-07' },
  today: '2026-11-28',
};
const judge = (check: VerificationCheckId, answer: Answer, over: Partial<CheckSubject> = {}) =>
  judgeCheck(check, 'flag', { ...subject, ...over }, answer, 31);
const asOf = '2026-11-27';

describe('checks', () => {
  it('finds a death, and passes a person with none', () => {
    expect(judge('deceased', { source: 'deaths', asOf, died: { on: '2026-03-04' } })).toMatchObject({
      outcome: 'mismatch',
      figures: { 死亡日期: '2026-03-04' },
    });
    expect(judge('deceased', { source: 'deaths', asOf }).outcome).toBe('passed');
  });

  it('counts a period only when it touches the months asked for', () => {
    const periods = (from: string, to?: string): Answer => ({
      source: 'imprisonments',
      asOf,
      periods: [to ? { from, to } : { from }],
    });
    expect(judge('imprisoned', periods('2025-01-01', '2026-01-31')).outcome).toBe('passed');
    expect(judge('imprisoned', periods('2025-01-01', '2026-02-01')).outcome).toBe('mismatch');
    expect(judge('imprisoned', periods('2026-08-01')).outcome).toBe('passed');
    expect(judge('imprisoned', periods('2026-07-31')).outcome).toBe('mismatch');
  });

  it('finds a pension begun before the last month asked for', () => {
    expect(judge('drawing-pension', { source: 'pensions', asOf, from: '2026-07' }).outcome).toBe('mismatch');
    expect(judge('drawing-pension', { source: 'pensions', asOf, from: '2026-08' }).outcome).toBe('passed');
  });

  it('finds contributions paid by another employer; for flexible employment, by any employer', () => {
    const answer: Answer = {
      source: 'contributions',
      asOf,
      records: [
        { month: '2026-03', employerCreditCode: '91130100MA0ABCDE10', baseFen: 400000, paid: true },
        { month: '2026-04', employerCreditCode: '91130100MA0OTHER01', baseFen: 400000, paid: true },
        { month: '2026-05', baseFen: 400000, paid: true },
      ],
    };
    expect(judge('other-employer-contributions', answer)).toMatchObject({
      outcome: 'mismatch',
      figures: { 缴费单位: '91130100MA0OTHER01', 月份: '2026-04' },
    });
    expect(
      judge('other-employer-contributions', answer, { programme: 'social-insurance/flexible-employment' }).figures,
    ).toEqual({ 缴费单位: '91130100MA0ABCDE10、91130100MA0OTHER01', 月份: '2026-03、2026-04' });
  });

  it('names the months whose contributions were not paid, only those the source can know of', () => {
    const answer: Answer = {
      source: 'contributions',
      asOf: '2026-06-10',
      records: [
        { month: '2026-02', baseFen: 1, paid: true },
        { month: '2026-03', baseFen: 1, paid: false },
        { month: '2026-04', baseFen: 1, paid: true },
      ],
    };
    // 2026-05 is the month before the as-of date: known, and unpaid; June and July are not known yet.
    expect(judge('contributions-stopped', answer, { today: '2026-06-11' }).figures).toEqual({
      未缴费月份: '2026-03、2026-05',
    });
  });

  it('judges a firm: deregistered, unknown, or its legal representative not the applicant', () => {
    const firm = {
      creditCode: subject.creditCode as string,
      name: '某公司',
      kind: 'enterprise' as const,
      status: 'active' as const,
    };
    expect(judge('firm-deregistered', { source: 'entities', asOf, entities: [firm] }).outcome).toBe('passed');
    expect(
      judge('firm-deregistered', {
        source: 'entities',
        asOf,
        entities: [{ ...firm, status: 'deregistered', deregisteredOn: '2026-01-05' }],
      }),
    ).toMatchObject({ outcome: 'mismatch', figures: { 注销日期: '2026-01-05' } });
    expect(judge('firm-deregistered', { source: 'entities', asOf, entities: [] }).figures.登记状态).toBe('查无登记');
    expect(
      judge('not-legal-representative', {
        source: 'entities',
        asOf,
        entities: [{ ...firm, legalRepresentativeIsPerson: false }],
      }).outcome,
    ).toBe('mismatch');
  });

  it('says a grant elsewhere overlaps, never which city', () => {
    const result = judge('grant-elsewhere', {
      source: 'grantsElsewhere',
      asOf,
      grants: [
        { cityId: 'city:baoding', programme: 'social-insurance/public-welfare-post', start: '2026-06', months: 12 },
      ],
    });
    expect(result.outcome).toBe('mismatch');
    expect(JSON.stringify(result)).not.toContain('baoding');
  });

  it('waits, never passes, on data older than allowed or a source that cannot answer', () => {
    expect(judgeCheck('deceased', 'refuse', subject, { source: 'deaths', asOf: '2026-10-28' }, 31)).toMatchObject({
      outcome: 'passed',
    });
    expect(judgeCheck('deceased', 'refuse', subject, { source: 'deaths', asOf: '2026-10-27' }, 31)).toMatchObject({
      outcome: 'pending',
      pendingReason: 'stale',
    });
    expect(judgeCheck('deceased', 'refuse', subject, { unavailable: 'circuit-open' }, 31)).toMatchObject({
      outcome: 'pending',
      pendingReason: 'circuit-open',
    });
  });

  it('asks a question once for the checks that share it', async () => {
    const exchange = exchangeDouble({}, asOf);
    const results = await runChecks(
      exchange,
      'city:shijiazhuang',
      {
        checks: { 'other-employer-contributions': 'flag', 'contributions-stopped': 'flag', deceased: 'refuse' },
        maxAgeDays: 31,
      },
      subject,
    );
    expect(results).toHaveLength(3);
    expect(exchange.asked.map((q) => q.source).sort()).toEqual(['contributions', 'deaths']);
  });

  it('asks nothing about a firm the application does not name', () => {
    expect(questionFor('firm-deregistered', { ...subject, creditCode: undefined } as CheckSubject)).toBeUndefined();
  });
});
