/**
 * Who may call the API: staff accounts in a Cognito user pool, created by administrators (no
 * self sign-up), each with a role and a unit that the handlers read from the ID token's claims
 * (`custom:role`, `custom:unit`).
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

export class StaffSignIn extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  /** Accepts the pool's ID tokens issued to `client`. */
  readonly authorizer: HttpJwtAuthorizer;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      customAttributes: {
        // Mutable so that administrators can move a person to another role or unit.
        role: new cognito.StringAttribute({ minLen: 1, maxLen: 32, mutable: true }),
        unit: new cognito.StringAttribute({ minLen: 1, maxLen: 64, mutable: true }),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.client = this.userPool.addClient('StaffClient', {
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      readAttributes: new cognito.ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true })
        .withCustomAttributes('role', 'unit'),
      // By default an app client may write every mutable attribute: a person could then give
      // themselves another role or unit. Only administrators (Admin* APIs) change those.
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true }),
    });

    const issuer = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
    this.authorizer = new HttpJwtAuthorizer('StaffJwt', issuer, { jwtAudience: [this.client.userPoolClientId] });
  }
}
