/**
 * The staff console on AWS, as synthesized: a private bucket read only by CloudFront (origin access
 * control), HTTPS only, the security headers with a CSP that names no API host, the API served
 * under the console's own `/api/*` uncached, `config.json` written at deploy with the issuer, client
 * and that same-origin API address, and no CORS on the API.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, inject, it } from 'vitest';

// The run's shared template (tests/support/global-setup.ts): the same synthesis, done once.
const template = Template.fromJSON(inject('template'));
// Template JSON is navigated freely; the assertions pin the shapes.
type Resource = { Properties: Record<string, any> };
const only = (type: string) => {
  const found = Object.entries(template.findResources(type)) as [string, Resource][];
  return found;
};

describe('the staff console on AWS', () => {
  it('keeps the site bucket private, encrypted and TLS-only', () => {
    const [[id, site]] = only('AWS::S3::Bucket').filter(([name]) => name.includes('ConsoleSite')) as [
      [string, Resource],
    ];
    expect(site.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(site.Properties.BucketEncryption).toBeDefined();
    // Only CloudFront, through origin access control, may read it; nothing over plain HTTP.
    const [[, policy]] = only('AWS::S3::BucketPolicy').filter(([, p]) =>
      JSON.stringify(p.Properties.Bucket).includes(id),
    ) as [[string, Resource]];
    const statements = policy.Properties.PolicyDocument.Statement as {
      Effect: string;
      Principal: any;
      Condition?: any;
    }[];
    expect(
      statements.some((s) => s.Effect === 'Deny' && JSON.stringify(s.Condition).includes('aws:SecureTransport')),
    ).toBe(true);
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows.length).toBeGreaterThan(0);
    for (const allow of allows) expect(allow.Principal).toEqual({ Service: 'cloudfront.amazonaws.com' });
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
  });

  it('serves over HTTPS only, with a content security policy and the other security headers', () => {
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'https-only' }),
        Origins: Match.arrayWith([Match.objectLike({ OriginAccessControlId: Match.anyValue() })]),
      }),
    });
    const [[, headers]] = only('AWS::CloudFront::ResponseHeadersPolicy') as [[string, Resource]];
    const security = headers.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    const csp = JSON.stringify(security.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("'unsafe-eval'");
    expect(security.StrictTransportSecurity.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(31_536_000);
    expect(security.ContentTypeOptions.Override).toBe(true);
    expect(security.FrameOptions.FrameOption).toBe('DENY');
  });

  it("lets the console connect to its own origin and the sign-in's exact origins only, no API Gateway host", () => {
    const [[, headers]] = only('AWS::CloudFront::ResponseHeadersPolicy') as [[string, Resource]];
    const csp = JSON.stringify(
      headers.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy,
    );
    expect(csp).not.toContain('execute-api');
    expect(csp).not.toContain('*');
    // Cognito's issuer and its hosted sign-in domain of this account (the token endpoint).
    expect(csp).toMatch(/connect-src 'self' https:\/\/cognito-idp\./);
    expect(csp).toMatch(/https:\/\/subsidy-",\{"Ref":"AWS::AccountId"\},"\.auth\./);
  });

  it('serves the API under /api/* from its execute-api domain, uncached, every method, HTTPS only, prefix dropped', () => {
    const [[, distribution]] = only('AWS::CloudFront::Distribution') as [[string, Resource]];
    const config = distribution.Properties.DistributionConfig;
    const behaviours = config.CacheBehaviors as Record<string, any>[];
    expect(behaviours).toHaveLength(1);
    const [api] = behaviours as [Record<string, any>];
    expect(api.PathPattern).toBe('/api/*');
    // The managed policies' ids: CachingDisabled, AllViewerExceptHostHeader.
    expect(api.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad');
    expect(api.OriginRequestPolicyId).toBe('b689b0a8-53d0-40ab-baf2-68738e2966ac');
    expect(api.AllowedMethods).toEqual(expect.arrayContaining(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']));
    expect(api.ViewerProtocolPolicy).toBe('https-only');
    const origin = (config.Origins as Record<string, any>[]).find((o) => o.Id === api.TargetOriginId);
    const domain = JSON.stringify(origin?.DomainName);
    expect(domain).toMatch(/\{"Ref":"ApiHttpApi[0-9A-F]+"\},"\.execute-api\./);
    expect(origin?.CustomOriginConfig).toMatchObject({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
    // The API routes at its root: a viewer-request function drops the /api prefix.
    const [association] = api.FunctionAssociations as [Record<string, any>];
    expect(association.EventType).toBe('viewer-request');
    const functions = only('AWS::CloudFront::Function');
    const strip = functions.find(([id]) => JSON.stringify(association.FunctionARN).includes(id));
    expect(strip?.[1].Properties.FunctionCode).toContain('substring(4)');
    // No error page covers the distribution: it would turn the API's 403 and 404 into a 200 page.
    expect(config.CustomErrorResponses).toBeUndefined();
  });

  it("writes config.json at deploy with the issuer, the console client and the API address on the console's origin", () => {
    const [[, deployment]] = only('Custom::CDKBucketDeployment') as [[string, Resource]];
    // The JSON's deploy-time values are markers: the user pool (issuer), its client, the API.
    const markers = JSON.stringify(deployment.Properties.SourceMarkers);
    expect(markers).toMatch(/"Ref":"StaffSignInUserPool[0-9A-F]+"/);
    expect(markers).toMatch(/"Ref":"StaffSignInUserPoolStaffClient[0-9A-F]+"/);
    expect(markers).toMatch(/"Fn::GetAtt":\["ConsoleDistribution[0-9A-F]+","DomainName"\]/);
    expect(markers).not.toContain('execute-api');
    expect(JSON.stringify(deployment.Properties.DistributionPaths)).toContain('/config.json');
  });

  it('gives the API no CORS (the console is same-origin), and signs the console in with PKCE and no secret', () => {
    const [[, api]] = only('AWS::ApiGatewayV2::Api') as [[string, Resource]];
    expect(api.Properties.CorsConfiguration).toBeUndefined();
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      CallbackURLs: [Match.objectLike({ 'Fn::Join': Match.anyValue() })],
    });
  });
});
