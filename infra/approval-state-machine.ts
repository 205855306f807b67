/**
 * The approval workflow as deployed: the two functions its states invoke and the Standard state
 * machine that runs `workflows/application-approval.ts`, one execution per application.
 */
import { ArnFormat, type CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { transientErrorName, workflowOperations, workflowSteps } from '../functions/workflow/functions.js';
import { ApplicationApprovalWorkflow } from '../workflows/application-approval.js';
import type { HistoryMacKey } from './history-mac-key.js';
import { retainedLogGroup } from './operations-key.js';
import { SubsidyFunction } from './subsidy-function.js';

export interface ApprovalStateMachineProps {
  table: dynamodb.ITable;
  /** Routing records deadline events: it MACs them with the history's key. */
  historyMac: HistoryMacKey;
  /** The longest a wait for a person lasts before the application is routed again; see the workflow. */
  longestWait?: Duration;
}

const stepTimeout = Duration.seconds(30);

export class ApprovalStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly routeApplication: SubsidyFunction;
  readonly awaitPerson: SubsidyFunction;
  /** Releases every waiting execution with "route again": invoke it after changing holiday schedules or deadlines. */
  readonly rerouteWaiting: SubsidyFunction;
  /** Records the deadline events that fall due (reminder, overdue, escalation), on a schedule, without waking an execution. */
  readonly sweepDeadlines: SubsidyFunction;
  /** Starts, redrives or releases what a crash or an outage left behind, on a schedule. */
  readonly reconcileExecutions: SubsidyFunction;

  constructor(scope: Construct, id: string, props: ApprovalStateMachineProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const stateMachineName = `${stack.stackName}-application-approval`;

    this.routeApplication = new SubsidyFunction(this, workflowSteps.routeApplication.name, {
      entry: workflowSteps.routeApplication.entry,
      timeout: stepTimeout,
      description: 'Approval workflow: reads the application and answers its next step',
    });
    this.routeApplication.bindTable(props.table, workflowSteps.routeApplication.table);
    props.historyMac.bindTo(this.routeApplication, 'write');

    this.awaitPerson = new SubsidyFunction(this, workflowSteps.awaitPerson.name, {
      entry: workflowSteps.awaitPerson.entry,
      timeout: stepTimeout,
      description: 'Approval workflow: stores the callback token of an execution that waits for a person',
    });
    this.awaitPerson.bindTable(props.table, workflowSteps.awaitPerson.table);
    // AwaitPerson releases its own token when the application moved on before the token was
    // stored, so it needs task-response rights on the very machine that invokes it. Granting on
    // `stateMachine.stateMachineArn` would close a cycle (machine → function → function's
    // policy → machine); the machine has a fixed name, so its ARN is formed from that instead.
    const byName = sfn.StateMachine.fromStateMachineArn(
      this,
      'ByName',
      stack.formatArn({
        service: 'states',
        resource: 'stateMachine',
        resourceName: stateMachineName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    );
    this.awaitPerson.bindWorkflow(byName, { release: true });

    this.rerouteWaiting = new SubsidyFunction(this, workflowOperations.rerouteWaiting.name, {
      entry: workflowOperations.rerouteWaiting.entry,
      timeout: Duration.minutes(15),
      reservedConcurrentExecutions: 1,
      description:
        'Approval workflow: routes every waiting execution again after a holiday schedule or deadline change',
    });
    this.rerouteWaiting.bindTable(props.table, workflowOperations.rerouteWaiting.table);
    this.rerouteWaiting.bindWorkflow(byName, { release: true });

    const { sweepDeadlines } = workflowOperations;
    this.sweepDeadlines = new SubsidyFunction(this, sweepDeadlines.name, {
      entry: sweepDeadlines.entry,
      timeout: Duration.minutes(5),
      reservedConcurrentExecutions: 1,
      description: 'Deadlines: records the reminders and overdue stages the deadline-due index says are due',
    });
    this.sweepDeadlines.bindTable(props.table, sweepDeadlines.table);
    // The sweep records deadline events into the history: it MACs them with the history's key.
    props.historyMac.bindTo(this.sweepDeadlines, 'write');
    new events.Rule(this, 'DeadlineSweep', {
      description: 'Deadlines: every minute, record the deadline events that have fallen due',
      schedule: events.Schedule.rate(Duration.minutes(sweepDeadlines.everyMinutes)),
      targets: [new targets.LambdaFunction(this.sweepDeadlines, { retryAttempts: 0 })],
    });

    const { reconcileExecutions } = workflowOperations;
    this.reconcileExecutions = new SubsidyFunction(this, reconcileExecutions.name, {
      entry: reconcileExecutions.entry,
      timeout: Duration.minutes(15),
      reservedConcurrentExecutions: 1,
      description:
        'Approval workflow: starts missing executions, redrives failed ones, releases decisions whose release failed',
    });
    this.reconcileExecutions.bindTable(props.table, reconcileExecutions.table);
    this.reconcileExecutions.bindWorkflow(byName, { start: true, release: true, repair: true });
    Validations.of(this.reconcileExecutions.role as iam.IRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${stateMachineName}:*]`,
      reason:
        "The reconciler describes and redrives this state machine's executions, named at run time by application id; the ARN is scoped to this one machine's executions",
    });
    new events.Rule(this, 'ReconcileSchedule', {
      description: `Approval workflow: every ${reconcileExecutions.everyMinutes} minutes, heal executions a crash or an outage left behind`,
      schedule: events.Schedule.rate(Duration.minutes(reconcileExecutions.everyMinutes)),
      targets: [new targets.LambdaFunction(this.reconcileExecutions, { retryAttempts: 0 })],
    });

    const workflow = new ApplicationApprovalWorkflow(this, 'Workflow', {
      routeApplication: this.routeApplication,
      awaitPerson: this.awaitPerson,
      longestWait: props.longestWait,
      transientError: transientErrorName,
    });

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: workflow.definitionBody,
      tracingEnabled: true,
      logs: {
        destination: retainedLogGroup(this, 'Logs'),
        // Every event (AwsSolutions-SF1): the trail of each transition, without its data.
        level: sfn.LogLevel.ALL,
        // Execution input and output carry applicants' personal data: keep them out of the logs.
        includeExecutionData: false,
      },
    });
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing of executions: xray:PutTraceSegments, PutTelemetryRecords, GetSamplingRules and GetSamplingTargets support no resource-level permissions, so IAM can grant them only on *',
    });
    for (const step of [this.routeApplication, this.awaitPerson])
      Validations.of(this.stateMachine).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(step.node.defaultChild as CfnElement)}.Arn>:*]`,
        reason: `The state machine invokes ${step.node.id} by its unqualified ARN; the ':*' CDK adds covers that one function's versions and aliases, nothing else`,
      });
  }
}
