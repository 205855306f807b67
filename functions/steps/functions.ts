/** The functions the approval workflow invokes, for the CDK stack and the local engine. */
export { transientErrorName } from '../shared/transient-errors.js';

export const workflowSteps = {
  routeApplication: { entry: 'functions/steps/route-application.ts', name: 'RouteApplication' },
  awaitPerson: { entry: 'functions/steps/await-person.ts', name: 'AwaitPerson' },
} as const;

/**
 * Functions that act on the applications from outside the executions: run by hand or by a
 * deploy (`rerouteWaiting`), or on a schedule (`sweepDeadlines`, every `everyMinutes`).
 */
export const workflowOperations = {
  rerouteWaiting: { entry: 'functions/steps/reroute-waiting.ts', name: 'RerouteWaiting' },
  sweepDeadlines: { entry: 'functions/steps/sweep-deadlines.ts', name: 'SweepDeadlines', everyMinutes: 1 },
  /** Starts, redrives or releases what a crash or an outage left behind (`functions/sfn/reconcile.ts`). */
  reconcileExecutions: {
    entry: 'functions/steps/reconcile-executions.ts',
    name: 'ReconcileExecutions',
    everyMinutes: 15,
  },
} as const;
