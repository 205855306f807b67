/**
 * The staff console on AWS: its build (`console/dist`) in a private S3 bucket, served only through
 * CloudFront with origin access control, HTTPS only, and security headers with the same content
 * security policy `npm start` sends (console/headers.ts). The sign-in issuer, client id and API
 * address reach the browser in `/config.json`, written at deploy time, so one build serves every
 * stage. The API is served by this same distribution under `/api/*`, as `npm start` serves it beside
 * the console: the console calls its own origin, so its CSP names no API host and the API needs no
 * CORS (while the API's CORS had to name this distribution, the CSP could not name the API).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Aws, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { contentSecurityPolicy } from '../console/headers.js';
import { repositoryRoot } from './subsidy-function.js';

export const consoleDist = path.join(repositoryRoot, 'console', 'dist');

export interface ConsoleRuntimeConfig {
  issuer: string;
  clientId: string;
  apiUrl: string;
  bearer: 'id_token' | 'access_token';
}

export class StaffConsole extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** `https://…cloudfront.net`: the origin the sign-in's redirect admits. */
  readonly origin: string;
  /** The API's base URL for the console: this origin's `/api`. */
  readonly apiUrl: string;
  private readonly headers: cloudfront.ResponseHeadersPolicy;

  /**
   * @param props.signInOrigins - the exact origins the console's sign-in fetches from (the issuer's
   *   discovery and keys, and the token endpoint when it is elsewhere, as Cognito's hosted domain is)
   */
  constructor(scope: Construct, id: string, props: { signInOrigins: string[] }) {
    super(scope, id);
    const logs = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront writes its standard logs with ACLs.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new s3.Bucket(this, 'Site', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'site/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const [issuer, ...otherSignInOrigins] = props.signInOrigins;
    const headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Staff console: CSP and the usual security headers',
      securityHeadersBehavior: {
        // The API is this origin's /api ('self'); the sign-in's origins are named exactly.
        contentSecurityPolicy: {
          contentSecurityPolicy: contentSecurityPolicy({ issuer, extra: otherSignInOrigins }),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
      },
    });
    this.headers = headers;
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Employment-subsidy staff console',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        responseHeadersPolicy: headers,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        compress: true,
        // The sign-in returns to /signed-in, the console's page (it routes in the URL's hash). Not
        // an error response mapped to index.html: those apply to the whole distribution, and
        // would turn the API's 403 and 404 under /api/* into the page with a 200.
        functionAssociations: [
          {
            eventType: cloudfront.FunctionEventType.VIEWER_REQUEST,
            function: new cloudfront.Function(this, 'SignedInPage', {
              comment: 'Serves index.html at /signed-in, where the sign-in returns',
              runtime: cloudfront.FunctionRuntime.JS_2_0,
              code: cloudfront.FunctionCode.fromInline(
                "function handler(event) { var r = event.request; if (r.uri === '/signed-in') r.uri = '/index.html'; return r; }",
              ),
            }),
          },
        ],
      },
      // The city's staff work in China: the console's files are served there only.
      geoRestriction: cloudfront.GeoRestriction.allowlist('CN'),
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        "Until the city names its own domain and ACM certificate, the console is served on CloudFront's default certificate, whose TLS floor CloudFront sets; TLS 1.2 (2021) is configured for the day a certificate is given",
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'The distribution serves the static console files, which hold no data, and passes /api/* uncached to the HTTP API, which checks a token on every route but the health check, is throttled per stage and refuses bad input before a handler runs; AWS WAF cannot be attached to an HTTP API, which stays reachable at its own address for direct callers, so a web ACL here would not cover it',
    });
    this.origin = `https://${this.distribution.distributionDomainName}`;
    this.apiUrl = `${this.origin}/api`;
  }

  /**
   * Serves the HTTP API under `/api/*` of the console's origin: never cached, every viewer header
   * but Host passed on (with caching disabled, CloudFront forwards Authorization under this
   * managed policy), every method, HTTPS to the API. The API's routes are at its root, so a
   * viewer-request function drops the `/api` prefix: an API mapping would need a custom domain
   * and its certificate, which the stack does not have, and a stage named `api` would move the
   * address direct callers use.
   */
  serveApi(httpApi: IHttpApi): void {
    const stripPrefix = new cloudfront.Function(this, 'ApiPrefix', {
      comment: 'Drops the /api prefix: the HTTP API routes at its root',
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      // The behaviour matches /api/* only, so the URI always starts with the four characters.
      code: cloudfront.FunctionCode.fromInline(
        'function handler(event) { var r = event.request; r.uri = r.uri.substring(4); return r; }',
      ),
    });
    this.distribution.addBehavior(
      '/api/*',
      new HttpOrigin(`${httpApi.apiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`, {
        protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
        originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
      }),
      {
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        responseHeadersPolicy: this.headers,
        compress: true,
        functionAssociations: [{ eventType: cloudfront.FunctionEventType.VIEWER_REQUEST, function: stripPrefix }],
      },
    );
  }

  /** Uploads the build and `config.json` (resolved at deploy), and refreshes CloudFront's copies. */
  deploy(config: ConsoleRuntimeConfig): void {
    if (!existsSync(path.join(consoleDist, 'index.html')))
      throw new Error('console/dist is missing: run `npm run console:build` before synthesizing');
    new BucketDeployment(this, 'Deploy', {
      destinationBucket: this.bucket,
      sources: [Source.asset(consoleDist, { exclude: ['.source-stamp'] }), Source.jsonData('config.json', config)],
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/config.json'],
      memoryLimit: 512,
    });
    // CDK's own deployment function (one per stack, outside this construct), run by CloudFormation
    // only while deploying: its role and runtime are CDK's, not ours to narrow.
    const deployer = Stack.of(this).node.children.find((child) =>
      child.node.id.startsWith('Custom::CDKBucketDeployment'),
    );
    if (deployer) {
      const cdkOwned =
        "CDK's BucketDeployment function, run by CloudFormation only while deploying the console, copies the build from CDK's asset bucket into the console bucket and invalidates CloudFront; its role and runtime are defined by CDK";
      for (const id of [
        'AwsSolutions-L1',
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'AwsSolutions-IAM5[Action::s3:GetBucket*]',
        'AwsSolutions-IAM5[Action::s3:GetObject*]',
        'AwsSolutions-IAM5[Action::s3:List*]',
        'AwsSolutions-IAM5[Action::s3:Abort*]',
        'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
        'AwsSolutions-IAM5[Resource::*]',
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
        `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/*]`,
      ])
        Validations.of(deployer).acknowledge({ id, reason: cdkOwned });
    }
  }
}
