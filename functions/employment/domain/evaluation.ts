/**
 * The annual evaluation: each community of the city judged on every criterion of the city's policy
 * (the employment rate, how long zero-employment families stayed open, how promptly the ledger was
 * kept), computed by the city's roles and approved once by a city approver before it is published.
 */
import type { Actor } from '../../kernel/domain/actor.js';
import { csvOf } from '../../kernel/domain/csv.js';
import { ForbiddenError } from '../../kernel/domain/errors.js';
import type { FullEmploymentCriteria } from '../../kernel/domain/policy.js';
import type { Household } from './employment-ledger.js';
import { type CommunityStanding, type CriterionResult, rateOf, sumMonths } from './full-employment.js';
import { daysBetween, type LedgerCounters, recordedLaterThan } from './ledger-counters.js';

const cityRoles = new Set(['city-approver', 'city-monitor', 'city-admin']);

/** The evaluation is the city's: its approver, monitor or administrator, at the city; answers the city. */
export function evaluatingCity(actor: Actor): string {
  if (!cityRoles.has(actor.role) || !actor.unit.startsWith('city:'))
    throw new ForbiddenError(`the ${actor.role} role at ${actor.unit} does not evaluate communities; the city does`);
  return actor.unit;
}

/** Approving it is the city approver's alone. */
export function assertApprovesEvaluation(actor: Actor): void {
  if (actor.role !== 'city-approver') throw new ForbiddenError('only a city approver approves the evaluation');
}

const percent = (rate: number) => `${Math.round(rate * 1000) / 10} %`;

/**
 * A community's standing for `year`: every criterion of the city's policy, passed or failed, with
 * its figures. `asOf` is the year's last day, or today while the year runs. A family's episode
 * counts where it overlaps the year; an open one runs to `asOf`.
 */
export function standingOf(input: {
  communityId: string;
  communityName?: string;
  year: string;
  asOf: string;
  rows: ReadonlyMap<string, LedgerCounters>;
  households: readonly Pick<Household, 'id' | 'episodes'>[];
  criteria: FullEmploymentCriteria;
}): CommunityStanding {
  const { criteria, year, asOf } = input;
  const stocks = sumMonths(input.rows, '0000-00', `${year}-12`);
  const flows = sumMonths(input.rows, `${year}-01`, `${year}-12`);
  const employed = stocks.employedStock ?? 0;
  const registeredUnemployed = stocks.unemployedStock ?? 0;
  const rate = rateOf(employed, registeredUnemployed);
  const ratePassed = rate !== null && rate >= criteria.targetRate;

  const yearStart = `${year}-01-01`;
  const lengths = input.households.flatMap((h) =>
    h.episodes
      .filter((e) => e.from <= asOf && (e.to ?? asOf) >= yearStart)
      .map((e) => ({ id: h.id, days: daysBetween(e.from, e.to && e.to < asOf ? e.to : asOf) })),
  );
  const longestOpenDays = Math.max(0, ...lengths.map((l) => l.days));
  const over = [...new Set(lengths.filter((l) => l.days > criteria.maxZeroEmploymentOpenDays).map((l) => l.id))];

  const recorded = flows.recorded ?? 0;
  const recordedLate = recordedLaterThan(flows, criteria.ledgerUpdatedWithinDays);

  const criteriaResults: CriterionResult[] = [
    {
      criterion: 'employment-rate',
      passed: ratePassed,
      figures: { rate, targetRate: criteria.targetRate, employed, registeredUnemployed },
      reason:
        rate === null
          ? 'the ledger holds nobody in the labour force: there is nothing to judge the rate on'
          : `${percent(rate)} of the ledger's people in the labour force are in work; the target is ${percent(criteria.targetRate)}`,
    },
    {
      criterion: 'zero-employment-families',
      passed: over.length === 0,
      figures: { longestOpenDays, maxOpenDays: criteria.maxZeroEmploymentOpenDays, familiesOverLimit: over },
      reason:
        over.length === 0
          ? `no zero-employment family stayed open longer than ${criteria.maxZeroEmploymentOpenDays} days (longest ${longestOpenDays})`
          : `${over.length} zero-employment ${over.length === 1 ? 'family' : 'families'} stayed open longer than ${criteria.maxZeroEmploymentOpenDays} days (longest ${longestOpenDays})`,
    },
    {
      criterion: 'ledger-timeliness',
      passed: recordedLate === 0,
      figures: { recorded, recordedLate, withinDays: criteria.ledgerUpdatedWithinDays },
      reason: `${recordedLate} of ${recorded} changes the community recorded in ${year} were recorded more than ${criteria.ledgerUpdatedWithinDays} days after they took effect`,
    },
  ];
  return {
    communityId: input.communityId,
    ...(input.communityName ? { communityName: input.communityName } : {}),
    fullEmployment: criteriaResults.every((c) => c.passed),
    criteria: criteriaResults,
  };
}

/** The published list of full-employment communities as CSV. */
export function fullEmploymentCsv(year: string, standings: readonly CommunityStanding[]): string {
  return csvOf([
    ['年度', '社区代码', '社区名称', '就业率'],
    ...standings
      .filter((s) => s.fullEmployment)
      .map((s) => {
        const rate = s.criteria.find((c) => c.criterion === 'employment-rate');
        return [
          year,
          s.communityId,
          s.communityName ?? '',
          rate?.criterion === 'employment-rate' ? rate.figures.rate : null,
        ];
      }),
  ]);
}
