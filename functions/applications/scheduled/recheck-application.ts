/**
 * Re-running an open application's checks: when a source that could not answer is back, and when
 * the answers are older than the policy allows before a decision. The clear resident ID is opened
 * from its sealed copy here, used for the questions, and dropped; only the verification function
 * holds the key that opens it.
 */
import { isFinal } from '../../kernel/domain/application-events.js';
import { shanghaiDate } from '../../kernel/domain/dates.js';
import type { CityPolicy } from '../../kernel/domain/policy.js';
import { verificationOf } from '../../kernel/domain/verification-policy.js';
import { logger } from '../../kernel/runtime/logger.js';
import type { TableContext } from '../../kernel/store/table.js';
import {
  ApplicationMovedError,
  checksToRun,
  type DataExchange,
  openSuspicion,
  raiseSuspicion,
  runChecks,
  subjectOf,
  summarise,
} from '../../verification/index.js';
import type { Application } from '../domain/lifecycle.js';
import type { ApplicationRepository } from '../store/applications.js';
import type { VerificationRecords } from '../store/verification-records.js';

export interface ApplicationRecheckDependencies {
  table: TableContext;
  applications: Pick<ApplicationRepository, 'get'>;
  policies: { ofApplication(application: Application): Promise<CityPolicy> };
  verificationRecords: VerificationRecords;
  exchange: DataExchange;
  /** Opens a sealed resident ID (KMS Decrypt, granted to the verification function only). */
  openResidentId: (sealed: string) => Promise<string>;
  now: () => Date;
}

/** `answered`: every check has a usable answer now; `pending`: some still wait; `gone`: nothing to check any more. */
export type RecheckOutcome = 'answered' | 'pending' | 'gone' | 'moved-on';

export async function recheckApplication(
  deps: ApplicationRecheckDependencies,
  applicationId: string,
): Promise<RecheckOutcome> {
  const stored = await deps.applications.get(applicationId);
  if (!stored || isFinal(stored.application.status)) return 'gone';
  const application = stored.application;
  const policy = await deps.policies.ofApplication(application);
  const toRun = checksToRun(verificationOf(policy, application.programme), policy.verification.maxAgeDays);
  if (Object.keys(toRun.checks).length === 0) return 'gone';
  const sealed = await deps.verificationRecords.sealedIdNumberOf(application);
  if (!sealed) {
    // Taken in before IDs were sealed: nothing to ask with. Its checks stay as they were.
    logger.warn('no sealed resident ID to re-check with', { applicationId });
    return 'gone';
  }
  const now = deps.now();
  const idNumber = await deps.openResidentId(sealed);
  const results = await runChecks(
    deps.exchange,
    application.cityId,
    toRun,
    subjectOf(application.programme, idNumber, application.details, shanghaiDate(now)),
  );
  const checkedAt = now.toISOString();
  // After intake nothing is refused any more: a mismatch of either kind goes to an auditor, once
  // (an application that already had a suspicion keeps it, whatever the auditor decided).
  const { refused, suspicious } = summarise(results);
  if (refused.length + suspicious.length > 0 && !application.verification?.suspicion) {
    try {
      await raiseSuspicion(deps.table, {
        application,
        verification: { checkedAt, results },
        suspicion: openSuspicion(application, [...refused, ...suspicious], now),
      });
    } catch (error) {
      if (error instanceof ApplicationMovedError) return 'moved-on';
      throw error;
    }
    return results.some((r) => r.outcome === 'pending') ? 'pending' : 'answered';
  }
  const written = await deps.verificationRecords.recordResults(application, {
    checkedAt,
    results,
    ...(application.verification?.suspicion ? { suspicion: application.verification.suspicion } : {}),
  });
  if (!written) return 'moved-on';
  return results.some((r) => r.outcome === 'pending') ? 'pending' : 'answered';
}
