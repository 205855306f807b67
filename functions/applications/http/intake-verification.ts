/**
 * Intake's checks against other offices' records, where intake and its dry run meet them: a
 * refusing mismatch refuses the request (422, nothing recorded), the rest is kept on the
 * application. The clear resident ID is the request's, used for the questions and dropped.
 */
import type { Actor } from '../../kernel/domain/actor.js';
import { shanghaiDate } from '../../kernel/domain/dates.js';
import type { CityPolicy } from '../../kernel/domain/policy.js';
import type { Submission } from '../../kernel/domain/programmes.js';
import { readAuditEntry } from '../../kernel/domain/read-audit.js';
import { recordReads } from '../../kernel/http/record-reads.js';
import {
  type ApplicationVerification,
  type CheckResult,
  openSuspicion,
  type Suspicion,
  summarise,
  VerificationRefusedError,
  verifyIntake,
} from '../../verification/index.js';
import type { Application } from '../domain/lifecycle.js';
import type { DataExchangeDependency, ReadAuditDependency } from './dependencies.js';

/**
 * The checks' results for a body, or the refusal. The questions asked of other offices about the
 * applicant are written to the read audit first (who asked, for which application, which sources),
 * refused or not: an audit that cannot be written refuses the intake (503), as a read would be.
 */
export async function checkedAtIntake(
  deps: DataExchangeDependency & ReadAuditDependency,
  policy: CityPolicy,
  submission: Submission,
  asked: { actor: Actor; application: Pick<Application, 'id' | 'unitPath'> },
  now: Date,
): Promise<CheckResult[]> {
  const verification = await verifyIntake(
    deps.dataExchange,
    policy,
    { programme: submission.programme, idNumber: submission.applicant.idNumber, details: submission.details },
    shanghaiDate(now),
  );
  const sources = [...new Set(verification.results.map((r) => r.source))];
  if (sources.length > 0)
    await recordReads(deps.readAudit, [
      readAuditEntry(asked.actor, asked.application, 'verification', sources, now, policy),
    ]);
  if (verification.refused.length > 0)
    throw new VerificationRefusedError(verification.refused, verification.results, submission);
  return verification.results;
}

/**
 * What the application keeps of intake's checks (none when the programme asks for none), and the
 * suspicion its mismatches raise, stored with it (so no application is ever stored flagged without
 * its suspicion in the auditors' queue, nor the other way round).
 */
export async function verifiedAtIntake(
  deps: DataExchangeDependency & ReadAuditDependency,
  policy: CityPolicy,
  submission: Submission,
  application: Application,
  actor: Actor,
  now: Date,
): Promise<{ verification?: ApplicationVerification; suspicion?: Suspicion }> {
  const results = await checkedAtIntake(deps, policy, submission, { actor, application }, now);
  if (results.length === 0) return {};
  const { suspicious } = summarise(results);
  const at = now.toISOString();
  if (suspicious.length === 0) return { verification: { checkedAt: at, results } };
  const suspicion = openSuspicion(application, suspicious, now);
  return { verification: { checkedAt: at, results, suspicion: { id: suspicion.id, status: 'open' } }, suspicion };
}
