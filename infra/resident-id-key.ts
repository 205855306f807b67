/** The key of the keyed hash under which resident ID numbers are stored and looked up. */
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export class ResidentIdKey extends Construct {
  readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description: 'Key of the keyed hash of resident ID numbers; changing it orphans every stored hash',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      // Losing the key makes every person's grant history unfindable: it outlives the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'A keyed-hash key, not a credential: every stored resident-ID hash is computed under it, so an automatic rotation would make every person unfindable; a change of key is a planned re-keying of the table',
    });
  }

  /**
   * Lets a function read the key: `secretsmanager:GetSecretValue` on this secret only, and
   * RESIDENT_ID_KEY_SECRET_ARN naming it. The value never enters the environment (anyone allowed
   * `lambda:GetFunctionConfiguration` could read it there); the handler reads it at cold start
   * (`functions/kernel/runtime/secrets.ts`). Only the functions that hash resident IDs are bound.
   */
  bindTo(fn: lambda.Function): void {
    this.secret.grantRead(fn);
    fn.addEnvironment('RESIDENT_ID_KEY_SECRET_ARN', this.secret.secretArn);
  }
}
