/**
 * Issuer by configuration and the China regions: with an external OIDC issuer the JWT authorizer
 * takes its tokens and the template has no Cognito resource; synthesized for cn-north-1, no ARN is
 * written with a literal `arn:aws:` (every one carries the partition). One more synthesis (~10 s).
 */
import { App, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { StaffSignIn } from '../../infra/staff-sign-in.js';
import { synthesizeTemplate } from '../../infra/synthesize.js';

const issuer = 'https://sso.hebei.gov.cn/realms/baoding';
const template = synthesizeTemplate({
  region: 'cn-north-1',
  context: { issuer, audience: 'subsidy-console', subClaim: 'oid' },
});
const resources = template.Resources as Record<string, { Type: string; Properties?: Record<string, any> }>;

describe('an external issuer in a China region', () => {
  it('has the JWT authorizer take the configured issuer and audience, and makes no Cognito resource', () => {
    const authorizers = Object.values(resources).filter((r) => r.Type === 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizers.map((a) => a.Properties?.JwtConfiguration)).toEqual([
      { Issuer: issuer, Audience: ['subsidy-console'] },
    ]);
    expect(Object.values(resources).filter((r) => r.Type.startsWith('AWS::Cognito::'))).toEqual([]);
  });

  it('writes no literal arn:aws: anywhere: every ARN is built with the partition', () => {
    const text = JSON.stringify(template);
    expect(text.match(/.{0,80}arn:aws:.{0,40}/g) ?? []).toEqual([]);
    expect(text).toContain('"Ref":"AWS::Partition"');
  });

  it('tells every function which claim names the person', () => {
    const functions = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    const routes = functions.filter((f) => f.Properties?.Environment?.Variables?.TABLE_NAME);
    expect(routes.length).toBeGreaterThan(20);
    const apiFunctions = routes.filter((f) => String(f.Properties?.Description ?? '').match(/^(GET|POST|PUT|DELETE) /));
    for (const fn of apiFunctions) expect(fn.Properties?.Environment?.Variables?.STAFF_SUB_CLAIM).toBe('oid');
  });
});

describe('the claim that names the person', () => {
  const signIn = (subClaim: string) => () =>
    new StaffSignIn(new Stack(new App(), 'SignIn'), 'StaffSignIn', { issuer, audience: 'subsidy-console', subClaim });

  it('refuses a claim the person or the issuer may change, naming the ones it takes', () => {
    for (const editable of ['email', 'preferred_username', 'phone_number', 'name'])
      expect(signIn(editable)).toThrow(
        new RegExp(`subClaim "${editable}" is not a claim the issuer keeps immutable.*Use one of sub, oid`),
      );
  });

  it('takes sub and an issuer-documented immutable id', () => {
    expect(signIn('sub')).not.toThrow();
    expect(signIn('oid')).not.toThrow();
  });
});
