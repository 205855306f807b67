/**
 * The stack's operations key: one customer-managed KMS key (rotated yearly) that encrypts every
 * log group and the alarm topic. Log groups are kept 180 days: the Cybersecurity Law's six months
 * of network logs (网络安全法 第二十一条). One key, not one per log group: a key costs a monthly fee,
 * and what it protects (operational logs, alarm messages) is of one sensitivity.
 */
import { Aws, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, type IConstruct } from 'constructs';

/** At least six months, as the law asks of network logs. */
export const logRetention = logs.RetentionDays.SIX_MONTHS;

const keyId = 'OperationsKey';

export class OperationsKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'Encrypts the log groups and the alarm topic of the employment-subsidy stack',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch Logs encrypts each of this account's log groups with it, and nothing else.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(Fn.join('.', ['logs', Aws.REGION, Aws.URL_SUFFIX]))],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*`,
          },
        },
      }),
    );
    // CloudWatch alarms publish to the encrypted topic.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
  }

  /** The stack's one operations key, made on first use. */
  static of(scope: IConstruct): kms.Key {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(keyId) as OperationsKey | undefined;
    return (existing ?? new OperationsKey(stack, keyId)).key;
  }
}

/** A log group as every log group of the stack is: kept 180 days, encrypted with the operations key. */
export function retainedLogGroup(scope: Construct, id: string, props: logs.LogGroupProps = {}): logs.LogGroup {
  return new logs.LogGroup(scope, id, { ...props, retention: logRetention, encryptionKey: OperationsKey.of(scope) });
}
