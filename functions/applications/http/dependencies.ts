/** What the API handlers act on, passed in so tests can hand over their own; production wiring below. */

import { randomUUID } from 'node:crypto';
import {
  type ActorResolver,
  type CalendarRepository,
  calendarRepository,
  type PolicyRepository,
  policyRepository,
  productionActorResolver,
  type UnitRepository,
  unitRepository,
} from '../../administration/index.js';
import { type ApprovalWorkflow, workflowFromEnvironment } from '../../kernel/adapters/approval-workflow.js';
import { environment } from '../../kernel/runtime/environment.js';
import { lambdaMetricsPublisher, type TransitionMetricsPublisher } from '../../kernel/runtime/metrics.js';
import { secretValue } from '../../kernel/runtime/secrets.js';
import { type ReadAuditRepository, readAuditRepository } from '../../kernel/store/read-audit.js';
import { tableFromEnvironment } from '../../kernel/store/table.js';
import { cityDataExchange, type DataExchange } from '../../verification/index.js';
import { type ApplicationRepository, applicationRepository } from '../store/applications.js';
import { type InboxRepository, inboxRepository } from '../store/inbox.js';
import { type NoticeRepository, noticeRepository } from '../store/notices.js';

export interface ApiDependencies {
  /** Who calls, as what: the staff directory's assignment of the person the token proves. */
  resolveActor: ActorResolver;
  applications: ApplicationRepository;
  inbox: InboxRepository;
  units: UnitRepository;
  /** The city's policy versions: the one in force, the one an application was submitted under. */
  policies: Pick<PolicyRepository, 'inForce' | 'ofApplication'>;
  /** The city's working-day calendars (days waiting in the inbox). */
  calendars: Pick<CalendarRepository, 'of'>;
  workflow: ApprovalWorkflow;
  now: () => Date;
  newApplicationId: () => string;
  /** Publishes the metrics of a person's change (EMF on Lambda). */
  publishMetrics: TransitionMetricsPublisher;
}

/** The inbox and its acknowledgements: what a person or their community is told (a grant suspended). */
export interface NoticesDependency {
  notices: Pick<NoticeRepository, 'of' | 'acknowledge'>;
}

export function productionNotices(): NoticesDependency {
  return { notices: noticeRepository(tableFromEnvironment()) };
}

/** The routes that answer an application's personal data: they record each read first. */
export interface ReadAuditDependency {
  readAudit: Pick<ReadAuditRepository, 'record'>;
}

export function productionReadAudit(): ReadAuditDependency {
  return { readAudit: readAuditRepository(tableFromEnvironment()) };
}

/** The routes that hash resident ID numbers (intake, the people export): only they are granted the secret. */
export interface ResidentIdKeyDependency {
  /** Key of the keyed hash of resident ID numbers (Secrets Manager, read at cold start). */
  residentIdSecret: string;
}

/** The key of the keyed hash, read from Secrets Manager (only the routes granted it can). */
export async function residentIdKeyDependency(): Promise<ResidentIdKeyDependency> {
  return { residentIdSecret: await secretValue('residentIdKey') };
}

/** Intake and its dry run ask the records of other offices (verification). */
export interface DataExchangeDependency {
  dataExchange: DataExchange;
}

/** The deployment's exchange (snapshots or signed HTTP, per the city's policy), with the policies in force. */
export function productionDataExchangeDependency(residentIdSecret: string): DataExchangeDependency {
  const table = tableFromEnvironment();
  return { dataExchange: cityDataExchange(table, policyRepository(table), residentIdSecret) };
}

/** Intake (submit, resubmit) also seals the resident ID; only their bundles carry the KMS client that does it. */
export interface IntakeDependencies extends ApiDependencies, ResidentIdKeyDependency {
  /** Encrypts a clear resident ID number into the opaque string stored beside its keyed hash. */
  sealResidentId: (clear: string) => Promise<string>;
}

/** `workflow`: whether the route addresses the state machine itself (intake starts executions) or only releases tasks. */
export function productionDependencies(
  workflow: Parameters<typeof workflowFromEnvironment>[0] = 'releases-tasks',
): ApiDependencies {
  const { AWS_LAMBDA_FUNCTION_NAME } = environment('AWS_LAMBDA_FUNCTION_NAME');
  const table = tableFromEnvironment();
  return {
    resolveActor: productionActorResolver(),
    applications: applicationRepository(table),
    inbox: inboxRepository(table),
    units: unitRepository(table),
    policies: policyRepository(table),
    calendars: calendarRepository(table),
    workflow: workflowFromEnvironment(workflow),
    now: () => new Date(),
    newApplicationId: randomUUID,
    publishMetrics: lambdaMetricsPublisher(AWS_LAMBDA_FUNCTION_NAME !== undefined),
  };
}
