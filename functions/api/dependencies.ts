/** What the API handlers act on, passed in so tests can hand over their own; production wiring below. */
import { randomUUID } from 'node:crypto';
import { applicationRepository, type ApplicationRepository } from '../store/applications.js';
import { inboxRepository, type InboxRepository } from '../store/inbox.js';
import { tableFromEnvironment } from '../store/table.js';
import { unitRepository, type UnitRepository } from '../store/units.js';
import { workflowFromEnvironment, type ApprovalWorkflow } from '../sfn/executions.js';

export interface ApiDependencies {
  applications: ApplicationRepository;
  inbox: InboxRepository;
  units: UnitRepository;
  workflow: ApprovalWorkflow;
  now: () => Date;
  newApplicationId: () => string;
  /** Secret for the keyed hash of resident ID numbers. */
  residentIdSecret: string;
}

/** Intake (submit, resubmit) also seals the resident ID; only their bundles carry the KMS client that does it. */
export interface IntakeDependencies extends ApiDependencies {
  /** Encrypts a clear resident ID number into the opaque string stored beside its keyed hash. */
  sealResidentId: (clear: string) => Promise<string>;
}

export function productionDependencies(): ApiDependencies {
  const table = tableFromEnvironment();
  const residentIdSecret = process.env.RESIDENT_ID_KEY;
  if (!residentIdSecret || residentIdSecret.length < 32) {
    throw new Error('RESIDENT_ID_KEY is not set or shorter than 32 characters');
  }
  return {
    applications: applicationRepository(table),
    inbox: inboxRepository(table),
    units: unitRepository(table),
    workflow: workflowFromEnvironment(),
    now: () => new Date(),
    newApplicationId: randomUUID,
    residentIdSecret,
  };
}
