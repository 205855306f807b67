/** What the workflow's steps act on; production wiring reads the environment once per container. */

import { type ApprovalWorkflow, workflowFromEnvironment } from '../sfn/executions.js';
import { type ApplicationRepository, applicationRepository } from '../store/applications.js';
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
