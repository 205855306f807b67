/**
 * The approval workflow: one Standard execution per application, named by its id. It routes
 * and waits; the domain (behind RouteApplication) decides. The same loop serves every level of
 * a city's approval chain, so a city that adds a district level changes data, not states.
 *
 *   RouteApplication ──► NextStep ─┬─ await-decision ─────► AwaitDecision ─────┐
 *          ▲                       ├─ await-resubmission ─► AwaitResubmission ─┤
 *          │                       └─ finish ─────────────► Finished           │
 *          └──────────── released by a person's action, or woken by the timeout ┘
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
  /** Reads the application and answers the next step (`functions/steps/route-application.ts`). */
  routeApplication: lambda.IFunction;
  /** Records the callback token of a waiting execution (`functions/steps/await-person.ts`). */
  awaitPerson: lambda.IFunction;
  /**
   * How long a wait lasts before the execution wakes to check deadlines and waits again.
   * Every wait ends: no execution can hang silently.
   */
  wakeUpEvery?: Duration;
}

export class ApplicationApprovalWorkflow extends Construct {
  readonly definitionBody: sfn.DefinitionBody;

  constructor(scope: Construct, id: string, props: ApplicationApprovalProps) {
    super(scope, id);
    const wakeUpEvery = props.wakeUpEvery ?? Duration.days(1);

    const route = new tasks.LambdaInvoke(this, approvalStates.route, {
      lambdaFunction: props.routeApplication,
      payloadResponseOnly: true,
      payload: sfn.TaskInput.fromObject({ applicationId: sfn.JsonPath.stringAt('$.applicationId') }),
      resultPath: '$.route',
      taskTimeout: sfn.Timeout.duration(Duration.seconds(30)),
    });
    // A throttled or briefly failing table must not end an application's execution.
    route.addRetry({
      errors: ['States.TaskFailed', 'States.Timeout'],
      interval: Duration.seconds(2),
      maxAttempts: 6,
      backoffRate: 2,
      maxDelay: Duration.minutes(2),
      jitterStrategy: sfn.JitterType.FULL,
    });

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
        resultPath: '$.released',
        taskTimeout: sfn.Timeout.duration(wakeUpEvery),
      });
      wait.addCatch(route, { errors: ['States.Timeout'], resultPath: sfn.JsonPath.DISCARD });
      return wait.next(route);
    };

    const nextStep = new sfn.Choice(this, approvalStates.nextStep)
      .when(sfn.Condition.stringEquals('$.route.action', 'await-decision'), awaitPerson(approvalStates.awaitDecision))
      .when(
        sfn.Condition.stringEquals('$.route.action', 'await-resubmission'),
        awaitPerson(approvalStates.awaitResubmission),
      )
      .otherwise(new sfn.Succeed(this, approvalStates.finished, { outputPath: '$.route' }));

    this.definitionBody = sfn.DefinitionBody.fromChainable(route.next(nextStep));
  }
}
