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
   * Hands the key to a function as RESIDENT_ID_KEY. The value is a CloudFormation dynamic
   * reference, resolved by CloudFormation at deploy time: it never appears in the template or
   * the cloud assembly. It is acceptable here because the key only pseudonymises lookups and
   * the environment is encrypted at rest; but anyone allowed `lambda:GetFunctionConfiguration`
   * can read it. Stricter: grant the function `secret.grantRead` and read the secret at cold
   * start (SDK or the Parameters and Secrets extension), so only the function's role sees it.
   */
  bindTo(fn: lambda.Function): void {
    fn.addEnvironment('RESIDENT_ID_KEY', this.secret.secretValue.unsafeUnwrap());
  }
}
