/** What the workflow's steps act on; production wiring reads the environment once per container. */

import { type PolicyOfApplication, policyRepository } from '../../administration/index.js';
import {
  type ApplicationRepository,
  applicationRepository,
  type DeadlineIndex,
  deadlineIndex,
} from '../../applications/index.js';
import { type ApprovalWorkflow, workflowFromEnvironment } from '../../kernel/adapters/approval-workflow.js';
import { tableFromEnvironment } from '../../kernel/store/table.js';
import { type PendingChecksRepository, pendingChecksRepository } from '../../verification/index.js';

export interface StepDependencies {
  applications: ApplicationRepository;
  workflow: ApprovalWorkflow;
  policies: PolicyOfApplication;
  /** Where a routing marks checks too old to decide on, for the re-runner. */
  pendingChecks: Pick<PendingChecksRepository, 'mark'>;
  now: () => Date;
}

export function productionStepDependencies(): StepDependencies {
  const table = tableFromEnvironment();
  return {
    applications: applicationRepository(table),
    policies: policyRepository(table),
    workflow: workflowFromEnvironment('releases-tasks'),
    pendingChecks: pendingChecksRepository(table),
    now: () => new Date(),
  };
}

/** What the deadline sweep acts on: the applications and the index of what falls due, never an execution. */
export interface SweepDependencies {
  applications: ApplicationRepository;
  deadlines: DeadlineIndex;
  policies: PolicyOfApplication;
  now: () => Date;
}

export function productionSweepDependencies(): SweepDependencies {
  const table = tableFromEnvironment();
  return {
    applications: applicationRepository(table),
    deadlines: deadlineIndex(table),
    policies: policyRepository(table),
    now: () => new Date(),
  };
}
