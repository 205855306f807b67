/**
 * The HTTP API's routes and the handler behind each: read by the CDK stack (one function per
 * route, least-privilege grants from `needs`) and by the local HTTP server, so the two cannot drift.
 * Each route names the schemas of what it takes (`request`), the ones its handler validates with:
 * the OpenAPI document (`GET /openapi.json`) is generated from them, and a test requires them.
 */
import type * as z from 'zod/mini';
import { staffChangeSchema } from '../administration/domain/staff.js';
import { unitTreeBodySchema } from '../administration/domain/unit-tree.js';
import { decisionSchema } from '../applications/domain/decisions.js';
import { withdrawalSchema } from '../applications/domain/withdrawal.js';
import {
  registrationSchema as ledgerRegistrationSchema,
  statusChangeSchema,
} from '../employment/domain/employment-ledger.js';
import { scorecardQuerySchema } from '../employment/domain/full-employment.js';
import { cityPolicySchema } from '../kernel/domain/policy.js';
import { submissionSchema } from '../kernel/domain/programmes.js';
import { holidayCalendarSchema } from '../kernel/domain/working-days.js';
import { throughputQuerySchema } from '../monitoring/domain/throughput-periods.js';
import {
  applicationListQuerySchema,
  batchSchema,
  calendarPathSchema,
  idPathSchema,
  inboxQuerySchema,
  ledgerListQuerySchema,
  peopleExportQuerySchema,
  policiesQuerySchema,
  policyDiffQuerySchema,
  readAuditQuerySchema,
  registrationSchema,
  resubmissionSchema,
  staffPathSchema,
  staffQuerySchema,
  unitsQuerySchema,
  webhookEndpointsQuerySchema,
  yearPathSchema,
} from './request-schemas.js';

/** What a route takes, as the schemas its handler validates with; `{}` when it takes nothing. */
export interface RouteRequest {
  /** An object schema with one property per `{name}` of the path. */
  path?: z.core.$ZodType;
  /** An object schema of the query string's parameters. */
  query?: z.core.$ZodType;
  /** The JSON body. */
  body?: z.core.$ZodType;
  /** The body may instead be CSV (`content-type: text/csv`). */
  csv?: true;
  /** The route honours an `Idempotency-Key` header. */
  idempotencyKey?: true;
}

export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** API Gateway route path, `{name}` for path parameters. */
  path: string;
  /** Handler file from the repository root; it exports `handler`. */
  entry: string;
  /** Construct id of the function. */
  name: string;
  /** False only for the health check and the API's description; every other route needs a bearer token. */
  authorized: boolean;
  request: RouteRequest;
  needs: {
    table: 'read' | 'read-write';
    startExecutions?: true;
    releaseTasks?: true;
    describeWorkflow?: true;
    /** Seals resident ID numbers with the KMS key (kms:Encrypt only; RESIDENT_ID_KMS_KEY_ID). */
    sealResidentIds?: true;
    /** The key of the keyed hash of resident ID numbers (Secrets Manager; RESIDENT_ID_KEY_SECRET_ARN). */
    residentIdKey?: true;
    /** The key that seals webhook secrets (Secrets Manager; WEBHOOK_SECRET_KEY_SECRET_ARN). */
    webhookSecretKey?: true;
    /** Sends "deliver X" to the webhook queue (WEBHOOK_QUEUE_URL), to wake the worker at once. */
    webhookQueue?: true;
    /** The history's KMS HMAC key (HISTORY_MAC_KMS_KEY_ID): `write` MACs new events, `verify` checks them on read. */
    historyKey?: 'write' | 'verify';
    /** Seals and opens paging cursors with a key derived from the cursors' KMS HMAC key (PAGING_CURSOR_KMS_KEY_ID). */
    pagingCursors?: true;
  };
}

export const apiRoutes: readonly ApiRoute[] = [
  {
    method: 'GET',
    path: '/health',
    entry: 'functions/api/health.ts',
    name: 'Health',
    authorized: false,
    request: {},
    needs: { table: 'read', describeWorkflow: true },
  },
  {
    // The API's description, generated from these routes: public, as any API's contract is; it
    // names no data, only shapes.
    method: 'GET',
    path: '/openapi.json',
    entry: 'functions/api/openapi.ts',
    name: 'OpenApi',
    authorized: false,
    request: {},
    needs: { table: 'read' },
  },
  {
    // The console asks who is signed in and which assignments they hold today.
    method: 'GET',
    path: '/me',
    entry: 'functions/administration/http/me.ts',
    name: 'Me',
    authorized: true,
    request: {},
    needs: { table: 'read' },
  },
  {
    method: 'POST',
    path: '/applications',
    entry: 'functions/applications/http/submit-application.ts',
    name: 'SubmitApplication',
    authorized: true,
    request: { body: submissionSchema, idempotencyKey: true },
    needs: {
      table: 'read-write',
      startExecutions: true,
      sealResidentIds: true,
      residentIdKey: true,
      historyKey: 'write',
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
    needs: { table: 'read' },
  },
  {
    method: 'GET',
    path: '/applications/{id}',
    entry: 'functions/applications/http/get-application.ts',
    name: 'GetApplication',
    authorized: true,
    request: { path: idPathSchema },
    // Read-write: a view with personal fields writes its read-audit entry first.
    needs: { table: 'read-write', historyKey: 'verify' },
  },
  {
    method: 'POST',
    path: '/applications/{id}/decisions',
    entry: 'functions/applications/http/decide-application.ts',
    name: 'DecideApplication',
    authorized: true,
    request: { path: idPathSchema, body: decisionSchema },
    needs: { table: 'read-write', releaseTasks: true, historyKey: 'write' },
  },
  {
    method: 'POST',
    path: '/applications/{id}/resubmit',
    entry: 'functions/applications/http/resubmit-application.ts',
    name: 'ResubmitApplication',
    authorized: true,
    request: { path: idPathSchema, body: resubmissionSchema },
    needs: { table: 'read-write', releaseTasks: true, sealResidentIds: true, residentIdKey: true, historyKey: 'write' },
  },
  {
    method: 'POST',
    path: '/applications/{id}/withdraw',
    entry: 'functions/applications/http/withdraw-application.ts',
    name: 'WithdrawApplication',
    authorized: true,
    request: { path: idPathSchema, body: withdrawalSchema },
    needs: { table: 'read-write', releaseTasks: true, historyKey: 'write' },
  },
  {
    method: 'POST',
    path: '/decisions/batch',
    entry: 'functions/applications/http/batch-approve.ts',
    name: 'BatchApprove',
    authorized: true,
    request: { body: batchSchema },
    needs: { table: 'read-write', releaseTasks: true, historyKey: 'write' },
  },
  {
    // A community's applications for its staff (and approvers above it, names masked), newest first.
    method: 'GET',
    path: '/applications',
    entry: 'functions/applications/http/list-applications.ts',
    name: 'ListApplications',
    authorized: true,
    request: { query: applicationListQuerySchema },
    needs: { table: 'read', pagingCursors: true },
  },
  {
    method: 'GET',
    path: '/inbox',
    entry: 'functions/applications/http/inbox.ts',
    name: 'Inbox',
    authorized: true,
    request: { query: inboxQuerySchema },
    needs: { table: 'read', pagingCursors: true },
  },
  {
    method: 'POST',
    path: '/webhook-endpoints',
    entry: 'functions/webhooks/http/register-webhook-endpoint.ts',
    name: 'RegisterWebhookEndpoint',
    authorized: true,
    request: { body: registrationSchema, idempotencyKey: true },
    needs: { table: 'read-write', webhookSecretKey: true, webhookQueue: true },
  },
  {
    method: 'GET',
    path: '/webhook-endpoints',
    entry: 'functions/webhooks/http/list-webhook-endpoints.ts',
    name: 'ListWebhookEndpoints',
    authorized: true,
    request: { query: webhookEndpointsQuerySchema },
    needs: { table: 'read' },
  },
  {
    method: 'POST',
    path: '/webhook-endpoints/{id}/pause',
    entry: 'functions/webhooks/http/pause-webhook-endpoint.ts',
    name: 'PauseWebhookEndpoint',
    authorized: true,
    request: { path: idPathSchema },
    needs: { table: 'read-write' },
  },
  {
    method: 'POST',
    path: '/webhook-endpoints/{id}/resume',
    entry: 'functions/webhooks/http/resume-webhook-endpoint.ts',
    name: 'ResumeWebhookEndpoint',
    authorized: true,
    request: { path: idPathSchema },
    needs: { table: 'read-write', webhookQueue: true },
  },
  {
    method: 'POST',
    path: '/webhook-endpoints/{id}/rotate-secret',
    entry: 'functions/webhooks/http/rotate-webhook-secret.ts',
    name: 'RotateWebhookSecret',
    authorized: true,
    request: { path: idPathSchema },
    needs: { table: 'read-write', webhookSecretKey: true },
  },
  {
    method: 'DELETE',
    path: '/webhook-endpoints/{id}',
    entry: 'functions/webhooks/http/delete-webhook-endpoint.ts',
    name: 'DeleteWebhookEndpoint',
    authorized: true,
    request: { path: idPathSchema },
    needs: { table: 'read-write' },
  },
  {
    method: 'GET',
    path: '/webhook-endpoints/{id}/deliveries',
    entry: 'functions/webhooks/http/list-webhook-deliveries.ts',
    name: 'ListWebhookDeliveries',
    authorized: true,
    request: { path: idPathSchema },
    needs: { table: 'read' },
  },
  {
    method: 'GET',
    path: '/metrics/throughput',
    entry: 'functions/monitoring/http/throughput.ts',
    name: 'Throughput',
    authorized: true,
    request: { query: throughputQuerySchema },
    needs: { table: 'read' },
  },
  {
    method: 'GET',
    path: '/metrics/throughput.csv',
    entry: 'functions/monitoring/http/throughput-csv.ts',
    name: 'ThroughputCsv',
    authorized: true,
    request: { query: throughputQuerySchema },
    needs: { table: 'read' },
  },
  {
    method: 'POST',
    path: '/webhook-deliveries/{id}/replay',
    entry: 'functions/webhooks/http/replay-webhook-delivery.ts',
    name: 'ReplayWebhookDelivery',
    authorized: true,
    request: { path: idPathSchema },
    needs: { table: 'read-write', webhookQueue: true },
  },
  {
    method: 'GET',
    path: '/staff',
    entry: 'functions/administration/http/list-staff.ts',
    name: 'ListStaff',
    authorized: true,
    request: { query: staffQuerySchema },
    needs: { table: 'read' },
  },
  {
    method: 'GET',
    path: '/staff/{sub}',
    entry: 'functions/administration/http/get-staff.ts',
    name: 'GetStaff',
    authorized: true,
    request: { path: staffPathSchema },
    needs: { table: 'read' },
  },
  {
    method: 'PUT',
    path: '/staff/{sub}',
    entry: 'functions/administration/http/put-staff.ts',
    name: 'PutStaff',
    authorized: true,
    request: { path: staffPathSchema, body: staffChangeSchema },
    needs: { table: 'read-write' },
  },
  {
    method: 'GET',
    path: '/admin-log',
    entry: 'functions/administration/http/admin-log.ts',
    name: 'AdminLog',
    authorized: true,
    request: {},
    needs: { table: 'read' },
  },
  {
    method: 'GET',
    path: '/units',
    entry: 'functions/administration/http/get-units.ts',
    name: 'GetUnits',
    authorized: true,
    request: { query: unitsQuerySchema },
    needs: { table: 'read' },
  },
  {
    method: 'PUT',
    path: '/units',
    entry: 'functions/administration/http/put-units.ts',
    name: 'PutUnits',
    authorized: true,
    request: { body: unitTreeBodySchema, csv: true },
    needs: { table: 'read-write' },
  },
  {
    method: 'GET',
    path: '/policies',
    entry: 'functions/administration/http/list-policies.ts',
    name: 'ListPolicies',
    authorized: true,
    request: { query: policiesQuerySchema },
    needs: { table: 'read' },
  },
  {
    method: 'POST',
    path: '/policies',
    entry: 'functions/administration/http/publish-policy.ts',
    name: 'PublishPolicy',
    authorized: true,
    request: { body: cityPolicySchema },
    needs: { table: 'read-write' },
  },
  {
    method: 'GET',
    path: '/policies/diff',
    entry: 'functions/administration/http/policy-diff.ts',
    name: 'PolicyDiff',
    authorized: true,
    request: { query: policyDiffQuerySchema },
    needs: { table: 'read' },
  },
  {
    method: 'GET',
    path: '/calendars',
    entry: 'functions/administration/http/list-calendars.ts',
    name: 'ListCalendars',
    authorized: true,
    request: {},
    needs: { table: 'read' },
  },
  {
    // Routes the city's waiting applications again: it releases their tasks.
    method: 'PUT',
    path: '/calendars/{year}',
    entry: 'functions/workflow/http/put-calendar.ts',
    name: 'PutCalendar',
    authorized: true,
    request: { path: calendarPathSchema, body: holidayCalendarSchema },
    needs: { table: 'read-write', releaseTasks: true },
  },
  {
    // The read audit, for the city's administrator: who read which application's personal data.
    method: 'GET',
    path: '/audit/reads',
    entry: 'functions/integrity/http/read-audit.ts',
    name: 'ReadAudit',
    authorized: true,
    request: { query: readAuditQuerySchema },
    needs: { table: 'read' },
  },
  {
    // A person's data on request (PIPL art. 45): audited as a read, so it writes the audit.
    method: 'GET',
    path: '/people/export',
    entry: 'functions/integrity/http/people-export.ts',
    name: 'PeopleExport',
    authorized: true,
    request: { query: peopleExportQuerySchema },
    needs: { table: 'read-write', residentIdKey: true, historyKey: 'verify' },
  },
  // The employment ledger, the scorecard and the annual evaluation.
  {
    method: 'POST',
    path: '/ledger/entries',
    entry: 'functions/employment/http/register-ledger-entry.ts',
    name: 'RegisterLedgerEntry',
    authorized: true,
    request: { body: ledgerRegistrationSchema },
    needs: { table: 'read-write', sealResidentIds: true, residentIdKey: true, historyKey: 'write' },
  },
  {
    method: 'GET',
    path: '/ledger/entries',
    entry: 'functions/employment/http/list-ledger-entries.ts',
    name: 'ListLedgerEntries',
    authorized: true,
    request: { query: ledgerListQuerySchema },
    needs: { table: 'read' },
  },
  {
    method: 'GET',
    path: '/ledger/entries/{id}',
    entry: 'functions/employment/http/get-ledger-entry.ts',
    name: 'GetLedgerEntry',
    authorized: true,
    request: { path: idPathSchema },
    needs: { table: 'read', historyKey: 'verify' },
  },
  {
    method: 'POST',
    path: '/ledger/entries/{id}/changes',
    entry: 'functions/employment/http/change-ledger-status.ts',
    name: 'ChangeLedgerStatus',
    authorized: true,
    request: { path: idPathSchema, body: statusChangeSchema },
    needs: { table: 'read-write', historyKey: 'write' },
  },
  {
    method: 'GET',
    path: '/scorecard',
    entry: 'functions/employment/http/scorecard.ts',
    name: 'Scorecard',
    authorized: true,
    request: { query: scorecardQuerySchema },
    needs: { table: 'read' },
  },
  {
    method: 'GET',
    path: '/scorecard.csv',
    entry: 'functions/employment/http/scorecard-csv.ts',
    name: 'ScorecardCsv',
    authorized: true,
    request: { query: scorecardQuerySchema },
    needs: { table: 'read' },
  },
  {
    method: 'POST',
    path: '/evaluations/{year}',
    entry: 'functions/employment/http/compute-evaluation.ts',
    name: 'ComputeEvaluation',
    authorized: true,
    request: { path: yearPathSchema },
    needs: { table: 'read-write' },
  },
  {
    method: 'GET',
    path: '/evaluations/{year}',
    entry: 'functions/employment/http/get-evaluation.ts',
    name: 'GetEvaluation',
    authorized: true,
    request: { path: yearPathSchema },
    needs: { table: 'read' },
  },
  {
    // Audited in the city's administration log, in the same transaction.
    method: 'POST',
    path: '/evaluations/{year}/approval',
    entry: 'functions/employment/http/approve-evaluation.ts',
    name: 'ApproveEvaluation',
    authorized: true,
    request: { path: yearPathSchema },
    needs: { table: 'read-write' },
  },
  {
    method: 'GET',
    path: '/full-employment-communities/{year}',
    entry: 'functions/employment/http/full-employment-communities.ts',
    name: 'FullEmploymentCommunities',
    authorized: true,
    request: { path: yearPathSchema },
    needs: { table: 'read' },
  },
  {
    method: 'GET',
    path: '/full-employment-communities/{year}/csv',
    entry: 'functions/employment/http/full-employment-communities-csv.ts',
    name: 'FullEmploymentCommunitiesCsv',
    authorized: true,
    request: { path: yearPathSchema },
    needs: { table: 'read' },
  },
];
