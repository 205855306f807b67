/**
 * The paging cursors' key: a KMS HMAC key (HMAC_256) from which each function that pages derives,
 * once per container, the key that authenticates its cursors (functions/kernel/adapters/paging-cursor.ts).
 * Apart from the history's key, so a function that pages can forge no history MAC.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export class PagingCursorKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'Authenticates the paging cursors of the employment-subsidy API (HMAC)',
      keySpec: kms.KeySpec.HMAC_256,
      keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC,
      // Cursors live minutes: losing the key only ends the pages then open.
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }

  /** kms:GenerateMac only; names the key in PAGING_CURSOR_KMS_KEY_ID. */
  bindTo(fn: lambda.Function): void {
    this.key.grant(fn, 'kms:GenerateMac');
    fn.addEnvironment('PAGING_CURSOR_KMS_KEY_ID', this.key.keyArn);
  }
}
