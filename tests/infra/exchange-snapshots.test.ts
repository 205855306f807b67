/** The exchange's snapshot bucket in the synthesized template: private, encrypted, SSL only, each new file sent to the importer, who may read only those. */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, inject, it } from 'vitest';
import { snapshotPrefix, verificationFunctions } from '../../functions/verification/functions.js';
import { entryMetadataKey } from '../../infra/subsidy-function.js';

const template = Template.fromJSON(inject('template'));
type Resource = { Type: string; Properties?: Record<string, any>; Metadata?: Record<string, unknown> };
const resources = (type: string) => template.findResources(type) as Record<string, Resource>;
const [importerId, importer] =
  Object.entries(resources('AWS::Lambda::Function')).find(
    ([, fn]) => fn.Metadata?.[entryMetadataKey] === verificationFunctions.snapshotImport.entry,
  ) ?? [];
const [bucketId, bucket] =
  Object.entries(resources('AWS::S3::Bucket')).find(
    ([, b]) => b.Properties?.LoggingConfiguration?.LogFilePrefix === 'exchange-snapshots/',
  ) ?? [];
const statementsOfImporter = () => {
  const roleId = (importer?.Properties?.Role?.['Fn::GetAtt'] as string[] | undefined)?.[0];
  return Object.values(resources('AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties?.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap(
      (policy) => policy.Properties?.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );
};

describe('the exchange snapshot bucket', () => {
  it('blocks public access, is encrypted, versioned and logged, and refuses plain HTTP', () => {
    expect(bucketId).toBeDefined();
    expect(bucket?.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: { ServerSideEncryptionConfiguration: [expect.anything()] },
      VersioningConfiguration: { Status: 'Enabled' },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('sends each object created under exchange-snapshots/ to the importer', () => {
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: bucketId },
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          Match.objectLike({
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: snapshotPrefix }] } },
            LambdaFunctionArn: { 'Fn::GetAtt': [importerId, 'Arn'] },
          }),
        ],
      },
    });
  });

  it('lets the importer read objects under the prefix, and nothing else of S3', () => {
    const s3 = statementsOfImporter().filter((statement) => JSON.stringify(statement.Action).includes('s3:'));

    expect(s3).toEqual([
      expect.objectContaining({
        Action: 's3:GetObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, `/${snapshotPrefix}*`]] },
      }),
    ]);
    expect(Object.keys(importer?.Properties?.Environment.Variables ?? {}).sort()).toEqual(
      ['NODE_OPTIONS', 'RESIDENT_ID_KEY_SECRET_ARN', 'SNAPSHOT_BUCKET', 'TABLE_NAME'].sort(),
    );
  });
});
