/**
 * The HTTP API's routes and the handler behind each: read by the CDK stack (one function per
 * route, least-privilege grants from `needs`) and by the local HTTP server, so the two cannot drift.
 */
export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** API Gateway route path, `{name}` for path parameters. */
  path: string;
  /** Handler file from the repository root; it exports `handler`. */
  entry: string;
  /** Construct id of the function. */
  name: string;
  /** False only for the health check; every other route needs a bearer token. */
  authorized: boolean;
  needs: {
    table: 'read' | 'read-write';
    startExecutions?: true;
    releaseTasks?: true;
    describeWorkflow?: true;
    /** Seals resident ID numbers with the KMS key (kms:Encrypt only; RESIDENT_ID_KMS_KEY_ID). */
    sealResidentIds?: true;
    /** The key that seals webhook secrets (WEBHOOK_SECRET_KEY). */
    webhookSecretKey?: true;
    /** Sends "deliver X" to the webhook queue (WEBHOOK_QUEUE_URL), to wake the worker at once. */
    webhookQueue?: true;
    /** The history's KMS HMAC key (HISTORY_MAC_KMS_KEY_ID): `write` MACs new events, `verify` checks them on read. */
    historyKey?: 'write' | 'verify';
  };
}

export const apiRoutes: readonly ApiRoute[] = [
  {
    method: 'GET',
    path: '/health',
    entry: 'functions/api/health.ts',
    name: 'Health',
    authorized: false,
    needs: { table: 'read', describeWorkflow: true },
  },
  {
    method: 'POST',
    path: '/applications',
    entry: 'functions/api/submit-application.ts',
    name: 'SubmitApplication',
    authorized: true,
    needs: { table: 'read-write', startExecutions: true, sealResidentIds: true, historyKey: 'write' },
  },
  {
    // Intake's dry run: the same body judged, nothing recorded.
    method: 'POST',
    path: '/applications/eligibility-check',
    entry: 'functions/api/check-eligibility.ts',
    name: 'CheckEligibility',
    authorized: true,
    needs: { table: 'read' },
  },
  {
    method: 'GET',
    path: '/applications/{id}',
    entry: 'functions/api/get-application.ts',
    name: 'GetApplication',
    authorized: true,
    needs: { table: 'read', historyKey: 'verify' },
  },
  {
    method: 'POST',
    path: '/applications/{id}/decisions',
    entry: 'functions/api/decide-application.ts',
    name: 'DecideApplication',
    authorized: true,
    needs: { table: 'read-write', releaseTasks: true, historyKey: 'write' },
  },
  {
    method: 'POST',
    path: '/applications/{id}/resubmit',
    entry: 'functions/api/resubmit-application.ts',
    name: 'ResubmitApplication',
    authorized: true,
    needs: { table: 'read-write', releaseTasks: true, sealResidentIds: true, historyKey: 'write' },
  },
  {
    method: 'POST',
    path: '/applications/{id}/withdraw',
    entry: 'functions/api/withdraw-application.ts',
    name: 'WithdrawApplication',
    authorized: true,
    needs: { table: 'read-write', releaseTasks: true, historyKey: 'write' },
  },
  {
    method: 'POST',
    path: '/decisions/batch',
    entry: 'functions/api/batch-approve.ts',
    name: 'BatchApprove',
    authorized: true,
    needs: { table: 'read-write', releaseTasks: true, historyKey: 'write' },
  },
  {
    method: 'GET',
    path: '/inbox',
    entry: 'functions/api/inbox.ts',
    name: 'Inbox',
    authorized: true,
    needs: { table: 'read' },
  },
  {
    method: 'POST',
    path: '/webhook-endpoints',
    entry: 'functions/api/register-webhook-endpoint.ts',
    name: 'RegisterWebhookEndpoint',
    authorized: true,
    needs: { table: 'read-write', webhookSecretKey: true, webhookQueue: true },
  },
  {
    method: 'GET',
    path: '/webhook-endpoints',
    entry: 'functions/api/list-webhook-endpoints.ts',
    name: 'ListWebhookEndpoints',
    authorized: true,
    needs: { table: 'read' },
  },
  {
    method: 'POST',
    path: '/webhook-endpoints/{id}/pause',
    entry: 'functions/api/pause-webhook-endpoint.ts',
    name: 'PauseWebhookEndpoint',
    authorized: true,
    needs: { table: 'read-write' },
  },
  {
    method: 'POST',
    path: '/webhook-endpoints/{id}/resume',
    entry: 'functions/api/resume-webhook-endpoint.ts',
    name: 'ResumeWebhookEndpoint',
    authorized: true,
    needs: { table: 'read-write', webhookQueue: true },
  },
  {
    method: 'POST',
    path: '/webhook-endpoints/{id}/rotate-secret',
    entry: 'functions/api/rotate-webhook-secret.ts',
    name: 'RotateWebhookSecret',
    authorized: true,
    needs: { table: 'read-write', webhookSecretKey: true },
  },
  {
    method: 'DELETE',
    path: '/webhook-endpoints/{id}',
    entry: 'functions/api/delete-webhook-endpoint.ts',
    name: 'DeleteWebhookEndpoint',
    authorized: true,
    needs: { table: 'read-write' },
  },
  {
    method: 'GET',
    path: '/webhook-endpoints/{id}/deliveries',
    entry: 'functions/api/list-webhook-deliveries.ts',
    name: 'ListWebhookDeliveries',
    authorized: true,
    needs: { table: 'read' },
  },
  {
    method: 'GET',
    path: '/metrics/throughput',
    entry: 'functions/api/throughput.ts',
    name: 'Throughput',
    authorized: true,
    needs: { table: 'read' },
  },
  {
    method: 'GET',
    path: '/metrics/throughput.csv',
    entry: 'functions/api/throughput-csv.ts',
    name: 'ThroughputCsv',
    authorized: true,
    needs: { table: 'read' },
  },
  {
    method: 'POST',
    path: '/webhook-deliveries/{id}/replay',
    entry: 'functions/api/replay-webhook-delivery.ts',
    name: 'ReplayWebhookDelivery',
    authorized: true,
    needs: { table: 'read-write', webhookQueue: true },
  },
  {
    method: 'GET',
    path: '/staff',
    entry: 'functions/api/list-staff.ts',
    name: 'ListStaff',
    authorized: true,
    needs: { table: 'read' },
  },
  {
    method: 'GET',
    path: '/staff/{sub}',
    entry: 'functions/api/get-staff.ts',
    name: 'GetStaff',
    authorized: true,
    needs: { table: 'read' },
  },
  {
    method: 'PUT',
    path: '/staff/{sub}',
    entry: 'functions/api/put-staff.ts',
    name: 'PutStaff',
    authorized: true,
    needs: { table: 'read-write' },
  },
  {
    method: 'GET',
    path: '/admin-log',
    entry: 'functions/api/admin-log.ts',
    name: 'AdminLog',
    authorized: true,
    needs: { table: 'read' },
  },
  {
    method: 'GET',
    path: '/units',
    entry: 'functions/api/get-units.ts',
    name: 'GetUnits',
    authorized: true,
    needs: { table: 'read' },
  },
  {
    method: 'PUT',
    path: '/units',
    entry: 'functions/api/put-units.ts',
    name: 'PutUnits',
    authorized: true,
    needs: { table: 'read-write' },
  },
  {
    method: 'GET',
    path: '/policies',
    entry: 'functions/api/list-policies.ts',
    name: 'ListPolicies',
    authorized: true,
    needs: { table: 'read' },
  },
  {
    method: 'POST',
    path: '/policies',
    entry: 'functions/api/publish-policy.ts',
    name: 'PublishPolicy',
    authorized: true,
    needs: { table: 'read-write' },
  },
  {
    method: 'GET',
    path: '/policies/diff',
    entry: 'functions/api/policy-diff.ts',
    name: 'PolicyDiff',
    authorized: true,
    needs: { table: 'read' },
  },
  {
    method: 'GET',
    path: '/calendars',
    entry: 'functions/api/list-calendars.ts',
    name: 'ListCalendars',
    authorized: true,
    needs: { table: 'read' },
  },
  {
    // Routes the city's waiting applications again: it releases their tasks.
    method: 'PUT',
    path: '/calendars/{year}',
    entry: 'functions/api/put-calendar.ts',
    name: 'PutCalendar',
    authorized: true,
    needs: { table: 'read-write', releaseTasks: true },
  },
  // The employment ledger, the scorecard and the annual evaluation (issue 18). Request schemas:
  // `registrationSchema`, `statusChangeSchema` (domain/employment-ledger.ts), `ledgerListQuerySchema`
  // (api/employment-ledger.ts), `scorecardQuerySchema`, `yearSchema` (domain/full-employment.ts).
  {
    method: 'POST',
    path: '/ledger/entries',
    entry: 'functions/api/register-ledger-entry.ts',
    name: 'RegisterLedgerEntry',
    authorized: true,
    needs: { table: 'read-write', sealResidentIds: true, historyKey: 'write' },
  },
  {
    method: 'GET',
    path: '/ledger/entries',
    entry: 'functions/api/list-ledger-entries.ts',
    name: 'ListLedgerEntries',
    authorized: true,
    needs: { table: 'read' },
  },
  {
    method: 'GET',
    path: '/ledger/entries/{id}',
    entry: 'functions/api/get-ledger-entry.ts',
    name: 'GetLedgerEntry',
    authorized: true,
    needs: { table: 'read', historyKey: 'verify' },
  },
  {
    method: 'POST',
    path: '/ledger/entries/{id}/changes',
    entry: 'functions/api/change-ledger-status.ts',
    name: 'ChangeLedgerStatus',
    authorized: true,
    needs: { table: 'read-write', historyKey: 'write' },
  },
  {
    method: 'GET',
    path: '/scorecard',
    entry: 'functions/api/scorecard.ts',
    name: 'Scorecard',
    authorized: true,
    needs: { table: 'read' },
  },
  {
    method: 'GET',
    path: '/scorecard.csv',
    entry: 'functions/api/scorecard-csv.ts',
    name: 'ScorecardCsv',
    authorized: true,
    needs: { table: 'read' },
  },
  {
    method: 'POST',
    path: '/evaluations/{year}',
    entry: 'functions/api/compute-evaluation.ts',
    name: 'ComputeEvaluation',
    authorized: true,
    needs: { table: 'read-write' },
  },
  {
    method: 'GET',
    path: '/evaluations/{year}',
    entry: 'functions/api/get-evaluation.ts',
    name: 'GetEvaluation',
    authorized: true,
    needs: { table: 'read' },
  },
  {
    // Audited in the city's administration log, in the same transaction.
    method: 'POST',
    path: '/evaluations/{year}/approval',
    entry: 'functions/api/approve-evaluation.ts',
    name: 'ApproveEvaluation',
    authorized: true,
    needs: { table: 'read-write' },
  },
  {
    method: 'GET',
    path: '/full-employment-communities/{year}',
    entry: 'functions/api/full-employment-communities.ts',
    name: 'FullEmploymentCommunities',
    authorized: true,
    needs: { table: 'read' },
  },
  {
    method: 'GET',
    path: '/full-employment-communities/{year}/csv',
    entry: 'functions/api/full-employment-communities-csv.ts',
    name: 'FullEmploymentCommunitiesCsv',
    authorized: true,
    needs: { table: 'read' },
  },
];
