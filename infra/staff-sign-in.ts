/**
 * Who may call the API: a bearer token from the configured OpenID Connect issuer, checked by the
 * HTTP API's JWT authorizer (signature against the issuer's JWKS, iss, aud, exp). By default the
 * issuer is a Cognito user pool of this stack (accounts created by administrators, no self
 * sign-up); with `issuer` and `audience` given (CDK context `-c issuer=… -c audience=…`) it is any
 * OIDC issuer — a city's unified identity platform or its Keycloak — and no Cognito resource is
 * made (the China regions have no Cognito user pools). Either way the token only proves who the
 * person is; role and unit come from the staff directory.
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

export interface StaffSignInProps {
  /** An external issuer's URL (its `iss`); Cognito when absent. */
  issuer?: string;
  /** The `aud` its tokens carry for this product (required with `issuer`). */
  audience?: string;
  /**
   * The claim that names the person, when it is not `sub` (handlers read STAFF_SUB_CLAIM): only
   * one of `immutableSubjectClaims`, since whoever can change the claim can become someone else.
   */
  subClaim?: string;
  /** Where the staff console signs in from (`https://…`): the Cognito client's callback. */
  consoleOrigin?: string;
  /** The console's client id at an external issuer (its public PKCE client); `audience` by default. */
  consoleClientId?: string;
}

/**
 * The claims an issuer documents as a person's stable, never-reassigned identifier, the only ones
 * the staff directory may be keyed by. OpenID Connect Core 1.0 §5.7 ("Claim Stability and
 * Uniqueness"): `sub` (with `iss`) is the only claim a relying party can rely on; `email`,
 * `phone_number` and `preferred_username` "MUST NOT be used as unique identifiers" (a person or an
 * administrator may change them, and they may be reassigned). Keycloak lets users or admins edit
 * usernames and e-mail addresses (realm settings "Edit username", "Update email"), so neither of its
 * other claims is safe; its `sub` is the user's id. Microsoft Entra ID documents `oid` as the
 * user's immutable object id, the same for every application of the tenant. Add a claim here only
 * with the issuer's own documentation saying it cannot change.
 */
export const immutableSubjectClaims: readonly string[] = ['sub', 'oid'];

/** The hosted sign-in domain's prefix: one per account, named before the user pool exists. */
const cognitoDomainPrefix = (scope: Construct) => `subsidy-${Stack.of(scope).account}`;

/**
 * The exact origins a browser signing in with this stack's Cognito pool fetches from: the issuer's
 * (discovery, keys) and the hosted sign-in domain's (the token endpoint). Known before the pool is
 * made, so the console's CSP can name them while the pool's client names the console.
 */
export function cognitoSignInOrigins(scope: Construct): string[] {
  const { region } = Stack.of(scope);
  return [
    `https://cognito-idp.${region}.amazonaws.com`,
    `https://${cognitoDomainPrefix(scope)}.auth.${region}.amazoncognito.com`,
  ];
}

export class StaffSignIn extends Construct {
  /** Present only when Cognito is the issuer. */
  readonly userPool?: cognito.UserPool;
  readonly client?: cognito.UserPoolClient;
  /** Accepts the issuer's tokens for the product's audience. */
  readonly authorizer: HttpJwtAuthorizer;
  readonly issuer: string;
  readonly subClaim?: string;
  /** The client the staff console signs in as (authorization code with PKCE, no secret). */
  readonly consoleClientId: string;

  constructor(scope: Construct, id: string, props: StaffSignInProps = {}) {
    super(scope, id);
    if (props.subClaim !== undefined && !immutableSubjectClaims.includes(props.subClaim))
      throw new Error(
        `subClaim "${props.subClaim}" is not a claim the issuer keeps immutable: a person who can change it (as with email or preferred_username) could sign in as someone else. Use one of ${immutableSubjectClaims.join(', ')} (infra/staff-sign-in.ts lists why).`,
      );
    this.subClaim = props.subClaim;
    if (props.issuer) {
      if (!props.audience) throw new Error('an external issuer needs its audience: -c audience=…');
      if (!/^https:\/\//.test(props.issuer)) throw new Error(`the issuer must be an https URL: ${props.issuer}`);
      this.issuer = props.issuer;
      this.consoleClientId = props.consoleClientId ?? props.audience;
      this.authorizer = new HttpJwtAuthorizer('StaffJwt', props.issuer, { jwtAudience: [props.audience] });
      return;
    }
    const userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      // Kept from when tokens carried role and unit (a pool's schema cannot lose attributes); the
      // staff directory says both now, and no client may write them.
      customAttributes: {
        role: new cognito.StringAttribute({ minLen: 1, maxLen: 32, mutable: true }),
        unit: new cognito.StringAttribute({ minLen: 1, maxLen: 64, mutable: true }),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // Staff accounts open personal data: a strong password (AwsSolutions-COG1) and Cognito's
      // threat protection, which blocks sign-ins it judges compromised (AwsSolutions-COG8; the
      // Plus tier, billed per active user: a city's few hundred staff).
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA (TOTP) is offered to every staff member but not required: Cognito lets a pool require MFA only when the pool is created, and recreating it would drop every staff account; threat protection (COG8) blocks risky sign-ins meanwhile, and a city signing in through its own issuer enforces MFA there',
    });
    const client = userPool.addClient('StaffClient', {
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      readAttributes: new cognito.ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true })
        .withCustomAttributes('role', 'unit'),
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true }),
      // The staff console: a public client (no secret), authorization code with PKCE, through the hosted sign-in.
      generateSecret: false,
      ...(props.consoleOrigin
        ? {
            oAuth: {
              flows: { authorizationCodeGrant: true },
              scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.PROFILE, cognito.OAuthScope.EMAIL],
              callbackUrls: [`${props.consoleOrigin}/signed-in`],
              logoutUrls: [`${props.consoleOrigin}/`],
            },
            supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
          }
        : {}),
    });
    // The hosted sign-in pages the console redirects to (Cognito's own domain of this account).
    if (props.consoleOrigin)
      userPool.addDomain('SignInDomain', { cognitoDomain: { domainPrefix: cognitoDomainPrefix(this) } });
    this.userPool = userPool;
    this.client = client;
    this.consoleClientId = client.userPoolClientId;
    // Cognito exists in the aws partition only: its issuer's domain is amazonaws.com.
    this.issuer = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${userPool.userPoolId}`;
    this.authorizer = new HttpJwtAuthorizer('StaffJwt', this.issuer, { jwtAudience: [client.userPoolClientId] });
  }
}
