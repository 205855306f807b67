/** The functions the approval workflow invokes, for the CDK stack and the local engine. */
export const workflowSteps = {
  routeApplication: { entry: 'functions/steps/route-application.ts', name: 'RouteApplication' },
  awaitPerson: { entry: 'functions/steps/await-person.ts', name: 'AwaitPerson' },
} as const;
