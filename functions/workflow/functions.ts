/** The functions the approval workflow invokes, for the CDK stack and the local engine. */
export { transientErrorName } from '../kernel/runtime/transient-errors.js';

export const workflowSteps = {
  routeApplication: {
    entry: 'functions/workflow/steps/route-application.ts',
    name: 'RouteApplication',
    table: { actions: ['GetItem', 'Query', 'PutItem', 'UpdateItem'] },
  },
  awaitPerson: {
    entry: 'functions/workflow/steps/await-person.ts',
    name: 'AwaitPerson',
    table: { actions: ['UpdateItem'] },
  },
} as const;

/**
 * Functions that act on the applications from outside the executions: run by hand or by a
 * deploy (`rerouteWaiting`), or on a schedule (`sweepDeadlines`, every `everyMinutes`).
 */
export const workflowOperations = {
  rerouteWaiting: {
    entry: 'functions/workflow/scheduled/reroute-waiting.ts',
    name: 'RerouteWaiting',
    table: { actions: ['GetItem', 'BatchGetItem', 'Query', 'UpdateItem'], queries: ['stage-backlog'] },
  },
  sweepDeadlines: {
    entry: 'functions/workflow/scheduled/sweep-deadlines.ts',
    name: 'SweepDeadlines',
    everyMinutes: 1,
    table: { actions: ['GetItem', 'Query', 'PutItem', 'UpdateItem'], queries: ['deadline-due'] },
  },
  /** Starts, redrives or releases what a crash or an outage left behind (`functions/workflow/scheduled/reconcile.ts`). */
  reconcileExecutions: {
    entry: 'functions/workflow/scheduled/reconcile-executions.ts',
    name: 'ReconcileExecutions',
    everyMinutes: 15,
    table: { actions: ['GetItem', 'BatchGetItem', 'Query', 'UpdateItem'], queries: ['stage-backlog', 'waiting-tasks'] },
  },
} as const;
