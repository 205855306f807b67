/**
 * Monitoring on AWS: the throughput aggregator (a second consumer of the table's stream that keeps
 * the counters `GET /metrics/throughput` reads), a probe that publishes what waits at each stage
 * every five minutes, a CloudWatch dashboard of the flow, and alarms on failed executions, the
 * API's 5xx rate, the oldest waiting application and the end of the holiday schedules. The
 * handlers publish their metrics as EMF log lines (`functions/kernel/runtime/metrics.ts`), so none of them
 * needs cloudwatch:PutMetricData.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  addNextCalendarHint,
  backlogStages,
  holidayCalendarWarningDays,
  metricsNamespace,
  monitoringFunctions,
} from '../functions/monitoring/functions.js';
import { historyEventSource } from './application-table.js';
import { SubsidyFunction } from './subsidy-function.js';

export interface MonitoringProps {
  table: dynamodb.ITable;
  stateMachine: sfn.IStateMachine;
  httpApi: HttpApi;
}

const fiveMinutes = Duration.minutes(5);
/** A decision stage has 10 working days; an application waiting 20 calendar days at one is stuck, whatever the holidays. */
export const oldestWaitingAlarmDays = 20;
/** Percent of API requests answered 5xx over five minutes, twice running. */
export const api5xxRateAlarmPercent = 1;

export class Monitoring extends Construct {
  readonly aggregator: SubsidyFunction;
  readonly backlogProbe: SubsidyFunction;
  readonly aggregatorDeadLetters: sqs.Queue;
  readonly dashboard: cloudwatch.Dashboard;
  readonly failedExecutionsAlarm: cloudwatch.Alarm;
  readonly api5xxRateAlarm: cloudwatch.Alarm;
  readonly oldestWaitingAlarm: cloudwatch.Alarm;
  readonly holidayCalendarAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);

    this.aggregatorDeadLetters = new sqs.Queue(this, 'AggregatorDeadLetters', {
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    Validations.of(this.aggregatorDeadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself a dead-letter queue (the aggregator's stream failures land here, alarmed below); a dead-letter queue of its own would only move the same messages one step further",
    });
    this.aggregator = new SubsidyFunction(this, monitoringFunctions.aggregator.name, {
      entry: monitoringFunctions.aggregator.entry,
      timeout: Duration.seconds(60),
      description: 'Throughput: counts each new history event into the per-unit day counters, exactly once',
    });
    this.aggregator.bindTable(props.table, monitoringFunctions.aggregator.table);
    this.aggregator.readsStream(historyEventSource(props.table, this.aggregatorDeadLetters));

    this.backlogProbe = new SubsidyFunction(this, monitoringFunctions.backlogProbe.name, {
      entry: monitoringFunctions.backlogProbe.entry,
      timeout: Duration.seconds(60),
      reservedConcurrentExecutions: 1,
      description:
        "Monitoring: publishes what waits at each stage, what is overdue, the oldest wait and the holiday schedules' reach",
    });
    this.backlogProbe.bindTable(props.table, monitoringFunctions.backlogProbe.table);
    new events.Rule(this, 'BacklogProbeSchedule', {
      description: 'Monitoring: every five minutes, publish the backlog per stage and the oldest waiting application',
      schedule: events.Schedule.rate(fiveMinutes),
      targets: [new targets.LambdaFunction(this.backlogProbe, { retryAttempts: 0 })],
    });

    const ours = (metricName: string, dimensionsMap: Record<string, string> = {}, statistic = 'Sum') =>
      new cloudwatch.Metric({ namespace: metricsNamespace, metricName, dimensionsMap, statistic, period: fiveMinutes });
    const failedExecutions = props.stateMachine.metricFailed({ period: fiveMinutes, statistic: 'Sum' });
    const requests = props.httpApi.metricCount({ period: fiveMinutes, statistic: 'Sum' });
    const serverErrors = props.httpApi.metricServerError({ period: fiveMinutes, statistic: 'Sum' });
    const api5xxRate = new cloudwatch.MathExpression({
      expression: 'IF(requests > 0, 100 * errors / requests, 0)',
      usingMetrics: { requests, errors: serverErrors },
      label: 'API 5xx (% of requests)',
      period: fiveMinutes,
    });
    const oldestWaiting = ours('OldestWaiting', {}, 'Maximum');

    this.failedExecutionsAlarm = new cloudwatch.Alarm(this, 'FailedExecutionsAlarm', {
      alarmDescription: 'An approval execution failed: its application no longer moves until someone looks',
      metric: failedExecutions,
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.api5xxRateAlarm = new cloudwatch.Alarm(this, 'Api5xxRateAlarm', {
      alarmDescription: `More than ${api5xxRateAlarmPercent}% of API requests failed with 5xx, two five-minute periods running`,
      metric: api5xxRate,
      threshold: api5xxRateAlarmPercent,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.oldestWaitingAlarm = new cloudwatch.Alarm(this, 'OldestWaitingAlarm', {
      alarmDescription: `An application has waited more than ${oldestWaitingAlarmDays} days at one approval stage`,
      metric: oldestWaiting,
      threshold: Duration.days(oldestWaitingAlarmDays).toSeconds(),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // The probe publishes every five minutes, 0 when nothing waits: no data means it stopped.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    this.holidayCalendarAlarm = new cloudwatch.Alarm(this, 'HolidayCalendarAlarm', {
      alarmDescription:
        `A city's holiday schedules end in under ${holidayCalendarWarningDays} days, and deadlines after that count ` +
        `Monday to Friday only. To add next year's: ${addNextCalendarHint}.`,
      metric: ours('HolidayCalendarDaysLeft', {}, 'Minimum'),
      threshold: holidayCalendarWarningDays,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // A silent probe is the oldest-waiting alarm's to report.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    new cloudwatch.Alarm(this, 'AggregatorDeadLettersAlarm', {
      alarmDescription:
        'History events the throughput aggregator could not count wait in its dead-letter queue; run npm run metrics:rebuild after fixing',
      metric: this.aggregatorDeadLetters.metricApproximateNumberOfMessagesVisible({
        period: fiveMinutes,
        statistic: 'Maximum',
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    const perStage = (metricName: string, statistic: string, extra: Record<string, string> = {}) =>
      backlogStages.map((stage) => ours(metricName, { Stage: stage, ...extra }, statistic).with({ label: `${stage}` }));
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(7),
      widgets: [
        [
          new cloudwatch.GraphWidget({
            title: 'Throughput: submitted, and decided per stage',
            left: [
              ours('Submitted').with({ label: 'submitted' }),
              ...perStage('Decided', 'Sum').map((m) => m.with({ label: `decided at ${m.label}` })),
            ],
            width: 12,
          }),
          new cloudwatch.GraphWidget({
            title: 'Decisions per stage by outcome',
            left: backlogStages.flatMap((stage) =>
              ['advanced', 'approved', 'rejected', 'returned'].map((outcome) =>
                ours('Decided', { Stage: stage, Outcome: outcome }).with({ label: `${stage} ${outcome}` }),
              ),
            ),
            width: 12,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Backlog per stage (waiting now)',
            left: perStage('Backlog', 'Maximum'),
            right: perStage('Overdue', 'Maximum').map((m) => m.with({ label: `overdue at ${m.label}` })),
            width: 12,
          }),
          new cloudwatch.GraphWidget({
            title: 'Time to decide (seconds): p50 and p90 per stage, and the oldest wait',
            left: [
              ...perStage('DecisionLatency', 'p50').map((m) => m.with({ label: `${m.label} p50` })),
              ...perStage('DecisionLatency', 'p90').map((m) => m.with({ label: `${m.label} p90` })),
            ],
            right: [oldestWaiting.with({ label: 'oldest waiting' })],
            width: 12,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'API: 5xx and latency',
            left: [serverErrors.with({ label: '5xx' }), api5xxRate],
            right: [
              props.httpApi.metricLatency({ period: fiveMinutes, statistic: 'p50', label: 'latency p50 (ms)' }),
              props.httpApi.metricLatency({ period: fiveMinutes, statistic: 'p90', label: 'latency p90 (ms)' }),
            ],
            width: 12,
          }),
          new cloudwatch.GraphWidget({
            title: 'Approval executions',
            left: [
              props.stateMachine.metricStarted({ period: fiveMinutes, statistic: 'Sum', label: 'started' }),
              props.stateMachine.metricSucceeded({ period: fiveMinutes, statistic: 'Sum', label: 'succeeded' }),
              failedExecutions.with({ label: 'failed' }),
            ],
            width: 12,
          }),
        ],
        [
          new cloudwatch.AlarmStatusWidget({
            title: 'Alarms',
            alarms: [
              this.failedExecutionsAlarm,
              this.api5xxRateAlarm,
              this.oldestWaitingAlarm,
              this.holidayCalendarAlarm,
            ],
            width: 24,
          }),
        ],
      ],
    });
  }
}
