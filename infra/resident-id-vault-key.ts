/** The KMS key that seals the copy of each resident ID number kept beside its keyed hash. */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export class ResidentIdVaultKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'Seals resident ID numbers stored with employment-subsidy applications',
      enableKeyRotation: true,
      rotationPeriod: Duration.days(365),
      // Without it no sealed number could ever be read again: the key outlives the stack, and a
      // scheduled deletion gives the longest window to cancel.
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });
    this.key.addAlias('alias/employment-subsidy/resident-id');
  }

  /**
   * Lets intake seal (kms:Encrypt and nothing else: it cannot decrypt) and names the key in
   * RESIDENT_ID_KMS_KEY_ID.
   */
  bindTo(fn: lambda.Function): void {
    this.key.grant(fn, 'kms:Encrypt');
    fn.addEnvironment('RESIDENT_ID_KMS_KEY_ID', this.key.keyArn);
  }

  /**
   * Lets the one function that asks other offices about a person open sealed numbers: kms:Decrypt
   * on this key, only for ciphertexts bound to the resident-ID encryption context (what
   * `functions/kernel/adapters/resident-id-vault.ts` seals with), and nothing else of the key.
   */
  bindOpener(fn: lambda.Function): void {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [this.key.keyArn],
        conditions: { StringEquals: { 'kms:EncryptionContext:purpose': 'resident-id' } },
      }),
    );
    fn.addEnvironment('RESIDENT_ID_KMS_KEY_ID', this.key.keyArn);
  }
}
