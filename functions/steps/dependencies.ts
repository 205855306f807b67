/** What the workflow's steps act on; production wiring reads the environment once per container. */

import { type ApprovalWorkflow, workflowFromEnvironment } from '../sfn/executions.js';
import { type ApplicationRepository, applicationRepository } from '../store/applications.js';
import { type DeadlineIndex, deadlineIndex } from '../store/deadlines.js';
import { tableFromEnvironment } from '../store/table.js';

export interface StepDependencies {
  applications: ApplicationRepository;
  workflow: ApprovalWorkflow;
  now: () => Date;
}

export function productionStepDependencies(): StepDependencies {
  return {
    applications: applicationRepository(tableFromEnvironment()),
    workflow: workflowFromEnvironment('releases-tasks'),
    now: () => new Date(),
  };
}

/** What the deadline sweep acts on: the applications and the index of what falls due, never an execution. */
export interface SweepDependencies {
  applications: ApplicationRepository;
  deadlines: DeadlineIndex;
  now: () => Date;
}

export function productionSweepDependencies(): SweepDependencies {
  const table = tableFromEnvironment();
  return { applications: applicationRepository(table), deadlines: deadlineIndex(table), now: () => new Date() };
}
