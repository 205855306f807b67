/** The benefit ledger's rules: overlap detection, lifetime caps and exclusions, as properties over generated grants. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkGrant,
  exclusionsOf,
  finalApprovalVerdict,
  type Grant,
  type ProposedGrant,
  periodsOverlap,
} from '../../../functions/applications/domain/benefit-ledger.js';
import { lastMonthOf, monthIndex } from '../../../functions/kernel/domain/dates.js';
import { policyInForce } from '../../../functions/kernel/domain/policies/index.js';
import type { CityPolicy } from '../../../functions/kernel/domain/policy.js';
import { type ProgrammeId, programmeIds } from '../../../functions/kernel/domain/programmes.js';

const monthOf = (index: number) =>
  `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
const month = fc.integer({ min: 2000 * 12, max: 2060 * 12 }).map(monthOf);
const period = fc.record({ start: month, months: fc.integer({ min: 1, max: 120 }) });
const programme = fc.constantFrom(...programmeIds);
let ids = 0;
const grant = fc
  .record({ programme, start: month, months: fc.integer({ min: 1, max: 60 }), grantedFen: fc.nat() })
  .map((g): Grant => ({ ...g, applicationId: `app-${++ids}` }));

/** The months a period covers, one by one: the slow, obviously right answer. */
const monthsOf = (p: { start: string; months: number }) =>
  Array.from({ length: p.months }, (_, i) => monthIndex(p.start) + i);

const proposal = (g: Omit<Grant, 'applicationId' | 'grantedFen'>, maxMonthsLifetime = 1000): ProposedGrant => ({
  ...g,
  applicationId: 'new',
  grantedFen: 0,
  maxMonthsLifetime,
});

describe('months and periods', () => {
  it('reads a month back as it was written, and finds a period’s last month', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 9999 * 12 + 11 }), (i) => monthIndex(monthOf(i)) === i));
    expect(lastMonthOf('2026-04', 12)).toBe('2027-03');
    expect(lastMonthOf('2026-12', 1)).toBe('2026-12');
    expect(() => monthIndex('2026-13')).toThrow(RangeError);
  });

  it('finds an overlap exactly when the two periods share a month', () => {
    fc.assert(
      fc.property(period, period, (a, b) => {
        const shared = monthsOf(a).some((m) => monthsOf(b).includes(m));
        expect(periodsOverlap(a, b)).toBe(shared);
        expect(periodsOverlap(b, a)).toBe(shared);
      }),
    );
  });

  it('sees periods that only touch end to start as not overlapping', () => {
    fc.assert(
      fc.property(
        period,
        fc.integer({ min: 1, max: 60 }),
        (a, months) => !periodsOverlap(a, { start: monthOf(monthIndex(a.start) + a.months), months }),
      ),
    );
  });
});

describe('checkGrant', () => {
  it('refuses a period of the same programme that overlaps a grant, naming that grant, and only then', () => {
    fc.assert(
      fc.property(fc.array(grant, { maxLength: 6 }), programme, period, (existing, p, asked) => {
        const verdict = checkGrant(existing, proposal({ programme: p, ...asked }), []);
        const expected = existing.filter(
          (g) => g.programme === p && monthsOf(g).some((m) => monthsOf(asked).includes(m)),
        );
        const found = verdict.violations.flatMap((v) => (v.rule === 'overlapping-period' ? [v.conflictingGrant] : []));
        expect(found).toEqual(expected);
      }),
    );
  });

  it('holds the months of one programme, the new grant included, within the lifetime cap', () => {
    fc.assert(
      fc.property(
        fc.array(grant, { maxLength: 6 }),
        programme,
        period,
        fc.integer({ min: 1, max: 400 }),
        (existing, p, asked, cap) => {
          const verdict = checkGrant(existing, proposal({ programme: p, ...asked }, cap), []);
          const already = existing.filter((g) => g.programme === p).reduce((sum, g) => sum + g.months, 0);
          const capViolation = verdict.violations.find((v) => v.rule === 'lifetime-cap');
          expect(capViolation !== undefined).toBe(already + asked.months > cap);
          if (capViolation)
            expect(capViolation).toMatchObject({
              monthsAlreadyGranted: already,
              monthsAsked: asked.months,
              maxMonthsLifetime: cap,
            });
        },
      ),
    );
  });

  it('allows exactly the cap, and refuses one month more', () => {
    const earlier: Grant = {
      programme: 'post-subsidy',
      start: '2020-01',
      months: 30,
      applicationId: 'a',
      grantedFen: 1,
    };
    expect(
      checkGrant([earlier], proposal({ programme: 'post-subsidy', start: '2024-01', months: 6 }, 36), []).allowed,
    ).toBe(true);
    const verdict = checkGrant([earlier], proposal({ programme: 'post-subsidy', start: '2024-01', months: 7 }, 36), []);
    expect(verdict.violations.map((v) => v.rule)).toEqual(['lifetime-cap']);
  });

  it('refuses overlapping months of an excluded programme, and ignores programmes not excluded', () => {
    fc.assert(
      fc.property(
        fc.array(grant, { maxLength: 6 }),
        programme,
        period,
        fc.subarray([...programmeIds]),
        (existing, p, asked, excluded) => {
          const verdict = checkGrant(existing, proposal({ programme: p, ...asked }), excluded);
          const expected = existing.filter(
            (g) => g.programme !== p && excluded.includes(g.programme) && periodsOverlap(g, asked),
          );
          const found = verdict.violations.flatMap((v) =>
            v.rule === 'excluded-programme' ? [v.conflictingGrant] : [],
          );
          expect(found).toEqual(expected);
        },
      ),
    );
  });

  it('allows exactly when nothing is violated, and never holds an application’s own grant against it', () => {
    fc.assert(
      fc.property(fc.array(grant, { maxLength: 6 }), programme, period, (existing, p, asked) => {
        const proposed = proposal({ programme: p, ...asked }, 36);
        const verdict = checkGrant(existing, proposed, [...programmeIds]);
        expect(verdict.allowed).toBe(verdict.violations.length === 0);
        const replayed = checkGrant([{ ...proposed }], proposed, [...programmeIds]);
        expect(replayed.allowed).toBe(asked.months <= 36);
      }),
    );
  });
});

describe('exclusionsOf', () => {
  it('makes an exclusion mutual whichever programme declares it', () => {
    const declared: Partial<Record<ProgrammeId, ProgrammeId[]>> = { 'post-subsidy': ['microloan-guarantee'] };
    const of = (p: ProgrammeId) => declared[p] ?? [];
    expect(exclusionsOf('post-subsidy', of, programmeIds)).toEqual(['microloan-guarantee']);
    expect(exclusionsOf('microloan-guarantee', of, programmeIds)).toEqual(['post-subsidy']);
    expect(exclusionsOf('social-insurance/flexible-employment', of, programmeIds)).toEqual([]);
  });
});

describe('finalApprovalVerdict under the demo policy', () => {
  const policy = policyInForce('city:shijiazhuang', '2026-11-28') as CityPolicy;
  const flexible: Grant = {
    programme: 'social-insurance/flexible-employment',
    start: '2026-04',
    months: 12,
    applicationId: 'flex',
    grantedFen: 1,
  };
  const entitlement = { start: '2026-02', months: 6, grantedFen: 672_000, maxMonthsLifetime: 36 };

  it('records the entitlement as the grant, and applies the exclusion the policy declares on the other programme', () => {
    const verdict = finalApprovalVerdict(
      { id: 'post', programme: 'social-insurance/public-welfare-post', entitlement },
      [flexible],
      policy,
    );
    expect(verdict.grant).toEqual({
      programme: 'social-insurance/public-welfare-post',
      start: '2026-02',
      months: 6,
      applicationId: 'post',
      grantedFen: 672_000,
    });
    expect(verdict.violations).toEqual([
      expect.objectContaining({ rule: 'excluded-programme', conflictingGrant: flexible }),
    ]);
    // Declared on public-welfare-post only, yet flexible-employment is held to it as well.
    const post: Grant = { ...flexible, programme: 'social-insurance/public-welfare-post', applicationId: 'post' };
    const reverse = finalApprovalVerdict(
      { id: 'flex', programme: 'social-insurance/flexible-employment', entitlement },
      [post],
      policy,
    );
    expect(reverse.violations.map((v) => v.rule)).toEqual(['excluded-programme']);
  });

  it('lets an application without an entitlement through, recording no grant', () => {
    expect(finalApprovalVerdict({ id: 'old', programme: 'post-subsidy' }, [flexible], policy)).toEqual({
      allowed: true,
      violations: [],
    });
  });
  it("refuses a period another city's grant of the programme overlaps, saying only that one exists: no id, city, amount or months", () => {
    const application = { id: 'flex-b', programme: 'social-insurance/flexible-employment' as const, entitlement };

    const overlapped = finalApprovalVerdict(application, [], policy, [{ start: '2026-07', months: 3 }]);
    const touching = finalApprovalVerdict(application, [], policy, [{ start: '2026-08', months: 3 }]);

    expect(overlapped.allowed).toBe(false);
    expect(overlapped.violations).toEqual([{ rule: 'held-elsewhere', message: expect.any(String) }]);
    // Nothing of the other grant is in the refusal: not its months, not an application id.
    expect(JSON.stringify(overlapped.violations)).not.toMatch(/2026-0[789]|months":|applicationId|fen/i);
    expect(touching).toMatchObject({ allowed: true, violations: [] });
  });
});
