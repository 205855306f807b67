/**
 * The staff console on AWS, as synthesized: a private bucket read only by CloudFront (origin access
 * control), HTTPS only, the security headers with a CSP, `config.json` written at deploy with the
 * issuer, client and API address, and the API's CORS limited to the console's origin.
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
        Origins: [Match.objectLike({ OriginAccessControlId: Match.anyValue() })],
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

  it('writes config.json at deploy with the issuer, the console client and the API address', () => {
    const [[, deployment]] = only('Custom::CDKBucketDeployment') as [[string, Resource]];
    // The JSON's deploy-time values are markers: the user pool (issuer), its client, the API.
    const markers = JSON.stringify(deployment.Properties.SourceMarkers);
    expect(markers).toMatch(/"Ref":"StaffSignInUserPool[0-9A-F]+"/);
    expect(markers).toMatch(/"Ref":"StaffSignInUserPoolStaffClient[0-9A-F]+"/);
    expect(markers).toMatch(/"Ref":"ApiHttpApi[0-9A-F]+"/);
    expect(JSON.stringify(deployment.Properties.DistributionPaths)).toContain('/config.json');
  });

  it("limits the API's CORS to the console's origin, and signs the console in with PKCE and no secret", () => {
    const [[, api]] = only('AWS::ApiGatewayV2::Api') as [[string, Resource]];
    const cors = api.Properties.CorsConfiguration;
    expect(cors.AllowOrigins).toHaveLength(1);
    expect(JSON.stringify(cors.AllowOrigins[0])).toContain('Distribution');
    expect(cors.AllowHeaders).toEqual(expect.arrayContaining(['authorization', 'x-acting-as']));
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      CallbackURLs: [Match.objectLike({ 'Fn::Join': Match.anyValue() })],
    });
  });
});
