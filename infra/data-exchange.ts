/**
 * The provincial data exchange, as the stack knows it: the secret holding the access keys it
 * issued (`{"<accessKeyId>": "<secret>"}`, one entry per city's `verification.exchange.accessKeyId`;
 * operators put the value, the stack creates it empty), the grant that lets a function read it,
 * and an alarm per source when every question to it failed for 15 minutes in a row (the
 * adapter's `DataExchangeFailed` metric: 1 per failure, 0 per answer, dimension `Source`).
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import {
  dataExchangeAlarmMinutes,
  dataExchangeFailedMetricName,
  dataExchangeSources,
  metricsNamespace,
} from '../functions/verification/functions.js';

export class DataExchangeAccess extends Construct {
  readonly secret: secretsmanager.Secret;
  /** One per source, by its name. */
  readonly sourceFailingAlarms: Record<string, cloudwatch.Alarm> = {};

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'Credentials', {
      description:
        'The data exchange access keys issued to the cities: JSON {"<accessKeyId>": "<secret>"}; put by operators',
      // Empty until operators put the keys: a city asking before then finds its source not configured (pending).
      secretObjectValue: {},
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The province issues these keys and changes them on its own schedule: operators put the new one when it does, so a rotation Lambda of ours would have nothing to rotate to',
    });

    for (const source of dataExchangeSources) {
      this.sourceFailingAlarms[source] = new cloudwatch.Alarm(this, `SourceFailing-${source}`, {
        alarmDescription:
          `Every question to the data exchange's ${source} source failed for ${dataExchangeAlarmMinutes} minutes: ` +
          'its checks wait (pending) and approvals that need them are refused until it answers again',
        metric: new cloudwatch.Metric({
          namespace: metricsNamespace,
          metricName: dataExchangeFailedMetricName,
          dimensionsMap: { Source: source },
          // 1 per failure, 0 per answer: the minimum is 1 only in a minute with no answer at all.
          statistic: 'Minimum',
          period: Duration.minutes(1),
        }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: dataExchangeAlarmMinutes,
        datapointsToAlarm: dataExchangeAlarmMinutes,
        // A minute nobody asked says nothing about the source.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }
  }

  /**
   * Lets a function ask the exchange: `secretsmanager:GetSecretValue` on this secret only, and
   * DATA_EXCHANGE_SECRET_ARN naming it (never the value; see ResidentIdKey.bindTo).
   */
  bindTo(fn: lambda.Function): void {
    this.secret.grantRead(fn);
    fn.addEnvironment('DATA_EXCHANGE_SECRET_ARN', this.secret.secretArn);
  }
}
