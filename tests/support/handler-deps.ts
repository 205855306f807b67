/** Dependencies for HTTP handler tests against DynamoDB Local: real repositories, a recording workflow, a fixed clock. */

import { calendarRepository } from '../../functions/administration/store/calendars.js';
import { policyRepository } from '../../functions/administration/store/policies.js';
import { unitRepository } from '../../functions/administration/store/units.js';
import type {
  DataExchangeDependency,
  IntakeDependencies,
  NoticesDependency,
  ReadAuditDependency,
} from '../../functions/applications/http/dependencies.js';
import { applicationRepository } from '../../functions/applications/store/applications.js';
import { inboxRepository } from '../../functions/applications/store/inbox.js';
import { noticeRepository } from '../../functions/applications/store/notices.js';
import type { ApprovalWorkflow } from '../../functions/kernel/adapters/approval-workflow.js';
import { pagingCursors } from '../../functions/kernel/adapters/paging-cursor.js';
import { readAuditRepository } from '../../functions/kernel/store/read-audit.js';
import type { TableContext } from '../../functions/kernel/store/table.js';
import { contractFirms, exchangeDouble } from '../../tools/support/exchange-double.js';
import { sealForTests } from '../../tools/support/fixtures.js';
import { actorFromTestClaims } from '../../tools/support/http-events.js';

/** Paging cursors under a fixed test key (production derives its key from KMS). */
export const testCursors = pagingCursors(async () => Buffer.alloc(32, 7));

/** A workflow port that only records which executions were started. */
export function recordingWorkflow(started: string[] = []): ApprovalWorkflow & { started: string[] } {
  return {
    started,
    start: async (id) => void started.push(id),
    release: async () => true,
    isReachable: async () => true,
  };
}

/** Everything any API handler takes: intake's and the read audit. */
export type TestDependencies = IntakeDependencies & ReadAuditDependency & DataExchangeDependency & NoticesDependency;

/** Ids `${idPrefix}-1`, `-2`, …; the clock stands at Saturday 28 November 2026, 11:00 in Shanghai. */
export function handlerDependencies(
  table: TableContext,
  idPrefix: string,
  overrides: Partial<TestDependencies> = {},
): TestDependencies {
  let counter = 0;
  return {
    resolveActor: actorFromTestClaims,
    applications: applicationRepository(table),
    inbox: inboxRepository(table, testCursors),
    units: unitRepository(table),
    policies: policyRepository(table),
    calendars: calendarRepository(table),
    workflow: recordingWorkflow(),
    now: () => new Date('2026-11-28T03:00:00Z'),
    newApplicationId: () => `${idPrefix}-${++counter}`,
    residentIdSecret: 'e'.repeat(32),
    publishMetrics: () => undefined,
    sealResidentId: sealForTests,
    readAudit: readAuditRepository(table),
    // Every source answers, with no record of anyone: what a test of intake's own rules wants.
    dataExchange: exchangeDouble(structuredClone(contractFirms)),
    notices: noticeRepository(table),
    ...overrides,
  };
}
