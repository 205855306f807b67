/** The functions the approval workflow invokes, for the CDK stack and the local engine. */
export const workflowSteps = {
  routeApplication: { entry: 'functions/steps/route-application.ts', name: 'RouteApplication' },
  awaitPerson: { entry: 'functions/steps/await-person.ts', name: 'AwaitPerson' },
} as const;

/** Functions that act on the workflow's executions from outside: run by hand or by a deploy. */
export const workflowOperations = {
  rerouteWaiting: { entry: 'functions/steps/reroute-waiting.ts', name: 'RerouteWaiting' },
} as const;
