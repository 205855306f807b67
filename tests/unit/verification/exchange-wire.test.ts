/** The exchange's wire: what a question sends, and what an answer becomes (validated, no clear ID kept). */
import { describe, expect, it } from 'vitest';
import { entityQuerySchema, personQuerySchema } from '../../../functions/verification/domain/exchange-queries.js';
import { parseWireAnswer, sourceOfPath, wireQuestion } from '../../../functions/verification/domain/exchange-wire.js';

const zhangWei = '130102199007070350';
const someoneElse = '130105198005120240';

describe('questions on the wire', () => {
  it('sends only what the source needs', () => {
    expect(
      wireQuestion({ source: 'contributions', idNumber: someoneElse, months: { from: '2026-01', to: '2026-04' } }),
    ).toEqual({ idNumber: someoneElse, months: { from: '2026-01', to: '2026-04' } });
    expect(wireQuestion({ source: 'deaths', idNumber: someoneElse })).toEqual({ idNumber: someoneElse });
    expect(wireQuestion({ source: 'entities', creditCode: '92130102MA0XYW1237' })).toEqual({
      creditCode: '92130102MA0XYW1237',
    });
  });

  it('checks a question as the exchange receives it: ID check digits, credit-code check characters, something to ask by', () => {
    expect(personQuerySchema.safeParse({ idNumber: someoneElse }).success).toBe(true);
    expect(personQuerySchema.safeParse({ idNumber: '130105198005120241' }).success).toBe(false);
    expect(entityQuerySchema.safeParse({ creditCode: '91130100MA0ABCDE10' }).success).toBe(true);
    expect(entityQuerySchema.safeParse({ creditCode: '91130100MA0ABCDE11' }).success).toBe(false);
    expect(entityQuerySchema.safeParse({}).success).toBe(false);
  });

  it('knows the sources by their paths', () => {
    expect(sourceOfPath('/v1/query/grantsElsewhere')).toBe('grantsElsewhere');
    expect(sourceOfPath('/v1/query/constructor')).toBeUndefined();
    expect(sourceOfPath('/v1/query/deaths/extra')).toBeUndefined();
  });
});

describe('answers from the wire', () => {
  const firm = {
    creditCode: '92130102MA0XYW1237',
    name: '张伟早餐店',
    kind: 'individual-business',
    status: 'active',
    legalRepresentativeIdNumber: zhangWei,
  };

  it('answers whether the person asked about is the legal representative, and keeps no clear number', () => {
    const asked = parseWireAnswer(
      { source: 'entities', creditCode: firm.creditCode, legalRepresentativeIdNumber: zhangWei },
      { asOf: '2026-05-20', entities: [firm] },
    );
    const other = parseWireAnswer(
      { source: 'entities', legalRepresentativeIdNumber: someoneElse },
      { asOf: '2026-05-20', entities: [firm] },
    );

    expect(asked).toEqual({
      ok: true,
      answer: {
        source: 'entities',
        asOf: '2026-05-20',
        entities: [
          {
            creditCode: firm.creditCode,
            name: firm.name,
            kind: 'individual-business',
            status: 'active',
            legalRepresentativeIsPerson: true,
          },
        ],
      },
    });
    expect(other.ok && other.answer.entities[0]?.legalRepresentativeIsPerson).toBe(false);
    expect(JSON.stringify([asked, other])).not.toMatch(/1301021990|1301051980/);
  });

  it('drops the legal representative when the question named no person', () => {
    const parsed = parseWireAnswer(
      { source: 'entities', creditCode: firm.creditCode },
      { asOf: '2026-05-20', entities: [firm] },
    );

    expect(parsed.ok && parsed.answer.entities[0]).toEqual({
      creditCode: firm.creditCode,
      name: firm.name,
      kind: 'individual-business',
      status: 'active',
    });
  });

  it('takes each source answer in its own shape, and strips fields it does not know', () => {
    expect(
      parseWireAnswer({ source: 'deaths', idNumber: someoneElse }, { asOf: '2026-05-20', died: { on: '2026-04-02' } }),
    ).toEqual({ ok: true, answer: { source: 'deaths', asOf: '2026-05-20', died: { on: '2026-04-02' } } });
    expect(
      parseWireAnswer({ source: 'pensions', idNumber: someoneElse }, { asOf: '2026-05-20', idNumber: someoneElse }),
    ).toEqual({ ok: true, answer: { source: 'pensions', asOf: '2026-05-20' } });
  });

  it('calls garbage garbage, naming the field and never the value', () => {
    for (const garbage of [null, 'ok', [], { asOf: 'yesterday', periods: [] }, { asOf: '2026-05-20' }]) {
      const parsed = parseWireAnswer({ source: 'imprisonments', idNumber: someoneElse }, garbage);
      expect(parsed.ok, JSON.stringify(garbage)).toBe(false);
    }
    const parsed = parseWireAnswer(
      { source: 'contributions', idNumber: someoneElse },
      { asOf: '2026-05-20', records: [{ month: '2026-13', baseFen: -1, paid: 'yes' }] },
    );
    expect(parsed).toEqual({ ok: false, problem: expect.stringMatching(/^records\.0\.month: /) });
    expect(JSON.stringify(parsed)).not.toContain('2026-13');
  });
});
