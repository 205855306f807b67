/**
 * The one typed client of the HTTP API: every call the console makes is here, so a change to a
 * route is one edit. Refusals come back as `ApiError` with the problem's field errors; a 401 tells
 * the session (the form stays as it was, and the person signs in again).
 */
import type { CalendarList } from '../../functions/administration/domain/calendar-views.js';
import type { PolicyDiffView } from '../../functions/administration/domain/policy-diff.js';
import type { PolicyList } from '../../functions/administration/domain/policy-views.js';
import type { Me } from '../../functions/administration/domain/staff.js';
import type { StaffList, StaffView } from '../../functions/administration/domain/staff-views.js';
import type { UnitTreeView } from '../../functions/administration/domain/unit-views.js';
import type { DecisionKind } from '../../functions/applications/domain/decisions.js';
import type {
  ApplicationList,
  ApplicationListLine,
  Inbox,
  InboxLine,
} from '../../functions/applications/domain/list-views.js';
import type {
  ApplicationView,
  BatchApproval,
  EligibilityCheck,
  EligibilityView,
} from '../../functions/applications/domain/views.js';
import type { PublishedCommunities } from '../../functions/employment/domain/evaluation-views.js';
import type { CommunityStanding, Evaluation, Scorecard } from '../../functions/employment/domain/full-employment.js';
import type {
  ChangedLedgerEntry,
  HouseholdView,
  LedgerEntryPage,
  LedgerEntryView,
  LedgerList,
  RegisteredLedgerEntry,
} from '../../functions/employment/domain/ledger-views.js';
import type { SuspicionStatus } from '../../functions/kernel/domain/verification-results.js';
import type { ThroughputQuery } from '../../functions/monitoring/domain/throughput-periods.js';
import type { Throughput } from '../../functions/monitoring/domain/throughput-report.js';
import type {
  DeliveryLog,
  DeliveryView,
  EndpointList,
  EndpointView,
  EndpointWithSecret,
} from '../../functions/webhooks/domain/webhook-views.js';
import type {
  DispositionBody,
  RecheckReport,
  SuspicionList,
  SuspicionView,
  VerifiedApplicationView,
} from './api-verification.js';

export type * from './api-verification.js';

/** The answers the pages read, as the API's own domains build them. */
export type {
  ApplicationListLine,
  ApplicationView,
  CommunityStanding,
  DecisionKind,
  DeliveryView,
  EligibilityCheck,
  EligibilityView,
  EndpointView,
  HouseholdView,
  InboxLine,
  LedgerEntryPage,
  LedgerEntryView,
  Me,
  Scorecard,
  StaffView,
  ThroughputQuery,
};
/** A role at a unit that the person holds today: what they may act as (`X-Acting-As`). */
export type Assignment = Me['assignments'][number];

export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
  [more: string]: unknown;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
  }
  get status(): number {
    return this.problem.status;
  }
}

export interface Client {
  me(): Promise<Me>;
  checkEligibility(body: unknown): Promise<EligibilityCheck>;
  submit(body: unknown, idempotencyKey: string): Promise<ApplicationView>;
  application(id: string): Promise<VerifiedApplicationView>;
  decide(
    id: string,
    body: { decision: DecisionKind; expectedVersion: number; reason?: string; comment?: string },
  ): Promise<ApplicationView>;
  resubmit(id: string, body: Record<string, unknown>): Promise<ApplicationView>;
  withdraw(id: string, body: { expectedVersion: number; comment?: string }): Promise<ApplicationView>;
  batchApprove(decisions: { applicationId: string; expectedVersion: number }[]): Promise<BatchApproval>;
  inbox(query: { programme?: string; communityId?: string; limit?: number; cursor?: string }): Promise<Inbox>;
  applications(query: {
    communityId?: string;
    status?: string;
    programme?: string;
    q?: string;
    limit?: number;
    cursor?: string;
  }): Promise<ApplicationList>;
  throughput(query: ThroughputQuery): Promise<Throughput>;
  throughputCsv(query: ThroughputQuery): Promise<Blob>;
  staff(unit?: string): Promise<StaffList>;
  units(): Promise<UnitTreeView>;
  policies(): Promise<PolicyList>;
  policyDiff(from: string, to: string): Promise<PolicyDiffView>;
  calendars(): Promise<CalendarList>;
  webhookEndpoints(applicationId: string): Promise<EndpointList>;
  registerWebhook(body: { url: string; events: string[]; applicationId: string }): Promise<EndpointWithSecret>;
  /** Pause and resume answer the endpoint; rotating its secret answers the new one too. */
  webhookAction(
    id: string,
    action: 'pause' | 'resume' | 'rotate-secret',
  ): Promise<EndpointView & Partial<EndpointWithSecret>>;
  webhookDeliveries(endpointId: string): Promise<DeliveryLog>;
  replayDelivery(deliveryId: string): Promise<DeliveryView>;
  ledgerEntries(q: { community?: string; status?: string; zeroEmployment?: string }): Promise<LedgerList>;
  ledgerEntry(id: string): Promise<LedgerEntryPage>;
  registerLedgerEntry(body: unknown): Promise<RegisteredLedgerEntry>;
  recordLedgerChange(id: string, body: unknown): Promise<ChangedLedgerEntry>;
  scorecard(q: { period: string; unit?: string }): Promise<Scorecard>;
  /** Where the scorecard's CSV is read (the link carries no token: fetched through `download`). */
  scorecardCsv(q: { period: string; unit?: string }): Promise<Blob>;
  evaluation(year: string): Promise<Evaluation>;
  computeEvaluation(year: string): Promise<Evaluation>;
  approveEvaluation(year: string): Promise<Evaluation>;
  fullEmploymentCommunities(year: string): Promise<PublishedCommunities>;
  flags(q: { unit?: string; status?: SuspicionStatus; cursor?: string }): Promise<SuspicionList>;
  flag(id: string): Promise<SuspicionView>;
  disposeFlag(id: string, body: DispositionBody): Promise<SuspicionView>;
  recheckRun(month: string): Promise<RecheckReport>;
  requestRecheckRun(month: string): Promise<RecheckReport>;
}

export interface ClientOptions {
  apiUrl: string;
  token: () => string | undefined;
  /** `role@unit`, sent as X-Acting-As when the person holds several assignments. */
  actingAs: () => string | undefined;
  onUnauthorized: () => void;
}

function query(values: object): string {
  const entries = Object.entries(values).filter(([, v]) => v !== undefined && v !== '');
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]): [string, string] => [k, String(v)]))}` : '';
}

export function apiClient(options: ClientOptions): Client {
  async function call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const token = options.token();
    const acting = options.actingAs();
    let response: Response;
    try {
      response = await fetch(`${options.apiUrl}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(acting ? { 'x-acting-as': acting } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError({ status: 0, type: '/problems/offline', title: 'offline' });
    }
    if (response.status === 401) options.onUnauthorized();
    if (!response.ok) {
      const problem = (await response.json().catch(() => ({}))) as Partial<Problem>;
      throw new ApiError({ ...problem, status: response.status });
    }
    return response;
  }
  const json = async <T>(method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
    const response = await call(method, path, body, headers);
    return (response.status === 204 ? {} : await response.json()) as T;
  };
  return {
    me: () => json('GET', '/me'),
    checkEligibility: (body) => json('POST', '/applications/eligibility-check', body),
    submit: (body, key) => json('POST', '/applications', body, { 'idempotency-key': key }),
    application: (id) => json('GET', `/applications/${encodeURIComponent(id)}`),
    decide: (id, body) => json('POST', `/applications/${encodeURIComponent(id)}/decisions`, body),
    resubmit: (id, body) => json('POST', `/applications/${encodeURIComponent(id)}/resubmit`, body),
    withdraw: (id, body) => json('POST', `/applications/${encodeURIComponent(id)}/withdraw`, body),
    batchApprove: (decisions) => json('POST', '/decisions/batch', { decisions }),
    inbox: (q) => json('GET', `/inbox${query(q)}`),
    applications: (q) => json('GET', `/applications${query(q)}`),
    throughput: (q) => json('GET', `/metrics/throughput${query(q)}`),
    throughputCsv: async (q) => (await call('GET', `/metrics/throughput.csv${query(q)}`)).blob(),
    staff: (unit) => json('GET', `/staff${query({ unit })}`),
    units: () => json('GET', '/units'),
    policies: () => json('GET', '/policies'),
    policyDiff: (from, to) => json('GET', `/policies/diff${query({ from, to })}`),
    calendars: () => json('GET', '/calendars'),
    webhookEndpoints: (applicationId) => json('GET', `/webhook-endpoints${query({ applicationId })}`),
    registerWebhook: (body) => json('POST', '/webhook-endpoints', body),
    webhookAction: (id, action) => json('POST', `/webhook-endpoints/${encodeURIComponent(id)}/${action}`),
    webhookDeliveries: (id) => json('GET', `/webhook-endpoints/${encodeURIComponent(id)}/deliveries`),
    replayDelivery: (id) => json('POST', `/webhook-deliveries/${encodeURIComponent(id)}/replay`),
    ledgerEntries: (q) => json('GET', `/ledger/entries${query(q)}`),
    ledgerEntry: (id) => json('GET', `/ledger/entries/${encodeURIComponent(id)}`),
    registerLedgerEntry: (body) => json('POST', '/ledger/entries', body),
    recordLedgerChange: (id, body) => json('POST', `/ledger/entries/${encodeURIComponent(id)}/changes`, body),
    scorecard: (q) => json('GET', `/scorecard${query(q)}`),
    scorecardCsv: async (q) => (await call('GET', `/scorecard.csv${query(q)}`)).blob(),
    evaluation: (year) => json('GET', `/evaluations/${encodeURIComponent(year)}`),
    computeEvaluation: (year) => json('POST', `/evaluations/${encodeURIComponent(year)}`),
    approveEvaluation: (year) => json('POST', `/evaluations/${encodeURIComponent(year)}/approval`),
    fullEmploymentCommunities: (year) => json('GET', `/full-employment-communities/${encodeURIComponent(year)}`),
    flags: (q) => json('GET', `/verification/flags${query(q)}`),
    flag: (id) => json('GET', `/verification/flags/${encodeURIComponent(id)}`),
    disposeFlag: (id, body) => json('POST', `/verification/flags/${encodeURIComponent(id)}/disposition`, body),
    recheckRun: (month) => json('GET', `/verification/runs/${encodeURIComponent(month)}`),
    requestRecheckRun: (month) => json('POST', '/verification/runs', { month }),
  };
}
