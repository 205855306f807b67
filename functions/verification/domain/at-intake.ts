/**
 * The checks at intake and in its dry run: the programme's checks run on the body as the clerk
 * typed it (the clear ID is in the request; nothing is opened), judged the same way in both. A
 * refusing mismatch refuses; a suspicious one is raised with the application; a pending check is
 * kept and holds approval until it is re-run (`pending-checks`).
 */

import type { CityPolicy } from '../../kernel/domain/policy.js';
import { verificationOf } from '../../kernel/domain/verification-policy.js';
import { type CheckResult, summarise, type VerificationSummary } from './checks.js';
import { checksToRun, runChecks, subjectOf } from './run-checks.js';
import type { DataExchange } from './sources.js';

export interface IntakeVerification extends VerificationSummary {
  results: CheckResult[];
}

export async function verifyIntake(
  exchange: DataExchange,
  policy: Pick<CityPolicy, 'cityId' | 'verification'>,
  body: { programme: string; idNumber: string; details: Record<string, unknown> },
  today: string,
): Promise<IntakeVerification> {
  const toRun = checksToRun(verificationOf(policy, body.programme), policy.verification.maxAgeDays);
  if (Object.keys(toRun.checks).length === 0) return { results: [], refused: [], suspicious: [], pending: [] };
  const results = await runChecks(
    exchange,
    policy.cityId,
    toRun,
    subjectOf(body.programme, body.idNumber, body.details, today),
  );
  return { results, ...summarise(results) };
}
