/**
 * One run of the monthly re-check of a city's active grants (the rules: `domain/grant-recheck.ts`).
 *
 * 1. Take the run under a lease (one invocation works it at a time; a crashed one's lease runs out).
 * 2. Read a page of the grants that pay for the month (`active-grants` index), from where the run
 *    stopped, and the sealed resident IDs of their holders (one batch read).
 * 3. Re-check the page's grants, a few at once: open the ID (KMS Decrypt, in memory only), ask the
 *    sources about the month with the programme's `monthly` checks under the grant's policy version.
 * 4. A grant that no longer qualifies is suspended in one transaction with its history event, the
 *    run's record of it and the inbox notices; conditional, so a page worked twice suspends once.
 * 5. Record the page (cursor and counts, conditionally on the lease and the page), and go on while
 *    the invocation has time; the last page finishes the run.
 */
import { randomUUID } from 'node:crypto';
import type { PolicyRepository } from '../../administration/index.js';
import type { OpenResidentId } from '../../kernel/adapters/resident-id-opener.js';
import { shanghaiDate } from '../../kernel/domain/dates.js';
import type { CityPolicy } from '../../kernel/domain/policy.js';
import { verificationOf } from '../../kernel/domain/verification-policy.js';
import { logger } from '../../kernel/runtime/logger.js';
import type { TableContext } from '../../kernel/store/table.js';
import {
  type Answer,
  checkNames,
  checksToRun,
  type DataExchange,
  runChecks,
  type SourceName,
} from '../../verification/index.js';
import { grantedBy, recheckVerdict, suspensionTransition } from '../domain/grant-recheck.js';
import { activeGrantsPage, type ListedGrant, suspensionUpdate } from '../store/active-grants.js';
import { type ApplicationRepository, StaleWriteError } from '../store/applications.js';
import { noticeIdOf, noticePut, recipientOfCommunity, recipientOfPerson } from '../store/notices.js';
import { sealedIdentities } from '../store/person-identity.js';
import type { PageCounts, RecheckRun, RecheckRunRepository } from '../store/recheck-runs.js';
import type { RecheckSuspensions } from '../store/recheck-suspensions.js';

export interface RecheckDependencies {
  table: TableContext;
  applications: Pick<ApplicationRepository, 'get' | 'commit' | 'personLedger'>;
  runs: RecheckRunRepository;
  suspensions: RecheckSuspensions;
  policies: Pick<PolicyRepository, 'version'>;
  exchange: DataExchange;
  openResidentId: OpenResidentId;
  now: () => Date;
  newLeaseOwner?: () => string;
  /** Grants read per page (one index query, one batch read of IDs, one progress write). */
  pageSize?: number;
  /** Grants re-checked at once: each holds a KMS call and a few exchange queries in flight. */
  concurrency?: number;
}

/** How long a run is held without progress before another invocation may take it over. */
const leaseMs = 5 * 60 * 1000;
/** Stop taking pages when less than this is left of the invocation: a page must finish inside it. */
const stopMarginMs = 60 * 1000;

type GrantOutcome = 'passed' | 'suspended' | 'unchanged' | { pending: number };

/** Runs `work` over `items`, at most `limit` at once. */
async function eachAtMost<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      for (let i = next++; i < items.length; i = next++) await work(items[i] as T);
    }),
  );
}

export function monthlyRecheck(deps: RecheckDependencies) {
  const policyCache = new Map<string, Promise<CityPolicy>>();
  const policyOf = (version: string) => {
    let found = policyCache.get(version);
    if (!found) {
      found = deps.policies.version(version).then((v) => {
        if (!v) throw new Error(`policy ${version} of a grant is not known`);
        return v.policy;
      });
      policyCache.set(version, found);
    }
    return found;
  };

  async function suspend(
    run: RecheckRun,
    grant: ListedGrant,
    verdict: Extract<ReturnType<typeof recheckVerdict>, { outcome: 'suspend' }>,
    at: string,
  ): Promise<GrantOutcome> {
    const { suspendedFrom, reason } = verdict;
    for (let attempt = 1; ; attempt++) {
      const stored = await deps.applications.get(grant.applicationId);
      if (!stored) throw new Error(`grant of ${grant.applicationId} names no application`);
      const application = stored.application;
      const transition = suspensionTransition(
        application,
        { suspendedFrom, reason, checkName: checkNames[reason.check].zh },
        at,
      );
      const notice = {
        id: noticeIdOf(at, application.id, transition.event.seq),
        kind: 'grant-suspended' as const,
        at,
        applicationId: application.id,
        programme: application.programme,
        communityId: application.communityId,
        suspendedFrom,
        reason: reason.check,
      };
      const approver = grantedBy(application);
      const { tableName } = deps.table;
      try {
        await deps.applications.commit(stored, transition, {
          alongside: {
            grant: suspensionUpdate(tableName, grant, { suspendedFrom, reason, month: run.month, at }),
            runRecord: deps.suspensions.suspensionPut(run.cityId, run.month, {
              applicationId: application.id,
              programme: application.programme,
              communityId: application.communityId,
              suspendedFrom,
              reason,
              at,
            }),
            communityNotice: noticePut(tableName, recipientOfCommunity(application.communityId), notice),
            ...(approver ? { approverNotice: noticePut(tableName, recipientOfPerson(approver), notice) } : {}),
          },
        });
        return 'suspended';
      } catch (error) {
        if (!(error instanceof StaleWriteError) || attempt >= 3) throw error;
        // Refused: suspended meanwhile (a run worked twice), or the application moved on. Read again.
        const ledger = await deps.applications.personLedger({ cityId: grant.cityId, personKey: grant.personKey });
        const now = ledger.grants.find((g) => g.applicationId === grant.applicationId);
        if (now?.suspendedFrom !== undefined && now.suspendedFrom <= suspendedFrom) return 'unchanged';
      }
    }
  }

  async function recheck(
    run: RecheckRun,
    grant: ListedGrant,
    sealed: string | undefined,
    at: string,
  ): Promise<GrantOutcome> {
    const policy = await policyOf(grant.policyVersion);
    const verification = verificationOf(policy, grant.programme);
    if (!verification.monthly.length) return 'passed';
    if (!sealed) {
      // Taken in before IDs were sealed: nothing to ask by. Reported as pending, never passed.
      logger.warn('a grant holder has no sealed resident ID; the re-check waits', {
        applicationId: grant.applicationId,
      });
      return { pending: verification.monthly.length };
    }
    const idNumber = await deps.openResidentId(sealed);
    const answers = new Map<SourceName, Answer>();
    const recording: DataExchange = {
      ask: (cityId, question) =>
        deps.exchange.ask(cityId, question).then((answer) => {
          answers.set(question.source, answer);
          return answer;
        }),
    };
    const toRun = checksToRun(
      { ...verification, checks: Object.fromEntries(verification.monthly.map((check) => [check, 'flag'])) },
      policy.verification.maxAgeDays,
    );
    const subject = {
      programme: grant.programme,
      idNumber,
      months: { from: run.month, to: run.month },
      today: shanghaiDate(deps.now()),
    };
    const results = await runChecks(recording, run.cityId, toRun, subject);
    const verdict = recheckVerdict(grant, run.month, results, answers);
    if (verdict.outcome === 'suspend') return suspend(run, grant, verdict, at);
    if (verdict.outcome === 'pending') return { pending: verdict.pending.length };
    return verdict.outcome === 'passed' ? 'passed' : 'unchanged';
  }

  /** Works one page from the run's cursor; answers its counts and the next page's cursor. */
  async function workPage(run: RecheckRun): Promise<{ counts: PageCounts; next?: string }> {
    const page = await activeGrantsPage(deps.table, run.cityId, run.month, {
      limit: deps.pageSize ?? 100,
      ...(run.cursor ? { cursor: run.cursor } : {}),
    });
    const identities = await sealedIdentities(
      deps.table,
      run.cityId,
      page.grants.map((g) => g.personKey),
    );
    const counts: PageCounts = { checked: 0, suspended: 0, pendingGrants: 0, pendingChecks: 0 };
    const at = deps.now().toISOString();
    await eachAtMost(page.grants, deps.concurrency ?? 16, async (grant) => {
      const outcome = await recheck(run, grant, identities.get(grant.personKey), at);
      counts.checked++;
      if (outcome === 'suspended') counts.suspended++;
      else if (typeof outcome === 'object') {
        counts.pendingGrants++;
        counts.pendingChecks += outcome.pending;
      }
    });
    return { counts, ...(page.next ? { next: page.next } : {}) };
  }

  /**
   * Works the run of `cityId` and `month` while `timeLeftMs` allows. Answers undefined when another
   * invocation holds it, else whether it finished (unfinished: the next invocation resumes it).
   */
  return async function workRun(
    cityId: string,
    month: string,
    timeLeftMs: () => number = () => Number.POSITIVE_INFINITY,
  ): Promise<{ finished: boolean; run: RecheckRun } | undefined> {
    const owner = deps.newLeaseOwner?.() ?? randomUUID();
    const leaseUntil = () => new Date(deps.now().getTime() + leaseMs).toISOString();
    let run = await deps.runs.claim(cityId, month, owner, deps.now().toISOString(), leaseUntil());
    if (!run) return undefined;
    try {
      for (;;) {
        const { counts, next } = await workPage(run);
        if (!(await deps.runs.advance(run, owner, next, counts, leaseUntil()))) return { finished: false, run };
        run = { ...run, page: run.page + 1, ...(next ? { cursor: next } : {}) };
        for (const key of ['checked', 'suspended', 'pendingGrants', 'pendingChecks'] as const) run[key] += counts[key];
        if (!next) {
          await deps.runs.release(run, owner, deps.now().toISOString(), true);
          return { finished: true, run: { ...run, status: 'finished' } };
        }
        if (timeLeftMs() < stopMarginMs) {
          await deps.runs.release(run, owner, deps.now().toISOString(), false);
          return { finished: false, run };
        }
      }
    } catch (error) {
      // Let the lease go at once: a re-run need not wait for it to run out (a crash leaves it to expire).
      await deps.runs.release(run, owner, deps.now().toISOString(), false).catch(() => undefined);
      throw error;
    }
  };
}
export type WorkRun = ReturnType<typeof monthlyRecheck>;
