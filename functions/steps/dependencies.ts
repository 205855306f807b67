/** What the workflow's steps act on; production wiring reads the environment once per container. */

import { type ApprovalWorkflow, workflowFromEnvironment } from '../sfn/executions.js';
import { type ApplicationRepository, applicationRepository } from '../store/applications.js';
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
