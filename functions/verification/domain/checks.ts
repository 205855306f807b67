/**
 * What each check asks and how it judges the answer. A check is about one subject (a person, and
 * the firm and months the application names) and gives `passed`, `mismatch` (the records say
 * otherwise; the policy says whether that refuses or raises a suspicion) or `pending` (no usable
 * answer: the source is down, or its data is older than the policy allows). Never `passed` on a
 * guess. Figures are what a clerk checks the verdict by, in Chinese; they never name another city
 * nor carry a clear ID number.
 */
import { lastMonthOf, monthIndex } from '../../kernel/domain/dates.js';
import type { MismatchOutcome, VerificationCheckId } from '../../kernel/domain/verification-policy.js';
import { type CheckResult, checkNames } from '../../kernel/domain/verification-results.js';
import type { Answer, AnswerOf, Question, SourceName, UnavailableReason } from './sources.js';

export type { CheckOutcome, CheckResult } from '../../kernel/domain/verification-results.js';
export { checkNames } from '../../kernel/domain/verification-results.js';

/** What the checks are about: the application's facts, with the clear ID only in memory. */
export interface CheckSubject {
  programme: string;
  idNumber: string;
  /** The firm named: the employer (post subsidies) or the microloan's business. */
  creditCode?: string;
  /** The months asked for (`YYYY-MM`, inclusive); a microloan's is the month of the check. */
  months: { from: string; to: string };
  /** The day of the check (Asia/Shanghai). */
  today: string;
}

/** The source each check asks. */
export const sourceOfCheck: Record<VerificationCheckId, SourceName> = {
  deceased: 'deaths',
  imprisoned: 'imprisonments',
  'drawing-pension': 'pensions',
  'drawing-unemployment-benefit': 'unemploymentBenefits',
  'public-payroll': 'publicPayroll',
  'other-employer-contributions': 'contributions',
  'contributions-stopped': 'contributions',
  'individual-business-owner': 'entities',
  'firm-deregistered': 'entities',
  'not-legal-representative': 'entities',
  'grant-elsewhere': 'grantsElsewhere',
};

/** The question a check sends; checks sharing a question share its answer (`questionKey`). */
export function questionFor(check: VerificationCheckId, subject: CheckSubject): Question | undefined {
  const source = sourceOfCheck[check];
  switch (check) {
    case 'individual-business-owner':
      return { source: 'entities', legalRepresentativeIdNumber: subject.idNumber };
    case 'firm-deregistered':
      return subject.creditCode ? { source: 'entities', creditCode: subject.creditCode } : undefined;
    case 'not-legal-representative':
      return subject.creditCode
        ? { source: 'entities', creditCode: subject.creditCode, legalRepresentativeIdNumber: subject.idNumber }
        : undefined;
    case 'other-employer-contributions':
    case 'contributions-stopped':
      return { source: 'contributions', idNumber: subject.idNumber, months: subject.months };
    default:
      return { source: source as Exclude<SourceName, 'entities'>, idNumber: subject.idNumber };
  }
}

/** Questions are the same when they ask the same source the same thing. */
export function questionKey(question: Question): string {
  return JSON.stringify(Object.entries(question).sort(([a], [b]) => a.localeCompare(b)));
}

const dayMs = 24 * 60 * 60 * 1000;
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / dayMs);
const monthOf = (date: string) => date.slice(0, 7);
/** Whether a dated period (`to` open-ended) touches any of the months asked for. */
const touches = (period: { from: string; to?: string }, months: CheckSubject['months']) =>
  monthOf(period.from) <= months.to && (period.to === undefined || monthOf(period.to) >= months.from);
const describe = (period: { from: string; to?: string }) => `${period.from} 至 ${period.to ?? '今'}`;

type Judged = { mismatch: boolean; figures: Record<string, string | number> };

/** The judgement of one answer, fresh enough to judge by. */
function judgeAnswer(check: VerificationCheckId, subject: CheckSubject, answer: Answer): Judged {
  const months = subject.months;
  switch (check) {
    case 'deceased': {
      const { died } = answer as AnswerOf<'deaths'>;
      return { mismatch: died !== undefined, figures: died ? { 死亡日期: died.on } : {} };
    }
    case 'imprisoned':
    case 'drawing-unemployment-benefit':
    case 'public-payroll': {
      const { periods } = answer as AnswerOf<'imprisonments'>;
      const hits = periods.filter((p) => touches(p, months));
      return { mismatch: hits.length > 0, figures: hits.length ? { 期间: hits.map(describe).join('；') } : {} };
    }
    case 'drawing-pension': {
      const { from } = answer as AnswerOf<'pensions'>;
      const draws = from !== undefined && from <= months.to;
      return { mismatch: draws, figures: draws ? { 领取起始月份: from } : {} };
    }
    case 'other-employer-contributions': {
      const { records } = answer as AnswerOf<'contributions'>;
      // Flexible employment means paying one's own contributions: any employer paying is a mismatch.
      const others = records.filter(
        (r) =>
          r.paid &&
          r.month >= months.from &&
          r.month <= months.to &&
          r.employerCreditCode !== undefined &&
          (subject.programme === 'social-insurance/flexible-employment' || r.employerCreditCode !== subject.creditCode),
      );
      const employers = [...new Set(others.map((r) => r.employerCreditCode))];
      return {
        mismatch: others.length > 0,
        figures: others.length ? { 缴费单位: employers.join('、'), 月份: others.map((r) => r.month).join('、') } : {},
      };
    }
    case 'contributions-stopped': {
      const { records } = answer as AnswerOf<'contributions'>;
      // Only months the source can know of: up to the month before its as-of date.
      const lastKnown = lastMonthOf(monthOf(answer.asOf), 0);
      const unpaid: string[] = [];
      for (let m = monthIndex(months.from); m <= Math.min(monthIndex(months.to), monthIndex(lastKnown)); m++) {
        const month = lastMonthOf(months.from, m - monthIndex(months.from) + 1);
        if (!records.some((r) => r.month === month && r.paid)) unpaid.push(month);
      }
      return { mismatch: unpaid.length > 0, figures: unpaid.length ? { 未缴费月份: unpaid.join('、') } : {} };
    }
    case 'individual-business-owner': {
      const { entities } = answer as AnswerOf<'entities'>;
      const owned = entities.filter((e) => e.kind === 'individual-business' && e.status === 'active');
      return {
        mismatch: owned.length > 0,
        figures: owned.length ? { 个体工商户: owned.map((e) => `${e.name}（${e.creditCode}）`).join('、') } : {},
      };
    }
    case 'firm-deregistered': {
      const firm = (answer as AnswerOf<'entities'>).entities.find((e) => e.creditCode === subject.creditCode);
      if (!firm)
        return { mismatch: true, figures: { 统一社会信用代码: subject.creditCode ?? '', 登记状态: '查无登记' } };
      const gone = firm.status === 'deregistered';
      return {
        mismatch: gone,
        figures: {
          名称: firm.name,
          登记状态: gone ? '注销' : '存续',
          ...(firm.deregisteredOn ? { 注销日期: firm.deregisteredOn } : {}),
        },
      };
    }
    case 'not-legal-representative': {
      const firm = (answer as AnswerOf<'entities'>).entities.find((e) => e.creditCode === subject.creditCode);
      if (!firm)
        return { mismatch: true, figures: { 统一社会信用代码: subject.creditCode ?? '', 登记状态: '查无登记' } };
      return {
        mismatch: firm.legalRepresentativeIsPerson !== true,
        figures: {
          名称: firm.name,
          法定代表人: firm.legalRepresentativeIsPerson === true ? '申请人本人' : '非申请人',
        },
      };
    }
    case 'grant-elsewhere': {
      // Only that a grant exists elsewhere and which months it covers: never its city, id or amount.
      const { grants } = answer as AnswerOf<'grantsElsewhere'>;
      const overlapping = grants.filter(
        (g) =>
          g.programme === subject.programme && g.start <= months.to && lastMonthOf(g.start, g.months) >= months.from,
      );
      return {
        mismatch: overlapping.length > 0,
        figures: overlapping.length
          ? { 重叠月份: overlapping.map((g) => `${g.start} 起 ${g.months} 个月`).join('；') }
          : {},
      };
    }
  }
}

/**
 * One check's result from its question's answer (or why there was none): stale data and an
 * unavailable source leave it pending.
 */
export function judgeCheck(
  check: VerificationCheckId,
  onMismatch: MismatchOutcome,
  subject: CheckSubject,
  answer: Answer | { unavailable: UnavailableReason } | undefined,
  maxAgeDays: number,
): CheckResult {
  const source = sourceOfCheck[check];
  const base = { check, source, onMismatch, reason: checkNames[check] };
  if (answer === undefined) {
    // The application names no firm to ask about: nothing to check, nothing to hold it on.
    return { ...base, outcome: 'passed', figures: { 说明: '申请未载明市场主体' } };
  }
  if ('unavailable' in answer)
    return { ...base, outcome: 'pending', pendingReason: answer.unavailable, figures: { 说明: '等待数据' } };
  const age = daysBetween(answer.asOf, subject.today);
  if (age > maxAgeDays)
    return {
      ...base,
      outcome: 'pending',
      asOf: answer.asOf,
      pendingReason: 'stale',
      figures: { 数据日期: answer.asOf, 允许天数: maxAgeDays },
    };
  const judged = judgeAnswer(check, subject, answer);
  return { ...base, outcome: judged.mismatch ? 'mismatch' : 'passed', asOf: answer.asOf, figures: judged.figures };
}

/** What a set of results means for the application. */
export interface VerificationSummary {
  /** Mismatches the policy refuses at intake. */
  refused: CheckResult[];
  /** Mismatches the policy sends to an auditor (疑点). */
  suspicious: CheckResult[];
  /** Checks waiting on data: no approval until they pass. */
  pending: CheckResult[];
}

export function summarise(results: readonly CheckResult[]): VerificationSummary {
  return {
    refused: results.filter((r) => r.outcome === 'mismatch' && r.onMismatch === 'refuse'),
    suspicious: results.filter((r) => r.outcome === 'mismatch' && r.onMismatch === 'flag'),
    pending: results.filter((r) => r.outcome === 'pending'),
  };
}

/** Whether results taken at `checkedAt` are too old to decide on today. */
export function checksAreStale(verification: { checkedAt: string }, maxAgeDays: number, now: Date): boolean {
  return now.getTime() - Date.parse(verification.checkedAt) > maxAgeDays * dayMs;
}
