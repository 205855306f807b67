/**
 * Running a programme's checks for one subject: each distinct question asked once (checks that
 * share a question share its answer), all at once, and every check judged. A source that cannot
 * answer leaves its checks pending; nothing here refuses or raises anything (the callers decide
 * what the summary means where they are: intake, the dry run, before approval, the monthly run).
 */
import { lastMonthOf } from '../../kernel/domain/dates.js';
import type { ProgrammeVerification, VerificationCheckId } from '../../kernel/domain/verification-policy.js';
import { type CheckResult, type CheckSubject, judgeCheck, questionFor, questionKey } from './checks.js';
import { type Answer, type DataExchange, SourceUnavailableError, type UnavailableReason } from './sources.js';

/** The subject of an application's checks, from what intake holds: the firm it names and the months it asks for. */
export function subjectOf(
  programme: string,
  idNumber: string,
  details: Record<string, unknown>,
  today: string,
): CheckSubject {
  const employer = details.employer as { creditCode?: string } | undefined;
  const business = details.business as { licenceNo?: string } | undefined;
  const period = details.period as { start: string; months: number } | undefined;
  const creditCode = employer?.creditCode ?? business?.licenceNo;
  const thisMonth = today.slice(0, 7);
  return {
    programme,
    idNumber,
    ...(creditCode ? { creditCode } : {}),
    months: period
      ? { from: period.start, to: lastMonthOf(period.start, period.months) }
      : { from: thisMonth, to: thisMonth },
    today,
  };
}

export interface ChecksToRun {
  /** Each check with what its mismatch does. */
  checks: Partial<Record<VerificationCheckId, 'refuse' | 'flag'>>;
  maxAgeDays: number;
}

/** The checks of a programme's verification, with the section's age limit unless it has its own. */
export function checksToRun(programme: ProgrammeVerification, sectionMaxAgeDays: number): ChecksToRun {
  return { checks: programme.checks, maxAgeDays: programme.maxAgeDays ?? sectionMaxAgeDays };
}

export async function runChecks(
  exchange: DataExchange,
  cityId: string,
  toRun: ChecksToRun,
  subject: CheckSubject,
): Promise<CheckResult[]> {
  const checks = Object.entries(toRun.checks) as [VerificationCheckId, 'refuse' | 'flag'][];
  const asked = new Map<string, Promise<Answer | { unavailable: UnavailableReason }>>();
  const answerTo = (check: VerificationCheckId) => {
    const question = questionFor(check, subject);
    if (!question) return Promise.resolve(undefined);
    const key = questionKey(question);
    let answer = asked.get(key);
    if (!answer) {
      answer = exchange.ask(cityId, question).then(
        (a): Answer => a,
        (error: unknown) => {
          if (error instanceof SourceUnavailableError) return { unavailable: error.reason };
          throw error;
        },
      );
      asked.set(key, answer);
    }
    return answer;
  };
  return Promise.all(
    checks.map(async ([check, onMismatch]) =>
      judgeCheck(check, onMismatch, subject, await answerTo(check), toRun.maxAgeDays),
    ),
  );
}
