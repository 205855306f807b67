import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import {
  type EmploymentKind,
  type Household,
  type HouseholdEffect,
  type LedgerStatus,
  ledgerStatuses,
  statusChangeSchema,
} from '../../../functions/employment/domain/employment-ledger.js';
import {
  assertSameHousehold,
  householdAfter,
  isZeroEmployment,
} from '../../../functions/employment/domain/households.js';
import {
  addLedgerCounters,
  type LedgerCounters,
  ledgerCountsOf,
  recordedLaterThan,
} from '../../../functions/employment/domain/ledger-counters.js';
import { approvalEffectiveDate, assertChangeDate } from '../../../functions/employment/domain/status-changes.js';
import { InvalidRequestError } from '../../../functions/kernel/domain/errors.js';

const household = (members: Household['members'] = {}): Household => ({
  id: 'h1',
  cityId: 'city:shijiazhuang',
  communityId: 'community:gexin-01',
  unitPath: ['city:shijiazhuang', 'district:xinhua', 'street:gexin', 'community:gexin-01'],
  members,
  episodes: [],
  version: 0,
});

describe('the zero-employment family rule', () => {
  it('flags a household whose working-age members are all out of work', () => {
    expect(
      isZeroEmployment(
        [
          { status: 'unemployed', workingAgeUntil: '2040-01-01' },
          { status: 'left-labour-force', workingAgeUntil: '2050-01-01' },
        ],
        '2026-03-01',
      ),
    ).toBe(true);
  });

  it('does not flag a household with one member in work', () => {
    expect(
      isZeroEmployment(
        [
          { status: 'unemployed', workingAgeUntil: '2040-01-01' },
          { status: 'employed', workingAgeUntil: '2040-01-01' },
        ],
        '2026-03-01',
      ),
    ).toBe(false);
  });

  it('does not count a member past retirement as out of work', () => {
    expect(isZeroEmployment([{ status: 'unemployed', workingAgeUntil: '2026-01-01' }], '2026-03-01')).toBe(false);
  });

  it('dates the end of a family no earlier than its start', () => {
    const zero = householdAfter(
      household(),
      'a',
      { status: 'unemployed', workingAgeUntil: '2040-01-01' },
      '2026-03-10',
    );
    expect(zero.effect).toBe('became-zero');
    const resolved = householdAfter(
      zero.household,
      'a',
      { status: 'employed', workingAgeUntil: '2040-01-01' },
      '2026-03-05',
    );
    expect(resolved.effect).toBe('resolved');
    expect(resolved.household.episodes).toEqual([{ from: '2026-03-10', to: '2026-03-10' }]);
    expect(resolved.household.zeroSince).toBeUndefined();
  });
});

describe('ledger dates and households', () => {
  const entry = { registeredOn: '2026-02-01', statusSince: '2026-03-01' };

  it('refuses a change before the registration, before the last change, or in the future, naming the field', () => {
    for (const on of ['2026-01-31', '2026-02-15', '2026-12-01']) {
      const refusal = (() => {
        try {
          assertChangeDate(entry, on, '2026-11-28');
        } catch (error) {
          return error;
        }
      })();
      expect(refusal).toBeInstanceOf(InvalidRequestError);
      expect((refusal as InvalidRequestError).fieldErrors[0]?.field).toBe('on');
    }
    expect(() => assertChangeDate(entry, '2026-03-01', '2026-11-28')).not.toThrow();
  });

  it('refuses a household of another city', () => {
    expect(() =>
      assertSameHousehold(
        { cityId: 'city:baoding', communityId: 'community:x' },
        'city:shijiazhuang',
        'community:gexin-01',
      ),
    ).toThrow(/one city/);
  });

  it('asks for the kind of employment exactly when the status is employed', () => {
    const evidence = { kind: 'contract' };
    expect(z.safeParse(statusChangeSchema, { on: '2026-03-01', status: 'employed', evidence }).success).toBe(false);
    expect(
      z.safeParse(statusChangeSchema, { on: '2026-03-01', status: 'unemployed', employment: 'flexible', evidence })
        .success,
    ).toBe(false);
    expect(
      z.safeParse(statusChangeSchema, { on: '2026-03-01', status: 'employed', employment: 'flexible', evidence })
        .success,
    ).toBe(true);
  });

  it('puts an approval in work from the grant start, never after the approval nor before the last change', () => {
    expect(approvalEffectiveDate('2026-03', '2026-04-10', '2026-01-01')).toBe('2026-03-01');
    expect(approvalEffectiveDate('2026-06', '2026-04-10', '2026-01-01')).toBe('2026-04-10');
    expect(approvalEffectiveDate('2026-03', '2026-04-10', '2026-03-20')).toBe('2026-03-20');
  });

  it('counts recording lag in day buckets that any criterion of up to 60 days reads', () => {
    const late = ledgerCountsOf({ action: 'registered', status: 'unemployed', on: '2026-03-01' }, '2026-03-20');
    expect(late).toMatchObject({ registered: 1, recorded: 1, unemployedStock: 1, lag_19: 1 });
    expect(recordedLaterThan(late, 15)).toBe(1);
    expect(recordedLaterThan(late, 19)).toBe(0);
  });
});

// ── model-based: random status changes of a household's members against a plain model ─────

interface Real {
  household: Household;
  counters: LedgerCounters;
  effects: HouseholdEffect[];
  day: number;
}
interface Model {
  members: Map<string, { status: LedgerStatus; workingAgeUntil: string }>;
  zero: boolean;
  found: number;
  resolved: number;
}

const dateOf = (day: number) => new Date(Date.UTC(2026, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
const members = ['a', 'b', 'c'] as const;
/** Member c is past working age from day 40 on. */
const workingAgeUntil = (id: string) => (id === 'c' ? dateOf(40) : '2060-01-01');

/** The model's own reading of the rule, written out member by member. */
function modelIsZero(model: Model, on: string): boolean {
  let anyoneAvailable = false;
  for (const m of model.members.values()) {
    if (m.status === 'employed') return false;
    if (m.status === 'unemployed' && on < m.workingAgeUntil) anyoneAvailable = true;
  }
  return anyoneAvailable;
}

class Change implements fc.Command<Model, Real> {
  constructor(
    readonly member: string,
    readonly status: LedgerStatus,
    readonly employment: EmploymentKind | undefined,
    readonly daysLater: number,
  ) {}
  check(model: Readonly<Model>) {
    const current = model.members.get(this.member);
    return current?.status !== 'moved-away';
  }
  run(model: Model, real: Real) {
    real.day += this.daysLater;
    const on = dateOf(real.day);
    const before = model.members.get(this.member);
    const member = { status: this.status, workingAgeUntil: workingAgeUntil(this.member) };
    const { household, effect } = householdAfter(real.household, this.member, member, on);
    real.household = household;
    if (effect) real.effects.push(effect);
    addLedgerCounters(
      real.counters,
      ledgerCountsOf(
        before
          ? {
              action: 'status-changed',
              statusBefore: before.status,
              status: this.status,
              on,
              ...(effect ? { householdEffect: effect } : {}),
            }
          : { action: 'registered', status: this.status, on, ...(effect ? { householdEffect: effect } : {}) },
        on,
      ),
    );

    model.members.set(this.member, member);
    const zero = modelIsZero(model, on);
    if (zero && !model.zero) model.found++;
    if (!zero && model.zero) model.resolved++;
    model.zero = zero;

    expect(household.zeroSince !== undefined).toBe(model.zero);
    expect(household.episodes).toHaveLength(model.found);
    expect(household.episodes.filter((e) => e.to !== undefined)).toHaveLength(model.resolved);
    for (const e of household.episodes) if (e.to) expect(e.to >= e.from).toBe(true);
    const count = (s: LedgerStatus) => [...model.members.values()].filter((m) => m.status === s).length;
    expect(real.counters.unemployedStock ?? 0).toBe(count('unemployed'));
    expect(real.counters.employedStock ?? 0).toBe(count('employed'));
    expect((real.counters.zeroFound ?? 0) - (real.counters.zeroResolved ?? 0)).toBe(model.zero ? 1 : 0);
    expect(real.counters.zeroFound ?? 0).toBe(model.found);
  }
  toString() {
    return `${this.member} → ${this.status}${this.employment ? ` (${this.employment})` : ''} +${this.daysLater}d`;
  }
}

describe('ledger status changes against the zero-employment-family rule (model-based)', () => {
  it('keeps the household flag, its episodes and the counters equal to what the members say', () => {
    const change = fc
      .record({
        member: fc.constantFrom(...members),
        status: fc.constantFrom(...ledgerStatuses),
        employment: fc.constantFrom<EmploymentKind>('public-welfare-post', 'flexible', 'self-employed', 'enterprise'),
        daysLater: fc.integer({ min: 0, max: 20 }),
      })
      .map(
        ({ member, status, employment, daysLater }) =>
          new Change(member, status, status === 'employed' ? employment : undefined, daysLater),
      );
    fc.assert(
      fc.property(fc.commands([change], { maxCommands: 40 }), (commands) => {
        fc.modelRun(
          () => ({
            model: { members: new Map(), zero: false, found: 0, resolved: 0 },
            real: { household: household(), counters: {}, effects: [], day: 0 },
          }),
          commands,
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe('what counts towards the ledger-timeliness criterion', () => {
  it('judges only what staff recorded, not a change an approval recorded from the grant start', () => {
    const byApproval = ledgerCountsOf(
      {
        action: 'status-changed',
        statusBefore: 'unemployed',
        status: 'employed',
        on: '2026-03-01',
        applicationId: 'a-1',
      },
      '2026-11-28',
    );
    expect(byApproval).toEqual({ reemployed: 1, unemployedStock: -1, employedStock: 1 });
    expect(recordedLaterThan(byApproval, 15)).toBe(0);
  });
});
