/** What the API handlers act on, passed in so tests can hand over their own; production wiring below. */
import { randomUUID } from 'node:crypto';
import { type ApprovalWorkflow, workflowFromEnvironment } from '../sfn/executions.js';
import { environment } from '../shared/environment.js';
import { lambdaMetricsPublisher, type TransitionMetricsPublisher } from '../shared/metrics.js';
import { type ApplicationRepository, applicationRepository } from '../store/applications.js';
import { type CalendarRepository, calendarRepository } from '../store/calendars.js';
import { type InboxRepository, inboxRepository } from '../store/inbox.js';
import { type PolicyRepository, policyRepository } from '../store/policies.js';
import { tableFromEnvironment } from '../store/table.js';
import { type UnitRepository, unitRepository } from '../store/units.js';
import { type ActorResolver, productionActorResolver } from './actor-resolver.js';

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
  /** Secret for the keyed hash of resident ID numbers. */
  residentIdSecret: string;
  /** Publishes the metrics of a person's change (EMF on Lambda). */
  publishMetrics: TransitionMetricsPublisher;
}

/** Intake (submit, resubmit) also seals the resident ID; only their bundles carry the KMS client that does it. */
export interface IntakeDependencies extends ApiDependencies {
  /** Encrypts a clear resident ID number into the opaque string stored beside its keyed hash. */
  sealResidentId: (clear: string) => Promise<string>;
}

/** `workflow`: whether the route addresses the state machine itself (intake starts executions) or only releases tasks. */
export function productionDependencies(
  workflow: Parameters<typeof workflowFromEnvironment>[0] = 'releases-tasks',
): ApiDependencies {
  const { RESIDENT_ID_KEY, AWS_LAMBDA_FUNCTION_NAME } = environment('RESIDENT_ID_KEY', 'AWS_LAMBDA_FUNCTION_NAME');
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
    residentIdSecret: RESIDENT_ID_KEY,
    publishMetrics: lambdaMetricsPublisher(AWS_LAMBDA_FUNCTION_NAME !== undefined),
  };
}
