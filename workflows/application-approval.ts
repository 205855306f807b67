/**
 * The approval workflow: one Standard execution per application, named by its id. It routes
 * and waits; the domain decides. The same loop serves every level of a city's approval chain,
 * so a city that adds a district level changes data, not states.
 *
 *   RouteApplication ──► NextStep ─┬─ await-decision ─────► AwaitDecision ─────┐ released by a person,
 *          ▲                ▲      ├─ await-resubmission ─► AwaitResubmission ─┤ with the next step
 *          │                │      ├─ route-again ──► RouteApplication         │
 *          │                │      └─ finish ─────────────► Finished           │
 *          │                └──────────────────────────────────────────────────┘
 *          └──────────── the longest wait passed (a safety net: 24 days) ──────┘
 *
 * A wait is for a person: deadline events (reminders, overdue with escalation) are recorded by
 * the deadline sweep (`functions/workflow/scheduled/sweep-deadlines.ts`) without waking the execution, so a
 * wait lasts until the person acts, or `$.route.waitSeconds` (the longest wait) passes and the
 * application is routed again. A person's action releases the wait with the next step already
 * computed, so NextStep follows it at once: an application approved at both levels takes 7
 * transitions, however long it waited. Whoever changes what is due otherwise (a new holiday
 * schedule) releases the waits with the "route again" signal.
 */
import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

/** State names, in the users' words; the local engine and the tests refer to them. */
export const approvalStates = {
  route: 'RouteApplication',
  nextStep: 'NextStep',
  awaitDecision: 'AwaitDecision',
  awaitResubmission: 'AwaitResubmission',
  finished: 'Finished',
} as const;

export interface ApplicationApprovalProps {
  /** Reads the application and answers the next step (`functions/workflow/steps/route-application.ts`). */
  routeApplication: lambda.IFunction;
  /** Records the callback token of a waiting execution (`functions/workflow/steps/await-person.ts`). */
  awaitPerson: lambda.IFunction;
  /**
   * The longest a wait for a person lasts before the application is routed again (the domain's
   * `longestWaitSeconds` when absent). Every wait ends: no execution can hang silently. Tests
   * shorten it to see deadlines changed behind the product's back recorded by a routing.
   */
  longestWait?: Duration;
  /**
   * The name under which the steps re-throw a transient failure (throttling, a 5xx, a cut
   * connection: `functions/kernel/runtime/transient-errors.ts`), retried for hours.
   */
  transientError: string;
}

/**
 * Lambda's own failures to run a function (service errors, throttling of the invoke, a function
 * that timed out or ran out of memory): transient by nature.
 */
const lambdaServiceErrors = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.Unknown',
];

/**
 * A transient failure is retried for hours, not minutes: an outage of the table or of Lambda must
 * not end an application's execution. Backoff from 2 s doubling to a 10-minute cap, with full
 * jitter (so thousands of executions do not retry in step after an outage): ≈ 17 minutes for the
 * first 10 attempts, then 50 more averaging 5 minutes, ≈ 4.5 hours in all (at most ≈ 9). Each
 * retry is a billed transition, paid only while a fault lasts: a fault-free run costs the same.
 */
export const transientRetry = {
  interval: Duration.seconds(2),
  backoffRate: 2,
  maxDelay: Duration.minutes(10),
  maxAttempts: 60,
  jitterStrategy: sfn.JitterType.FULL,
} as const;

/**
 * Anything else (a bug, data a step cannot read) is retried three times over ≈ 15 s, then the
 * execution fails; the reconciler (`functions/workflow/scheduled/reconcile-executions.ts`) redrives or restarts
 * it from the application's state, a bounded number of times, and the failure is alarmed.
 */
export const otherFailureRetry = {
  interval: Duration.seconds(2),
  backoffRate: 2,
  maxAttempts: 3,
} as const;

export class ApplicationApprovalWorkflow extends Construct {
  readonly definitionBody: sfn.DefinitionBody;

  constructor(scope: Construct, id: string, props: ApplicationApprovalProps) {
    super(scope, id);

    const route = new tasks.LambdaInvoke(this, approvalStates.route, {
      lambdaFunction: props.routeApplication,
      payloadResponseOnly: true,
      payload: sfn.TaskInput.fromObject({
        applicationId: sfn.JsonPath.stringAt('$.applicationId'),
        ...(props.longestWait ? { longestWaitSeconds: props.longestWait.toSeconds() } : {}),
      }),
      resultPath: '$.route',
      taskTimeout: sfn.Timeout.duration(Duration.seconds(30)),
      // Replaced by the retries below, which last hours instead of CDK's default six tries.
      retryOnServiceExceptions: false,
    });
    // A routing that timed out is transient too: routing is idempotent.
    route.addRetry({ errors: [props.transientError, ...lambdaServiceErrors, 'States.Timeout'], ...transientRetry });
    route.addRetry({ errors: ['States.TaskFailed'], ...otherFailureRetry });

    const nextStep = new sfn.Choice(this, approvalStates.nextStep);
    const awaitPerson = (stateName: string) => {
      const wait = new tasks.LambdaInvoke(this, stateName, {
        lambdaFunction: props.awaitPerson,
        integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
        payload: sfn.TaskInput.fromObject({
          applicationId: sfn.JsonPath.stringAt('$.applicationId'),
          version: sfn.JsonPath.numberAt('$.route.version'),
          stage: sfn.JsonPath.stringAt('$.route.stage'),
          taskToken: sfn.JsonPath.taskToken,
          // Stored with the token so that a restarted engine can resume this very state.
          waitingState: stateName,
          stateInput: sfn.JsonPath.entirePayload,
        }),
        // The release carries the next step: it becomes the route NextStep follows.
        resultPath: '$.route',
        taskTimeout: sfn.Timeout.at('$.route.waitSeconds'),
        retryOnServiceExceptions: false,
      });
      // Not States.Timeout: here it means the longest wait passed, caught below and routed again.
      // A retried wait records a new token; the old one was never recorded or is overwritten.
      wait.addRetry({ errors: [props.transientError, ...lambdaServiceErrors], ...transientRetry });
      wait.addRetry({ errors: ['States.TaskFailed'], ...otherFailureRetry });
      wait.addCatch(route, { errors: ['States.Timeout'], resultPath: sfn.JsonPath.DISCARD });
      return wait.next(nextStep);
    };

    nextStep
      .when(sfn.Condition.stringEquals('$.route.action', 'await-decision'), awaitPerson(approvalStates.awaitDecision))
      .when(
        sfn.Condition.stringEquals('$.route.action', 'await-resubmission'),
        awaitPerson(approvalStates.awaitResubmission),
      )
      .when(sfn.Condition.stringEquals('$.route.action', 'route-again'), route)
      .otherwise(new sfn.Succeed(this, approvalStates.finished, { outputPath: '$.route' }));

    this.definitionBody = sfn.DefinitionBody.fromChainable(route.next(nextStep));
  }
}
