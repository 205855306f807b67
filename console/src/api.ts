/**
 * The one typed client of the HTTP API: every call the console makes is here, so a change to a
 * route is one edit. Refusals come back as `ApiError` with the problem's field errors; a 401 tells
 * the session (the form stays as it was, and the person signs in again).
 */
import type { EligibilityVerdict, Entitlement } from '../../functions/applications/domain/eligibility-verdict.js';
import type { EmploymentKind, LedgerStatus } from '../../functions/employment/domain/employment-ledger.js';
import type { CommunityStanding, Evaluation, Scorecard } from '../../functions/employment/domain/full-employment.js';
import type { ProgrammeId } from '../../functions/kernel/domain/programmes.js';
import type { Throughput } from '../../functions/monitoring/domain/throughput-report.js';

/** `GET /evaluations/{year}`: the city's evaluation as computed, or approved (then final). */
export type { CommunityStanding, EmploymentKind, Evaluation, LedgerStatus, Scorecard, Throughput };

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

export type Role =
  | 'community-staff'
  | 'street-approver'
  | 'district-approver'
  | 'city-approver'
  | 'city-monitor'
  | 'city-admin';

export interface Assignment {
  role: Role;
  unit: string;
}

export interface Me {
  sub: string;
  name: string;
  cityId: string;
  assignments: Assignment[];
}

export interface EligibilityAnswer {
  eligible: boolean;
  eligibility: EligibilityVerdict;
  entitlement?: Entitlement;
  policyVersion?: string;
}

export interface InboxItem {
  id: string;
  stage: string | null;
  programme: ProgrammeId;
  applicant: { name: string; idNumber: string };
  communityId: string;
  submittedAt: string;
  stageEnteredAt: string;
  dueAt?: string;
  daysWaiting: number;
  overdue: boolean;
  escalatedTo?: string;
  returnRound: number;
  version: number;
}

export interface Inbox {
  unit: string;
  stage: string;
  counts: Record<string, number>;
  items: InboxItem[];
  nextCursor?: string;
  escalated: { items: InboxItem[]; nextCursor?: string };
}

/** A line of `GET /applications`: the applicant's name as the caller may see it. */
export interface ListedApplication {
  id: string;
  status: string;
  stage: string | null;
  programme: ProgrammeId;
  applicant: { name: string; idNumber: string };
  submittedAt: string;
  updatedAt: string;
  returnRound: number;
  version: number;
}

export interface ApplicationList {
  communityId: string;
  items: ListedApplication[];
  nextCursor?: string;
}

export interface HistoryEntry {
  seq: number;
  at: string;
  action: string;
  stage: string | null;
  actor: { sub: string; role: string; unit: string };
  reason?: string;
  comment?: string;
  escalatedTo?: string;
  grantedFen?: number;
  status: string;
  stageAfter: string | null;
  version: number;
}

export type DecisionKind = 'approve' | 'reject' | 'return';

export interface ApplicationView extends EligibilityAnswer {
  id: string;
  programme: ProgrammeId;
  status: string;
  stage: string | null;
  returnedFrom?: string;
  version: number;
  availableDecisions: DecisionKind[];
  rejectionReasons?: { code: string; zh: string; en: string; needsComment?: boolean }[];
  returnRound: number;
  dueAt?: string;
  overdue: boolean;
  escalatedTo?: string;
  communityId: string;
  unitPath: string[];
  submittedAt: string;
  updatedAt: string;
  applicant: Record<string, unknown>;
  details: Record<string, unknown>;
  documents: { kind: string; ref: string }[];
  historyIntact?: boolean;
  historyFindings?: string[];
  history?: HistoryEntry[];
}

export interface ThroughputQuery {
  from: string;
  to: string;
  unit?: string;
  programme?: string;
  granularity: 'day' | 'week' | 'month';
}

export interface WebhookEndpoint {
  id: string;
  url: string;
  events: string[];
  status: string;
  [more: string]: unknown;
}

export interface WebhookDelivery {
  id: string;
  eventType: string;
  seq: number;
  status: string;
  attempts: { at: string; statusCode?: number; durationMs?: number; error?: string; nextRetryAt?: string }[];
  nextAttemptAt?: string;
  [more: string]: unknown;
}

export interface LedgerHousehold {
  id: string;
  communityId: string;
  label?: string;
  members: { entryId: string; status: LedgerStatus }[];
  zeroEmployment: boolean;
  zeroSince?: string;
  episodes: { from: string; to?: string }[];
  version: number;
}

/** A ledger entry as the API shows it (name and phone only to the community's own staff; the ID masked). */
export interface LedgerEntry {
  id: string;
  communityId: string;
  householdId: string;
  registeredOn: string;
  status: LedgerStatus;
  employment?: EmploymentKind;
  statusSince: string;
  certificateHolder: boolean;
  version: number;
  idNumber: string;
  name?: string;
  phone?: string;
  applications: string[];
  /** The entry the person held in the community they moved from. */
  previousEntryId?: string;
  household?: LedgerHousehold;
  history?: {
    seq: number;
    at: string;
    on: string;
    action: string;
    actor: { sub: string; role: string; unit: string };
    statusBefore?: LedgerStatus;
    status: LedgerStatus;
    employment?: EmploymentKind;
    evidence?: { kind: string; reference?: string };
    householdEffect?: string;
  }[];
  historyIntact?: boolean;
  [more: string]: unknown;
}

export interface Client {
  me(): Promise<Me>;
  checkEligibility(body: unknown): Promise<EligibilityAnswer>;
  submit(body: unknown, idempotencyKey: string): Promise<ApplicationView>;
  application(id: string): Promise<ApplicationView>;
  decide(
    id: string,
    body: { decision: DecisionKind; expectedVersion: number; reason?: string; comment?: string },
  ): Promise<ApplicationView>;
  resubmit(id: string, body: Record<string, unknown>): Promise<ApplicationView>;
  withdraw(id: string, body: { expectedVersion: number; comment?: string }): Promise<ApplicationView>;
  batchApprove(decisions: { applicationId: string; expectedVersion: number }[]): Promise<{
    succeeded: number;
    failed: number;
    results: { applicationId: string; status: number; [more: string]: unknown }[];
  }>;
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
  staff(unit?: string): Promise<{ unit: string; items: Record<string, unknown>[] }>;
  units(): Promise<{
    cityId: string;
    version: number;
    units: { id: string; name: string; parent?: string; level: string }[];
  }>;
  policies(): Promise<{ items: Record<string, unknown>[] } & Record<string, unknown>>;
  policyDiff(from: string, to: string): Promise<{ changes: { path: string; from?: unknown; to?: unknown }[] }>;
  calendars(): Promise<Record<string, unknown>>;
  webhookEndpoints(applicationId: string): Promise<{ items: WebhookEndpoint[] }>;
  registerWebhook(body: {
    url: string;
    events: string[];
    applicationId: string;
  }): Promise<WebhookEndpoint & { secret: string }>;
  webhookAction(id: string, action: 'pause' | 'resume' | 'rotate-secret'): Promise<Record<string, unknown>>;
  webhookDeliveries(endpointId: string): Promise<{ items: WebhookDelivery[] }>;
  replayDelivery(deliveryId: string): Promise<unknown>;
  ledgerEntries(q: { community?: string; status?: string; zeroEmployment?: string }): Promise<{
    community: string;
    count: number;
    entries: LedgerEntry[];
    households: LedgerHousehold[];
  }>;
  ledgerEntry(id: string): Promise<LedgerEntry>;
  registerLedgerEntry(body: unknown): Promise<LedgerEntry>;
  recordLedgerChange(id: string, body: unknown): Promise<LedgerEntry>;
  scorecard(q: { period: string; unit?: string }): Promise<Scorecard>;
  /** Where the scorecard's CSV is read (the link carries no token: fetched through `download`). */
  scorecardCsv(q: { period: string; unit?: string }): Promise<Blob>;
  evaluation(year: string): Promise<Evaluation>;
  computeEvaluation(year: string): Promise<Evaluation>;
  approveEvaluation(year: string): Promise<Evaluation>;
  fullEmploymentCommunities(year: string): Promise<{
    year: string;
    approvedAt?: string;
    communities: { communityId: string; communityName?: string }[];
  }>;
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
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)]))}` : '';
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
  };
}
