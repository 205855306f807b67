/** What the workflow's steps act on; production wiring reads the environment once per container. */

import { type ApprovalWorkflow, workflowFromEnvironment } from '../sfn/executions.js';
import { type ApplicationRepository, applicationRepository } from '../store/applications.js';
import { type DeadlineIndex, deadlineIndex } from '../store/deadlines.js';
import { type PolicyOfApplication, policyRepository } from '../store/policies.js';
import { tableFromEnvironment } from '../store/table.js';

export interface StepDependencies {
  applications: ApplicationRepository;
  workflow: ApprovalWorkflow;
  policies: PolicyOfApplication;
  now: () => Date;
}

export function productionStepDependencies(): StepDependencies {
  const table = tableFromEnvironment();
  return {
    applications: applicationRepository(table),
    policies: policyRepository(table),
    workflow: workflowFromEnvironment('releases-tasks'),
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
