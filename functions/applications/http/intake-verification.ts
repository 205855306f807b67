/**
 * Intake's checks against other offices' records, where intake and its dry run meet them: a
 * refusing mismatch refuses the request (422, nothing recorded), the rest is kept on the
 * application. The clear resident ID is the request's, used for the questions and dropped.
 */
import { shanghaiDate } from '../../kernel/domain/dates.js';
import type { CityPolicy } from '../../kernel/domain/policy.js';
import type { Submission } from '../../kernel/domain/programmes.js';
import {
  type ApplicationVerification,
  type CheckResult,
  VerificationRefusedError,
  verifyIntake,
} from '../../verification/index.js';
import type { DataExchangeDependency } from './dependencies.js';

/** The checks' results for a body, or the refusal; nothing is recorded here. */
export async function checkedAtIntake(
  deps: DataExchangeDependency,
  policy: CityPolicy,
  submission: Submission,
  now: Date,
): Promise<CheckResult[]> {
  const verification = await verifyIntake(
    deps.dataExchange,
    policy,
    { programme: submission.programme, idNumber: submission.applicant.idNumber, details: submission.details },
    shanghaiDate(now),
  );
  if (verification.refused.length > 0)
    throw new VerificationRefusedError(verification.refused, verification.results, submission);
  return verification.results;
}

/** What the application keeps of intake's checks (none when the programme asks for none). */
export async function verifiedAtIntake(
  deps: DataExchangeDependency,
  policy: CityPolicy,
  submission: Submission,
  now: Date,
): Promise<ApplicationVerification | undefined> {
  const results = await checkedAtIntake(deps, policy, submission, now);
  return results.length > 0 ? { checkedAt: now.toISOString(), results } : undefined;
}
