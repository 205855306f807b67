/** The key that seals webhook signing secrets in the table, so a reader of the table cannot sign. */
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export class WebhookSecretKey extends Construct {
  readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description:
        'Key that seals webhook signing secrets in the table; changing it makes every endpoint need a new secret',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      // Losing it would leave every registered endpoint unable to be signed for.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        "A sealing key, not a credential: the endpoints' signing secrets are sealed under it in the table, so an automatic rotation would leave every endpoint unable to be signed for; a change of key re-seals them as a planned step",
    });
  }

  /**
   * Lets a function read the key: `secretsmanager:GetSecretValue` on this secret only, and
   * WEBHOOK_SECRET_KEY_SECRET_ARN naming it (see ResidentIdKey.bindTo: never the value itself).
   */
  bindTo(fn: lambda.Function): void {
    this.secret.grantRead(fn);
    fn.addEnvironment('WEBHOOK_SECRET_KEY_SECRET_ARN', this.secret.secretArn);
  }
}
