/**
 * The account review: cdk-nag's AwsSolutions pack over the whole stack, with no finding left
 * unacknowledged, every acknowledgment next to the resource it concerns and saying why in words;
 * the alarms notify an encrypted topic, the logs are kept six months under a customer key, the
 * API is throttled and the functions that scan the table run one at a time.
 *
 * A helper adding resources: run this test; an error names the construct path and the rule. Fix
 * it, or acknowledge it on that construct with `Validations.of(construct).acknowledge({ id, reason })`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import { workflowOperations } from '../../functions/workflow/functions.js';
import { apiThrottle } from '../../infra/subsidy-api.js';
import { synthesizeTemplate } from '../../infra/synthesize.js';

type Violation = { ruleName: string; severity: string; violatingResources: { constructPath: string }[] };
type Resource = { Type: string; Properties?: Record<string, any>; Metadata?: Record<string, any> };

const outdir = mkdtempSync(path.join(tmpdir(), 'subsidy-nag-'));
let synthesisError: unknown;
let template: Record<string, unknown> | undefined;
try {
  template = synthesizeTemplate({
    outdir,
    context: { '@aws-cdk/core:validationReportJson': true, alarmEmails: 'ops@city.example' },
    configure: (app) =>
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true })),
  });
} catch (error) {
  // A failed validation stops synthesis: the report below says why.
  synthesisError = error;
}
const report = JSON.parse(readFileSync(path.join(outdir, 'policy-validation-report.json'), 'utf8')) as {
  pluginReports: { violations: Violation[] }[];
};
afterAll(() => rmSync(outdir, { recursive: true, force: true }));
const violations = report.pluginReports.flatMap((plugin) => plugin.violations);
const findings = (severity: string) =>
  violations
    .filter((v) => v.severity === severity)
    .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`));

describe('account review (cdk-nag AwsSolutions)', () => {
  it('leaves no error unacknowledged', () => {
    expect(findings('error')).toEqual([]);
    expect(synthesisError).toBeUndefined();
  });

  it('acknowledges only on resources, each with a reason a reviewer can weigh', () => {
    const resources = Object.entries((template as { Resources: Record<string, Resource> }).Resources);
    const acknowledged = resources.flatMap(([logicalId, resource]) =>
      ((resource.Metadata?.cdk_nag?.rules_to_suppress ?? []) as { id: string; reason: string }[]).map((rule) => ({
        logicalId,
        ...rule,
      })),
    );
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const { logicalId, id, reason } of acknowledged) {
      // A sentence with its reason in it, not "ok" or "n/a".
      expect(reason.split(/\s+/).length, `${id} on ${logicalId}`).toBeGreaterThanOrEqual(12);
    }
    // No blanket acknowledgment: no rule acknowledged on the stack as a whole.
    expect(JSON.stringify((template as { Metadata?: unknown }).Metadata ?? {})).not.toContain('rules_to_suppress');
  });
});

describe('operations: alarms, logs, throttling, concurrency', () => {
  const synthesized = Template.fromJSON(template ?? {});
  const of = (type: string) => Object.values(synthesized.findResources(type)) as Resource[];

  it('sends every alarm to one topic, encrypted with a customer key, subscribed from context', () => {
    const [topicId] = Object.keys(synthesized.findResources('AWS::SNS::Topic'));
    const [topic] = of('AWS::SNS::Topic');
    expect(topic?.Properties?.KmsMasterKeyId).toMatchObject({
      'Fn::GetAtt': [expect.stringMatching(/^OperationsKey/), 'Arn'],
    });
    const alarms = of('AWS::CloudWatch::Alarm');
    expect(alarms.length).toBeGreaterThanOrEqual(7);
    for (const alarm of alarms) expect(alarm.Properties?.AlarmActions).toEqual([{ Ref: topicId }]);
    synthesized.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@city.example' });
  });

  it('keeps every log group 180 days or more, encrypted with the customer-managed key (rotated)', () => {
    const groups = of('AWS::Logs::LogGroup');
    expect(groups.length).toBeGreaterThan(10);
    for (const group of groups) {
      expect(group.Properties?.RetentionInDays).toBeGreaterThanOrEqual(180);
      expect(group.Properties?.KmsKeyId).toMatchObject({
        'Fn::GetAtt': [expect.stringMatching(/^OperationsKey/), 'Arn'],
      });
    }
    synthesized.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('throttles the API stage, and runs the functions that scan the table one at a time', () => {
    synthesized.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: {
        ThrottlingRateLimit: apiThrottle.rateLimit,
        ThrottlingBurstLimit: apiThrottle.burstLimit,
      },
    });
    const scanners = [
      workflowOperations.sweepDeadlines.entry,
      workflowOperations.reconcileExecutions.entry,
      workflowOperations.rerouteWaiting.entry,
    ];
    for (const entry of scanners) {
      const fn = of('AWS::Lambda::Function').find((f) => f.Metadata?.['subsidy:entry'] === entry);
      expect(fn?.Properties?.ReservedConcurrentExecutions, entry).toBe(1);
    }
  });

  it('uses no AWS managed policy and no table-wide index wildcard', () => {
    // Ours, that is: CDK's own BucketDeployment and bucket-notifications functions (deploy time only) keep CDK's roles.
    const cdkOwn = /^(CustomCDKBucketDeployment|BucketNotificationsHandler)/;
    const roles = Object.entries(synthesized.findResources('AWS::IAM::Role')) as [string, Resource][];
    for (const [id, role] of roles.filter(([id]) => !cdkOwn.test(id)))
      expect(role.Properties?.ManagedPolicyArns, id).toBeUndefined();
    expect(roles.length).toBeGreaterThan(20);
    expect(JSON.stringify(of('AWS::IAM::Policy'))).not.toContain('/index/*');
  });

  it('schedules the reconciler', () => {
    synthesized.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: `rate(${workflowOperations.reconcileExecutions.everyMinutes} minutes)`,
    });
  });
});
