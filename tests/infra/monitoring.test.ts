/** The monitoring construct in the synthesized template: the aggregator on the stream, the probe's schedule, the dashboard and the alarms. */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, inject, it } from 'vitest';
import { holidayCalendarWarningDays } from '../../functions/applications/domain/deadlines.js';
import { monitoringFunctions } from '../../functions/monitoring/functions.js';
import { oldestWaitingAlarmDays } from '../../infra/monitoring.js';
import { entryMetadataKey } from '../../infra/subsidy-function.js';

const template = Template.fromJSON(inject('template'));
// Template JSON is navigated freely here; the assertions pin the shapes.
type Resource = { Type: string; Properties?: Record<string, any>; Metadata?: Record<string, unknown> };
const resources = (type: string) => template.findResources(type) as Record<string, Resource>;
const functionIdOf = (entry: string) =>
  Object.entries(resources('AWS::Lambda::Function')).find(
    ([, fn]) => fn.Metadata?.[entryMetadataKey] === entry,
  )?.[0] as string;

describe('monitoring on AWS', () => {
  it('feeds the throughput aggregator inserted history events from the table stream, with retries and a dead-letter queue', () => {
    const aggregator = functionIdOf(monitoringFunctions.aggregator.entry);
    expect(aggregator).toBeDefined();
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: aggregator },
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      FilterCriteria: {
        Filters: [
          {
            Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { Keys: { sk: { S: [{ prefix: 'EVT#' }] } } } }),
          },
        ],
      },
    });
  });

  it('runs the backlog probe every five minutes', () => {
    const probe = functionIdOf(monitoringFunctions.backlogProbe.entry);
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [probe, 'Arn'] } })],
    });
  });

  it('alarms on failed executions, the API 5xx rate, the oldest waiting application and the end of the holiday schedules', () => {
    const alarms = Object.values(resources('AWS::CloudWatch::Alarm')).map((a) => a.Properties ?? {});
    expect(alarms.find((a) => a.MetricName === 'ExecutionsFailed')).toMatchObject({
      Namespace: 'AWS/States',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    const rate = alarms.find((a) =>
      a.Metrics?.some((m: { Expression?: string }) => m.Expression?.includes('errors / requests')),
    );
    expect(rate).toMatchObject({ Threshold: 1, EvaluationPeriods: 2 });
    expect(
      rate?.Metrics.map((m: { MetricStat?: { Metric: { MetricName: string } } }) => m.MetricStat?.Metric.MetricName)
        .filter(Boolean)
        .sort(),
    ).toEqual(['5xx', 'Count']);
    expect(alarms.find((a) => a.MetricName === 'OldestWaiting')).toMatchObject({
      Namespace: 'EmploymentSubsidy',
      Threshold: oldestWaitingAlarmDays * 86_400,
      TreatMissingData: 'breaching',
    });
    expect(alarms.find((a) => a.MetricName === 'HolidayCalendarDaysLeft')).toMatchObject({
      Namespace: 'EmploymentSubsidy',
      Statistic: 'Minimum',
      Threshold: holidayCalendarWarningDays,
      ComparisonOperator: 'LessThanThreshold',
      // It says how to add next year's calendar: through the API, no deploy.
      AlarmDescription: expect.stringContaining('PUT /calendars/{year}'),
    });
  });

  it('draws a dashboard of throughput per stage, backlog, overdue, time to decide, API errors and latency, and executions', () => {
    const [dashboard] = Object.values(resources('AWS::CloudWatch::Dashboard'));
    // The body is an `Fn::Join` of JSON text and tokens (region, function names): join it with placeholders.
    const [, parts] = (dashboard?.Properties?.DashboardBody as { 'Fn::Join': [string, unknown[]] } | undefined)?.[
      'Fn::Join'
    ] ?? ['', []];
    const body = parts.map((part) => (typeof part === 'string' ? part : 'TOKEN')).join('');
    for (const title of [
      'Throughput: submitted, and decided per stage',
      'Backlog per stage',
      'Time to decide',
      'API: 5xx and latency',
      'Approval executions',
    ]) {
      expect(body).toContain(title);
    }
    for (const metric of [
      'Submitted',
      'Decided',
      'Backlog',
      'Overdue',
      'DecisionLatency',
      'OldestWaiting',
      'ExecutionsFailed',
      '5xx',
      'Latency',
    ])
      expect(body).toContain(`"${metric}"`);
  });

  it('serves the figures and their CSV as API routes', () => {
    const routes = Object.values(resources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties?.RouteKey);
    expect(routes).toEqual(expect.arrayContaining(['GET /metrics/throughput', 'GET /metrics/throughput.csv']));
  });
});
