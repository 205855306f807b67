/** The routes of intake, the eligibility check, decisions, withdrawal, resubmission, an application's detail, the lists, the inbox and its notices, and the monthly re-check's runs: read by the API's route table (`functions/api/routes.ts`). */

import { submissionSchema } from '../../kernel/domain/programmes.js';
import { idPathSchema } from '../../kernel/http/request-schemas.js';
import type { ApiRoute } from '../../kernel/http/route.js';
import { dispositionSchema } from '../../verification/index.js';
import { decisionSchema } from '../domain/decisions.js';
import { withdrawalSchema } from '../domain/withdrawal.js';
import {
  applicationListQuerySchema,
  batchSchema,
  inboxQuerySchema,
  noticePathSchema,
  recheckRunBodySchema,
  recheckRunPathSchema,
  resubmissionSchema,
} from './request-schemas.js';

export const applicationsRoutes: readonly ApiRoute[] = [
  {
    method: 'POST',
    path: '/applications',
    entry: 'functions/applications/http/submit-application.ts',
    name: 'SubmitApplication',
    authorized: true,
    request: { body: submissionSchema, idempotencyKey: true },
    needs: {
      table: { actions: ['GetItem', 'Query', 'PutItem'] },
      startExecutions: true,
      sealResidentIds: true,
      residentIdKey: true,
      historyKey: 'write',
      dataExchange: true,
    },
  },
  {
    // Intake's dry run: the same body judged, nothing recorded.
    method: 'POST',
    path: '/applications/eligibility-check',
    entry: 'functions/applications/http/check-eligibility.ts',
    name: 'CheckEligibility',
    authorized: true,
    request: { body: submissionSchema },
    needs: { table: { actions: ['GetItem', 'Query'] }, residentIdKey: true, dataExchange: true },
  },
  {
    method: 'GET',
    path: '/applications/{id}',
    entry: 'functions/applications/http/get-application.ts',
    name: 'GetApplication',
    authorized: true,
    request: { path: idPathSchema },
    // Read-write: a view with personal fields writes its read-audit entry first.
    needs: { table: { actions: ['GetItem', 'Query', 'PutItem'] }, historyKey: 'verify' },
  },
  {
    method: 'POST',
    path: '/applications/{id}/decisions',
    entry: 'functions/applications/http/decide-application.ts',
    name: 'DecideApplication',
    authorized: true,
    request: { path: idPathSchema, body: decisionSchema },
    needs: {
      table: { actions: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'] },
      releaseTasks: true,
      historyKey: 'write',
    },
  },
  {
    method: 'POST',
    path: '/applications/{id}/resubmit',
    entry: 'functions/applications/http/resubmit-application.ts',
    name: 'ResubmitApplication',
    authorized: true,
    request: { path: idPathSchema, body: resubmissionSchema },
    needs: {
      table: { actions: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'] },
      releaseTasks: true,
      sealResidentIds: true,
      residentIdKey: true,
      historyKey: 'write',
    },
  },
  {
    method: 'POST',
    path: '/applications/{id}/withdraw',
    entry: 'functions/applications/http/withdraw-application.ts',
    name: 'WithdrawApplication',
    authorized: true,
    request: { path: idPathSchema, body: withdrawalSchema },
    needs: {
      table: { actions: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'] },
      releaseTasks: true,
      historyKey: 'write',
    },
  },
  {
    method: 'POST',
    path: '/decisions/batch',
    entry: 'functions/applications/http/batch-approve.ts',
    name: 'BatchApprove',
    authorized: true,
    request: { body: batchSchema },
    needs: {
      table: { actions: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'] },
      releaseTasks: true,
      historyKey: 'write',
    },
  },
  {
    // A community's applications for its staff (and approvers above it, names masked), newest first.
    method: 'GET',
    path: '/applications',
    entry: 'functions/applications/http/list-applications.ts',
    name: 'ListApplications',
    authorized: true,
    request: { query: applicationListQuerySchema },
    // A line with the name in full writes its read-audit entry first.
    needs: {
      table: { actions: ['GetItem', 'Query', 'PutItem'], queries: ['community-applications'] },
      pagingCursors: true,
    },
  },
  {
    method: 'GET',
    path: '/inbox',
    entry: 'functions/applications/http/inbox.ts',
    name: 'Inbox',
    authorized: true,
    request: { query: inboxQuerySchema },
    needs: {
      table: { actions: ['GetItem', 'Query'], queries: ['escalations', 'inbox', 'stage-backlog'] },
      pagingCursors: true,
    },
  },
  {
    // An auditor's disposition of a suspicion (疑点): here because it changes the application, which
    // only this module writes; the suspicion's rules and item are verification's, in the same transaction.
    method: 'POST',
    path: '/verification/flags/{id}/disposition',
    entry: 'functions/applications/http/dispose-suspicion.ts',
    name: 'DisposeSuspicion',
    authorized: true,
    request: { path: idPathSchema, body: dispositionSchema },
    needs: {
      table: { actions: ['GetItem', 'Query', 'PutItem', 'UpdateItem'] },
      releaseTasks: true,
      historyKey: 'write',
    },
  },
  {
    // A notice taken off the caller's inbox (their own, or their community's).
    method: 'POST',
    path: '/inbox/notices/{id}/acknowledgement',
    entry: 'functions/applications/http/acknowledge-notice.ts',
    name: 'AcknowledgeNotice',
    authorized: true,
    request: { path: noticePathSchema },
    needs: { table: { actions: ['GetItem', 'Query', 'DeleteItem'] } },
  },
  {
    // The monthly re-check of active grants, asked for by hand: the fact checker works it within minutes.
    method: 'POST',
    path: '/verification/runs',
    entry: 'functions/applications/http/request-recheck-run.ts',
    name: 'RequestRecheckRun',
    authorized: true,
    request: { body: recheckRunBodySchema },
    needs: { table: { actions: ['GetItem', 'Query', 'PutItem'] } },
  },
  {
    method: 'GET',
    path: '/verification/runs/{month}',
    entry: 'functions/applications/http/get-recheck-run.ts',
    name: 'GetRecheckRun',
    authorized: true,
    request: { path: recheckRunPathSchema },
    needs: { table: { actions: ['GetItem', 'Query'] } },
  },
];
