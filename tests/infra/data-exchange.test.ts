/** The data exchange in the stack: its credentials' secret, the grant a function is given, and an alarm per source. */
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { describe, expect, inject, it } from 'vitest';
import { sourceNames } from '../../functions/verification/domain/sources.js';
import { DataExchangeAccess } from '../../infra/data-exchange.js';

type Resource = { Type: string; Properties?: Record<string, any> };

describe('the data exchange on AWS', () => {
  it('alarms per source when every question failed for 15 one-minute periods in a row', () => {
    const template = Template.fromJSON(inject('template'));
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm') as Record<string, Resource>)
      .map((a) => a.Properties ?? {})
      .filter((a) => a.MetricName === 'DataExchangeFailed');

    expect(alarms.map((a) => a.Dimensions[0].Value).sort()).toEqual([...sourceNames].sort());
    for (const alarm of alarms)
      expect(alarm).toMatchObject({
        Namespace: 'EmploymentSubsidy',
        Statistic: 'Minimum',
        Period: 60,
        EvaluationPeriods: 15,
        DatapointsToAlarm: 15,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [expect.anything()],
      });
  });

  it('lets a bound function read the credentials by the ARN its environment names, and nothing else', () => {
    const stack = new Stack(new App(), 'Bound');
    const exchange = new DataExchangeAccess(stack, 'DataExchange');
    const fn = new lambda.Function(stack, 'Checks', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('export const handler = async () => {};'),
    });

    exchange.bindTo(fn);

    const template = Template.fromStack(stack);
    const secretId = Object.keys(template.findResources('AWS::SecretsManager::Secret'))[0] as string;
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { DATA_EXCHANGE_SECRET_ARN: { Ref: secretId } } },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
            Resource: { Ref: secretId },
          }),
        ]),
      },
    });
  });
});
