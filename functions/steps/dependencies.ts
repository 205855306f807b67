/** What the workflow's steps act on; production wiring reads the environment once per container. */
import { applicationRepository, type ApplicationRepository } from '../store/applications.js';
import { tableFromEnvironment } from '../store/table.js';
import { workflowFromEnvironment, type ApprovalWorkflow } from '../sfn/executions.js';

export interface StepDependencies {
  applications: ApplicationRepository;
  workflow: ApprovalWorkflow;
  now: () => Date;
}

export function productionStepDependencies(): StepDependencies {
  return {
    applications: applicationRepository(tableFromEnvironment()),
    workflow: workflowFromEnvironment(),
    now: () => new Date(),
  };
}

/** Builds a step's production handler on its first invocation, so importing it needs no environment. */
export function onFirstInvocation<E, R>(build: () => (event: E) => Promise<R>): (event: E) => Promise<R> {
  let built: ((event: E) => Promise<R>) | undefined;
  return (event) => (built ??= build())(event);
}
