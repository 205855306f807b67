/**
 * The history's key: a KMS HMAC key (HMAC_256) that authenticates every history event and each
 * application's head. The table never holds it, so a writer of the table cannot forge a history
 * that reads intact. Writers may only generate MACs, the reader only verify them.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export class HistoryMacKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'Authenticates the history of employment-subsidy applications (HMAC)',
      keySpec: kms.KeySpec.HMAC_256,
      keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC,
      // Without it no history could be verified again.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.key.addAlias('alias/employment-subsidy/history-mac');
  }

  /** `write`: kms:GenerateMac only; `verify`: kms:VerifyMac only. Names the key in HISTORY_MAC_KMS_KEY_ID. */
  bindTo(fn: lambda.Function, use: 'write' | 'verify'): void {
    this.key.grant(fn, use === 'write' ? 'kms:GenerateMac' : 'kms:VerifyMac');
    fn.addEnvironment('HISTORY_MAC_KMS_KEY_ID', this.key.keyArn);
  }
}
