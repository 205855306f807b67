/**
 * A unit's full-employment scorecard for a month or a year: the ledger's stocks at the period's
 * end, its flows in the period, the zero-employment families, the subsidies granted.
 */
import { csvOf } from '../../kernel/domain/csv.js';
import type { ProgrammeId } from '../../kernel/domain/programmes.js';
import type { Household } from './employment-ledger.js';
import { type GrantedFigures, lastDayOf, monthsOf, rateOf, type Scorecard, sumMonths } from './full-employment.js';
import { daysBetween, type LedgerCounters } from './ledger-counters.js';

/**
 * One unit's scorecard for a period: flows summed over the period's months, stocks over every
 * month up to its end. `households` are the unit's open zero-employment families now (days open
 * are counted to `asOf`).
 */
export function scorecardOf(input: {
  unit: string;
  unitName?: string;
  period: string;
  today: string;
  rows: ReadonlyMap<string, LedgerCounters>;
  /** The unit's households (their zero-employment episodes): the families open at `asOf`, with days open. */
  households: readonly Pick<Household, 'id' | 'episodes'>[];
  subsidies: Partial<Record<ProgrammeId, GrantedFigures>>;
  targetRate: number;
}): Scorecard {
  const { from, to } = monthsOf(input.period);
  const last = lastDayOf(input.period);
  const asOf = last < input.today ? last : input.today;
  const flows = sumMonths(input.rows, from, to);
  const stocks = sumMonths(input.rows, '0000-00', to);
  const registeredUnemployed = stocks.unemployedStock ?? 0;
  const employed = stocks.employedStock ?? 0;
  const rate = rateOf(employed, registeredUnemployed);
  const openFamilies = input.households
    .flatMap((h) =>
      h.episodes
        .filter((e) => e.from <= asOf && (e.to === undefined || e.to > asOf))
        .map((e) => ({ householdId: h.id, since: e.from, daysOpen: daysBetween(e.from, asOf) })),
    )
    .sort((a, b) => b.daysOpen - a.daysOpen);
  return {
    unit: input.unit,
    ...(input.unitName ? { unitName: input.unitName } : {}),
    period: input.period,
    asOf,
    registeredUnemployed,
    employed,
    registeredInPeriod: flows.registered ?? 0,
    reemployedInPeriod: flows.reemployed ?? 0,
    rate,
    targetRate: input.targetRate,
    meetsTarget: rate !== null && rate >= input.targetRate,
    zeroEmployment: {
      found: flows.zeroFound ?? 0,
      resolved: flows.zeroResolved ?? 0,
      open: (stocks.zeroFound ?? 0) - (stocks.zeroResolved ?? 0),
      openFamilies,
    },
    subsidies: input.subsidies,
  };
}

/** The scorecard (and its children) as CSV rows with Chinese headers. */
export function scorecardCsv(card: Scorecard, programmes: readonly ProgrammeId[]): string {
  const header = [
    '期间',
    '单位代码',
    '单位名称',
    '登记失业人员',
    '已就业',
    '本期登记',
    '本期再就业',
    '就业率',
    '目标',
    '达标',
    '零就业家庭新发现',
    '零就业家庭已消除',
    '零就业家庭未消除',
    ...programmes.flatMap((p) => [`补贴笔数 ${p}`, `补贴金额(分) ${p}`]),
  ];
  const line = (c: Scorecard) => [
    c.period,
    c.unit,
    c.unitName ?? '',
    c.registeredUnemployed,
    c.employed,
    c.registeredInPeriod,
    c.reemployedInPeriod,
    c.rate,
    c.targetRate,
    c.meetsTarget ? '是' : '否',
    c.zeroEmployment.found,
    c.zeroEmployment.resolved,
    c.zeroEmployment.open,
    ...programmes.flatMap((p) => [c.subsidies[p]?.count ?? 0, c.subsidies[p]?.fen ?? 0]),
  ];
  return csvOf([header, line(card), ...(card.children ?? []).map(line)]);
}
