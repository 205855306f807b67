/**
 * The history's daily digests: a KMS asymmetric key (ECC_NIST_P256, sign/verify) that signs each
 * day's Merkle root, an S3 bucket that keeps what is written for at least a year with Object Lock
 * in COMPLIANCE mode (nobody, the account's root included, can delete or overwrite an object
 * before its retention ends), and the scheduled function that writes one digest a day.
 *
 * Made to pass cdk-nag's AwsSolutions pack: both buckets block public access, refuse plain HTTP,
 * are encrypted (SSE-S3) and versioned; the digest bucket sends its server access logs to the
 * log bucket. The log bucket itself logs nowhere: AwsSolutions-S1 on it is to be accepted with
 * that reason (a bucket's access logs cannot go to itself, and a third bucket would only move the
 * question).
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { integrityFunctions } from '../functions/integrity/functions.js';
import { SubsidyFunction } from './subsidy-function.js';

/** How long a digest cannot be deleted or overwritten: a year (the law asks six months of logs). */
export const digestRetentionDays = 365;

export interface HistoryDigestsProps {
  table: dynamodb.ITable;
}

export class HistoryDigests extends Construct {
  readonly key: kms.Key;
  readonly bucket: s3.Bucket;
  readonly accessLogs: s3.Bucket;
  readonly writer: SubsidyFunction;

  constructor(scope: Construct, id: string, props: HistoryDigestsProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'SigningKey', {
      description: "Signs the daily digest (Merkle root) of employment-subsidy applications' history",
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      // Without it no digest could be verified again.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.key.addAlias('alias/employment-subsidy/history-digest');

    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(digestRetentionDays * 2) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(digestRetentionDays)),
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'history-digests/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const { dailyDigest } = integrityFunctions;
    this.writer = new SubsidyFunction(this, dailyDigest.name, {
      entry: dailyDigest.entry,
      timeout: Duration.minutes(5),
      description: "History: signs the day's Merkle root of history events and writes it to the Object Lock bucket",
    });
    this.writer.bindTable(props.table, dailyDigest.table);
    this.key.grant(this.writer, 'kms:Sign');
    this.writer.addEnvironment('DIGEST_SIGNING_KMS_KEY_ID', this.key.keyArn);
    // Write new objects and list what is there (to find a missing day); nothing else: no delete,
    // no retention or legal-hold change, no read back.
    this.writer.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [this.bucket.arnForObjects('digests/*')] }),
    );
    this.writer.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': ['digests/*'] } },
      }),
    );
    Validations.of(this.writer.role as iam.IRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/digests/*]`,
      reason:
        'The writer puts one new object a day under digests/, named by the day; the wildcard is that prefix of this one bucket, and Object Lock keeps any object from being overwritten',
    });
    this.writer.addEnvironment('DIGEST_BUCKET', this.bucket.bucketName);
    new events.Rule(this, 'Daily', {
      description: "History: once a day, sign and keep the day before's digest",
      schedule: events.Schedule.cron({
        hour: String(dailyDigest.atUtc.hour),
        minute: String(dailyDigest.atUtc.minute),
      }),
      targets: [new targets.LambdaFunction(this.writer, { retryAttempts: 2 })],
    });
  }
}
