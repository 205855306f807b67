/**
 * The provincial data exchange's snapshot files: a private bucket it drops CSV and `.xlsx` files
 * into (`exchange-snapshots/<cityId>/<source>/<asOf>/<name>`), and the importer each new object
 * there is sent to. The importer reads objects under that prefix and nothing else of the bucket;
 * it hashes resident IDs (the resident-ID key) and writes the snapshot's records to the table.
 *
 * The bucket blocks public access, refuses plain HTTP, is encrypted (SSE-S3) and versioned, and logs
 * its access to the access-log bucket the history's digests log to. The exchange's own writing role
 * is granted by the city when it connects the exchange (its account is not known here).
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Construct } from 'constructs';
import { snapshotPrefix, verificationFunctions } from '../functions/verification/functions.js';
import type { ResidentIdKey } from './resident-id-key.js';
import { SubsidyFunction } from './subsidy-function.js';

export interface ExchangeSnapshotsProps {
  table: dynamodb.ITable;
  residentIdKey: ResidentIdKey;
  accessLogs: s3.IBucket;
}

export class ExchangeSnapshots extends Construct {
  readonly bucket: s3.Bucket;
  readonly importer: SubsidyFunction;

  constructor(scope: Construct, id: string, props: ExchangeSnapshotsProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      versioned: true,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'exchange-snapshots/',
      // The imported records are in the table; a file is kept a year to answer what was imported from it.
      lifecycleRules: [{ expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const { snapshotImport } = verificationFunctions;
    this.importer = new SubsidyFunction(this, snapshotImport.name, {
      entry: snapshotImport.entry,
      // A file of up to a million rows is parsed twice and written 25 records to a call.
      timeout: Duration.minutes(15),
      description: 'Verification: imports each snapshot file the data exchange drops, once',
    });
    this.importer.bindTable(props.table, snapshotImport.table);
    props.residentIdKey.bindTo(this.importer);
    this.importer.addEnvironment('SNAPSHOT_BUCKET', this.bucket.bucketName);
    const objects = this.bucket.arnForObjects(`${snapshotPrefix}*`);
    this.importer.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [objects] }));
    Validations.of(this.importer.role as iam.IRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/${snapshotPrefix}*]`,
      reason:
        'The importer reads the objects it is notified of, whose names the exchange chooses; the wildcard is the exchange-snapshots/ prefix of this one bucket, and the right is to read only',
    });

    this.bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new LambdaDestination(this.importer), {
      prefix: snapshotPrefix,
    });
    const notifier = Stack.of(this).node.tryFindChild('BucketNotificationsHandler050a0587b7544547bf325f094a3db834');
    if (notifier) {
      const cdkOwned =
        "CDK's own bucket-notifications function, run by CloudFormation only while deploying, sets this bucket's notification to the importer; its role and runtime are defined by CDK";
      for (const ruleId of [
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'AwsSolutions-IAM5[Resource::*]',
        'AwsSolutions-L1',
      ])
        Validations.of(notifier).acknowledge({ id: ruleId, reason: cdkOwned });
    }
  }
}
