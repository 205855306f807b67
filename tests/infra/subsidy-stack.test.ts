/**
 * The synthesized CloudFormation template: targeted assertions on what matters for safety,
 * cost and the local runtime. Bundling is skipped everywhere but in one test that bundles for real.
 */

import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, inject, it } from 'vitest';
import { apiRoutes } from '../../functions/api/routes.js';
import { applicationsFunctions } from '../../functions/applications/functions.js';
import { employmentFunctions } from '../../functions/employment/functions.js';
import { integrityFunctions } from '../../functions/integrity/functions.js';
import { monitoringFunctions } from '../../functions/monitoring/functions.js';
import { verificationFunctions } from '../../functions/verification/functions.js';
import { webhookFunctions } from '../../functions/webhooks/functions.js';
import { workflowOperations, workflowSteps } from '../../functions/workflow/functions.js';
import { entryMetadataKey, repositoryRoot, unreachableInLambda } from '../../infra/subsidy-function.js';
import { synthesizeTemplate } from '../../infra/synthesize.js';

// Template JSON is navigated freely here; the assertions themselves pin the shapes.
type Resource = { Type: string; Properties?: Record<string, any>; Metadata?: Record<string, unknown> };
type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

// The run's shared template (tests/support/global-setup.ts): the same synthesis, done once.
const template = Template.fromJSON(inject('template'));
const stepEntries = Object.values(workflowSteps).map((step) => step.entry);
const webhookEntries = Object.values(webhookFunctions).map((fn) => fn.entry);
const monitoringEntries = Object.values(monitoringFunctions).map((fn) => fn.entry);
const employmentEntries = Object.values(employmentFunctions).map((fn) => fn.entry);
const operationEntries = Object.values(workflowOperations).map((fn) => fn.entry);
const integrityEntries = Object.values(integrityFunctions).map((fn) => fn.entry);
const verificationEntries = Object.values(verificationFunctions).map((fn) => fn.entry);
const applicationsEntries = Object.values(applicationsFunctions).map((fn) => fn.entry);
const allEntries = [
  ...integrityEntries,
  ...applicationsEntries,
  ...apiRoutes.map((route) => route.entry),
  ...stepEntries,
  ...operationEntries,
  ...webhookEntries,
  ...monitoringEntries,
  ...employmentEntries,
  ...verificationEntries,
];

/**
 * CDK's own handlers that copy the staff console into its bucket and set the snapshot bucket's
 * notification (with their roles), run while deploying: not product functions.
 */
const cdkOwn = (id: string) =>
  id.startsWith('CustomCDKBucketDeployment') || id.startsWith('BucketNotificationsHandler');
const resources = (type: string) =>
  Object.fromEntries(Object.entries(template.findResources(type)).filter(([id]) => !cdkOwn(id))) as Record<
    string,
    Resource
  >;

/** Turns an `Fn::Join` of strings and tokens into one string, each token a placeholder. */
function joined(value: unknown): string {
  if (typeof value === 'string') return value;
  const [separator, parts] = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return parts.map((part) => (typeof part === 'string' ? part : 'TOKEN')).join(separator);
}

function definitionOf(synthesized: Template) {
  const [machine] = Object.values(synthesized.findResources('AWS::StepFunctions::StateMachine')) as Resource[];
  return JSON.parse(joined(machine?.Properties?.DefinitionString)) as {
    QueryLanguage?: string;
    States: Record<
      string,
      {
        Type: string;
        Resource?: string;
        TimeoutSeconds?: number;
        TimeoutSecondsPath?: string;
        QueryLanguage?: string;
        Catch?: unknown[];
        Choices?: unknown[];
        Parameters?: Record<string, unknown>;
      }
    >;
  };
}

const actionsOf = (statement: Statement) => [statement.Action].flat();

/** The logical id of the Lambda function whose `subsidy:entry` is `entry`. */
function functionIdOf(entry: string): string {
  const found = Object.entries(resources('AWS::Lambda::Function')).find(
    ([, fn]) => fn.Metadata?.[entryMetadataKey] === entry,
  );
  if (!found) throw new Error(`no function carries ${entry}`);
  return found[0];
}

/** Every Step Functions action granted to the function that runs `entry`. */
function stepFunctionsActionsOf(entry: string): string[] {
  const roleId = (
    resources('AWS::Lambda::Function')[functionIdOf(entry)]?.Properties?.Role?.['Fn::GetAtt'] as string[] | undefined
  )?.[0];
  return Object.values(resources('AWS::IAM::Policy'))
    .filter((policy) =>
      ((policy.Properties?.Roles ?? []) as unknown[]).some(
        (role) => JSON.stringify(role) === JSON.stringify({ Ref: roleId }),
      ),
    )
    .flatMap((policy) => policy.Properties?.PolicyDocument.Statement as Statement[])
    .flatMap(actionsOf)
    .filter((action) => action.startsWith('states:'))
    .sort();
}

describe('the application table', () => {
  it('is on-demand, encrypted, recoverable to a point in time and expires items by expiresAt', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('has the inbox, escalation, community-applications and stage-backlog indexes the store queries, projecting only what their readers use', () => {
    const inboxProjection = {
      ProjectionType: 'INCLUDE',
      NonKeyAttributes: Match.arrayWith(['applicant', 'dueAt', 'overdue', 'version']),
    };
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      GlobalSecondaryIndexes: Match.arrayWith([
        Match.objectLike({ IndexName: 'inbox', Projection: inboxProjection }),
        Match.objectLike({
          IndexName: 'community-applications',
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: Match.arrayWith(['status', 'applicant']) },
        }),
        Match.objectLike({ IndexName: 'escalations', Projection: inboxProjection }),
        Match.objectLike({
          IndexName: 'stage-backlog',
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['stageEnteredAt', 'overdue'] },
        }),
      ]),
    });
    const indexes = Object.values(template.findResources('AWS::DynamoDB::Table'))[0]?.Properties
      .GlobalSecondaryIndexes as { IndexName: string; Projection: { NonKeyAttributes?: string[] } }[];
    // The eligibility verdict and the applicant's details beyond the name are never copied into an index.
    for (const index of indexes) expect(index.Projection.NonKeyAttributes ?? []).not.toContain('eligibility');
  });

  it("has a keys-only deadline-due index, the deadline sweep's work list", () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      GlobalSecondaryIndexes: Match.arrayWith([
        Match.objectLike({
          IndexName: 'deadline-due',
          KeySchema: [
            { AttributeName: 'deadlinePk', KeyType: 'HASH' },
            { AttributeName: 'deadlineSk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        }),
      ]),
    });
  });

  it('outlives the stack', () => {
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });
});

describe('the functions', () => {
  it('deploys one function per route and per workflow step, on Node.js 22 and arm64', () => {
    const functions = Object.values(resources('AWS::Lambda::Function'));

    expect(functions).toHaveLength(allEntries.length);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: 512,
      });
    }
  });

  it('gives the API 10 seconds and the workflow steps 30', () => {
    for (const route of apiRoutes) {
      expect(resources('AWS::Lambda::Function')[functionIdOf(route.entry)]?.Properties?.Timeout).toBe(10);
    }
    for (const entry of stepEntries) {
      expect(resources('AWS::Lambda::Function')[functionIdOf(entry)]?.Properties?.Timeout).toBe(30);
    }
  });

  it("logs every function to its module's log group with a retention, and stays within CloudFormation's 500 resources", () => {
    const logGroups = resources('AWS::Logs::LogGroup');
    const groupOfModule = new Map<string, string>();

    for (const fn of Object.values(resources('AWS::Lambda::Function'))) {
      const logGroupId = fn.Properties?.LoggingConfig?.LogGroup?.Ref as string;
      expect(logGroups[logGroupId]?.Properties?.RetentionInDays).toBe(180);
      const entry = fn.Metadata?.[entryMetadataKey] as string | undefined;
      if (!entry) continue;
      const module = entry.split('/')[1] as string;
      expect(groupOfModule.get(module) ?? logGroupId, entry).toBe(logGroupId);
      groupOfModule.set(module, logGroupId);
    }
    expect(new Set(groupOfModule.values()).size).toBe(groupOfModule.size);
    // Synthesis fails beyond 500; leave room for what the next capabilities add.
    expect(Object.keys(template.toJSON().Resources).length).toBeLessThan(460);
  });

  it('names the existing handler file of every function in its metadata', () => {
    const entries = Object.values(resources('AWS::Lambda::Function')).map((fn) => fn.Metadata?.[entryMetadataKey]);

    expect(entries.sort()).toEqual([...allEntries].sort());
    for (const entry of entries)
      expect(existsSync(path.join(repositoryRoot, entry as string)), `${entry} exists`).toBe(true);
  });

  it('tells every function that uses the table its name, and turns on source maps', () => {
    const tableless = new Set(apiRoutes.filter((route) => !route.needs.table).map((route) => route.entry));
    expect([...tableless]).toEqual(['functions/api/http/openapi.ts']);
    for (const [id, fn] of Object.entries(resources('AWS::Lambda::Function'))) {
      const entry = String(fn.Metadata?.[entryMetadataKey]);
      expect(fn.Properties?.Environment.Variables, id).toMatchObject({
        ...(tableless.has(entry) ? {} : { TABLE_NAME: { Ref: expect.stringMatching(/^ApplicationsTable/) } }),
        NODE_OPTIONS: '--enable-source-maps',
      });
      if (tableless.has(entry)) expect(fn.Properties?.Environment.Variables, id).not.toHaveProperty('TABLE_NAME');
    }
  });

  it('tells only the functions that start or describe executions which state machine to use', () => {
    for (const route of apiRoutes) {
      const variables =
        resources('AWS::Lambda::Function')[functionIdOf(route.entry)]?.Properties?.Environment.Variables;
      const needsArn = Boolean(route.needs.startExecutions || route.needs.describeWorkflow);
      expect('STATE_MACHINE_ARN' in variables, route.name).toBe(needsArn);
    }
  });
});

describe('the approval state machine', () => {
  it('is a Standard state machine with a fixed name, tracing and every event logged without execution data', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineName: 'EmploymentSubsidy-application-approval',
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: false,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } } }],
      },
    });
  });

  it('waits for people with callback tokens that time out after the wait the route answers (the longest)', () => {
    const { States } = definitionOf(template);

    for (const name of ['AwaitDecision', 'AwaitResubmission']) {
      expect(States[name]?.Type).toBe('Task');
      expect(States[name]?.Resource).toMatch(/lambda:invoke\.waitForTaskToken$/);
      expect(States[name]?.TimeoutSeconds).toBeUndefined();
      expect(States[name]?.TimeoutSecondsPath).toBe('$.route.waitSeconds');
      // A timed-out wait routes again; a released one goes straight to NextStep with the step it was given.
      expect(States[name]?.Catch).toEqual([
        { ErrorEquals: ['States.Timeout'], ResultPath: null, Next: 'RouteApplication' },
      ]);
      expect(States[name]).toMatchObject({ ResultPath: '$.route', Next: 'NextStep' });
    }
  });

  it('routes again on the "route again" signal, and caps routed waits as the stack is told', () => {
    const { States } = definitionOf(template);
    expect(States.NextStep?.Choices).toContainEqual({
      Variable: '$.route.action',
      StringEquals: 'route-again',
      Next: 'RouteApplication',
    });
    expect(JSON.stringify(States.RouteApplication?.Parameters)).not.toContain('longestWaitSeconds');

    const capped = definitionOf(Template.fromJSON(synthesizeTemplate({ longestWait: Duration.hours(2) })));
    expect(capped.States.RouteApplication?.Parameters).toMatchObject({
      longestWaitSeconds: 7200,
    });
  });

  it('records deadline events with a sweep every minute, which may write the table and never touches an execution', () => {
    const { sweepDeadlines } = workflowOperations;
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [functionIdOf(sweepDeadlines.entry), 'Arn'] } })],
    });
    const variables =
      resources('AWS::Lambda::Function')[functionIdOf(sweepDeadlines.entry)]?.Properties?.Environment.Variables;
    expect(variables).not.toHaveProperty('STATE_MACHINE_ARN');
    expect(stepFunctionsActionsOf(sweepDeadlines.entry)).toEqual([]);
  });

  it('is written in JSONPath, which the local engine runs, not JSONata', () => {
    const definition = definitionOf(template);

    expect(definition.QueryLanguage).not.toBe('JSONata');
    for (const state of Object.values(definition.States)) expect(state.QueryLanguage).not.toBe('JSONata');
  });

  it('may invoke the two step functions and no other', () => {
    const stepIds = stepEntries.map(functionIdOf).sort();
    const [role] = Object.keys(resources('AWS::IAM::Role')).filter((id) =>
      JSON.stringify(resources('AWS::IAM::Role')[id]?.Properties?.AssumeRolePolicyDocument).includes(
        'states.amazonaws.com',
      ),
    );
    const statements = Object.values(resources('AWS::IAM::Policy'))
      .filter((policy) => JSON.stringify(policy.Properties?.Roles) === JSON.stringify([{ Ref: role }]))
      .flatMap((policy) => policy.Properties?.PolicyDocument.Statement as Statement[]);
    const invokeTargets = statements
      .filter((statement) => actionsOf(statement).some((action) => action.startsWith('lambda:')))
      .flatMap((statement) => [statement.Resource].flat())
      .map((resource) => JSON.stringify(resource).match(/"Fn::GetAtt":\["([^"]+)","Arn"\]/)?.[1]);

    expect(statements.flatMap(actionsOf).filter((action) => action.startsWith('lambda:'))).toEqual([
      'lambda:InvokeFunction',
    ]);
    expect([...new Set(invokeTargets)].sort()).toEqual(stepIds);
  });
});

describe('permissions', () => {
  it('grants no Step Functions action on every resource', () => {
    const statements = Object.values(resources('AWS::IAM::Policy')).flatMap(
      (policy) => policy.Properties?.PolicyDocument.Statement as Statement[],
    );

    for (const statement of statements) {
      const actions = actionsOf(statement);
      expect(actions).not.toContain('states:*');
      if (actions.some((action) => action.startsWith('states:')))
        expect([statement.Resource].flat()).not.toContain('*');
    }
  });

  it('grants each function exactly the Step Functions actions its route or step needs', () => {
    const taskResponse = ['states:SendTaskFailure', 'states:SendTaskHeartbeat', 'states:SendTaskSuccess'];
    for (const route of apiRoutes) {
      const expected = [
        ...(route.needs.startExecutions ? ['states:StartExecution'] : []),
        ...(route.needs.releaseTasks ? taskResponse : []),
        ...(route.needs.describeWorkflow ? ['states:DescribeStateMachine'] : []),
      ].sort();
      expect(stepFunctionsActionsOf(route.entry), route.name).toEqual(expected);
    }
    expect(stepFunctionsActionsOf(workflowSteps.awaitPerson.entry)).toEqual(taskResponse);
    expect(stepFunctionsActionsOf(workflowSteps.routeApplication.entry)).toEqual([]);
  });
});

describe('the HTTP API', () => {
  const [authorizerId] = Object.keys(resources('AWS::ApiGatewayV2::Authorizer'));
  const [userPoolId] = Object.keys(resources('AWS::Cognito::UserPool'));
  const [clientId] = Object.keys(resources('AWS::Cognito::UserPoolClient'));

  it('accepts tokens from the staff user pool, issued to its client', () => {
    const authorizer = resources('AWS::ApiGatewayV2::Authorizer')[authorizerId as string]?.Properties;
    const issuer = authorizer?.JwtConfiguration.Issuer as { 'Fn::Join': [string, unknown[]] };

    expect(authorizer?.AuthorizerType).toBe('JWT');
    expect(joined(issuer)).toBe('https://cognito-idp.TOKEN.amazonaws.com/TOKEN');
    expect(issuer['Fn::Join'][1]).toContainEqual({ Ref: userPoolId });
    expect(authorizer?.JwtConfiguration.Audience).toEqual([{ Ref: clientId }]);
  });

  it('lets no one sign up and no one change their own role or unit', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Schema: Match.arrayWith([Match.objectLike({ Name: 'role' }), Match.objectLike({ Name: 'unit' })]),
    });
    const writable = resources('AWS::Cognito::UserPoolClient')[clientId as string]?.Properties
      ?.WriteAttributes as string[];

    expect(writable.filter((attribute) => attribute.startsWith('custom:'))).toEqual([]);
  });

  it('protects every route but GET /health and GET /openapi.json with the JWT authorizer', () => {
    const routes = Object.values(resources('AWS::ApiGatewayV2::Route')).map((route) => route.Properties ?? {});

    expect(routes.map((route) => route.RouteKey).sort()).toEqual(
      apiRoutes.map((route) => `${route.method} ${route.path}`).sort(),
    );
    for (const route of routes) {
      if (['GET /health', 'GET /openapi.json'].includes(route.RouteKey as string))
        expect(route.AuthorizationType).toBe('NONE');
      else
        expect(route, route.RouteKey).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
    }
  });

  it('logs access to the default stage', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] }, Format: Match.anyValue() },
    });
  });
});

describe('webhooks', () => {
  const queues = () => resources('AWS::SQS::Queue');
  const [dlqId, dlq] = Object.entries(queues()).find(([, queue]) => !queue.Properties?.RedrivePolicy) ?? [];
  const [queueId, queue] = Object.entries(queues()).find(([, queue]) => queue.Properties?.RedrivePolicy) ?? [];
  const variablesOf = (entry: string) =>
    resources('AWS::Lambda::Function')[functionIdOf(entry)]?.Properties?.Environment.Variables as Record<
      string,
      unknown
    >;
  const statementsOf = (entry: string) => {
    const roleId = (
      resources('AWS::Lambda::Function')[functionIdOf(entry)]?.Properties?.Role?.['Fn::GetAtt'] as string[] | undefined
    )?.[0];
    return Object.values(resources('AWS::IAM::Policy'))
      .filter((policy) =>
        ((policy.Properties?.Roles ?? []) as unknown[]).some(
          (role) => JSON.stringify(role) === JSON.stringify({ Ref: roleId }),
        ),
      )
      .flatMap((policy) => policy.Properties?.PolicyDocument.Statement as Statement[]);
  };

  it('streams new images of the table, the outbox the consumer reads', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      GlobalSecondaryIndexes: Match.arrayWith([
        Match.objectLike({ IndexName: 'webhook-due', Projection: { ProjectionType: 'ALL' } }),
      ]),
    });
  });

  it('feeds the stream consumer only inserted history events, retrying a failed batch in halves into the DLQ', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionIdOf(webhookFunctions.streamConsumer.entry) },
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApplicationsTable'), 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      FilterCriteria: {
        Filters: [
          {
            Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { Keys: { sk: { S: [{ prefix: 'EVT#' }] } } } }),
          },
        ],
      },
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [dlqId, 'Arn'] } } },
    });
  });

  it('has a delivery queue with a dead-letter queue, both encrypted, that the worker consumes reporting partial failures', () => {
    expect(queue?.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 5 },
    });
    expect(dlq?.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionIdOf(webhookFunctions.deliveryWorker.entry) },
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    // The queue lets a message out again only after the worker surely gave up on it.
    const workerTimeout = resources('AWS::Lambda::Function')[functionIdOf(webhookFunctions.deliveryWorker.entry)]
      ?.Properties?.Timeout as number;
    expect(queue?.Properties?.VisibilityTimeout).toBeGreaterThanOrEqual(6 * workerTimeout);
  });

  it('sweeps the due index every minute with the worker', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [
        Match.objectLike({ Arn: { 'Fn::GetAtt': [functionIdOf(webhookFunctions.deliveryWorker.entry), 'Arn'] } }),
      ],
    });
  });

  it('alarms on messages in the dead-letter queue and on old messages in the delivery queue', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      Threshold: 1800,
    });
  });

  it('lets only the consumer, the worker and the routes that wake it send to the queue', () => {
    const senders = Object.values(resources('AWS::Lambda::Function'))
      .map((fn) => fn.Metadata?.[entryMetadataKey] as string)
      // Sending to the deliveries queue; the throughput aggregator sends only to its own dead-letter queue.
      .filter((entry) =>
        statementsOf(entry).some(
          (statement) =>
            actionsOf(statement).includes('sqs:SendMessage') &&
            JSON.stringify(statement.Resource).includes(String(queueId)),
        ),
      )
      .sort();

    expect(senders).toEqual(
      [...webhookEntries, ...apiRoutes.filter((route) => route.needs.webhookQueue).map((route) => route.entry)].sort(),
    );
    for (const entry of senders) expect(variablesOf(entry).WEBHOOK_QUEUE_URL).toEqual({ Ref: queueId });
    const workerActions = statementsOf(webhookFunctions.deliveryWorker.entry).flatMap(actionsOf);
    expect(
      workerActions.filter(
        (action) => action.startsWith('sqs:ReceiveMessage') || action.startsWith('sqs:DeleteMessage'),
      ),
    ).toHaveLength(2);
    expect(statementsOf(webhookFunctions.streamConsumer.entry).flatMap(actionsOf)).toContain('dynamodb:GetRecords');
  });
});

describe('the resident-ID vault key', () => {
  const [keyId] = Object.entries(resources('AWS::KMS::Key'))
    .filter(([, key]) => key.Properties?.KeySpec !== 'HMAC_256')
    .map(([id]) => id);
  const sealing = apiRoutes.filter((route) => route.needs.sealResidentIds).map((route) => route.entry);
  const kmsActionsOf = (entry: string) => {
    const roleId = (
      resources('AWS::Lambda::Function')[functionIdOf(entry)]?.Properties?.Role?.['Fn::GetAtt'] as string[] | undefined
    )?.[0];
    return Object.values(resources('AWS::IAM::Policy'))
      .filter((policy) =>
        ((policy.Properties?.Roles ?? []) as unknown[]).some(
          (role) => JSON.stringify(role) === JSON.stringify({ Ref: roleId }),
        ),
      )
      .flatMap((policy) => policy.Properties?.PolicyDocument.Statement as Statement[])
      .filter((statement) => actionsOf(statement).some((action) => action.startsWith('kms:')))
      .filter((statement) => JSON.stringify(statement.Resource).includes(String(keyId)));
  };

  it('is one customer-managed key with yearly rotation that outlives the stack', () => {
    // this one, the history's HMAC key, the digests' signing key, the paging cursors' HMAC key and
    // the operations key (logs, alarm topic)
    expect(Object.keys(resources('AWS::KMS::Key'))).toHaveLength(5);
    template.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({ EnableKeyRotation: true, RotationPeriodInDays: 365 }),
      DeletionPolicy: 'Retain',
    });
  });

  const opener = applicationsFunctions.factChecker.entry;

  it('lets only submit and resubmit encrypt with it, and only the fact checker decrypt, under the resident-ID context', () => {
    expect([...sealing].sort()).toEqual([
      'functions/applications/http/resubmit-application.ts',
      'functions/applications/http/submit-application.ts',
      'functions/employment/http/register-ledger-entry.ts',
    ]);
    for (const entry of allEntries) {
      const statements = kmsActionsOf(entry);
      if (sealing.includes(entry)) {
        expect(statements.flatMap(actionsOf)).toEqual(['kms:Encrypt']);
        expect(statements[0]?.Resource).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
      } else if (entry === opener) {
        expect(statements).toEqual([
          expect.objectContaining({
            Action: 'kms:Decrypt',
            Resource: { 'Fn::GetAtt': [keyId, 'Arn'] },
            Condition: { StringEquals: { 'kms:EncryptionContext:purpose': 'resident-id' } },
          }),
        ]);
      } else {
        expect(statements, entry).toEqual([]);
      }
    }
  });

  it('names the key only to the functions that seal, and the one that opens', () => {
    const named = Object.values(resources('AWS::Lambda::Function'))
      .filter((fn) => fn.Properties?.Environment.Variables.RESIDENT_ID_KMS_KEY_ID)
      .map((fn) => fn.Metadata?.[entryMetadataKey] as string)
      .sort();
    expect(named).toEqual([...sealing, opener].sort());
    const [submit] = Object.values(resources('AWS::Lambda::Function')).filter(
      (fn) => fn.Metadata?.[entryMetadataKey] === 'functions/applications/http/submit-application.ts',
    );
    expect(submit?.Properties?.Environment.Variables.RESIDENT_ID_KMS_KEY_ID).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
  });
});

describe('the stack', () => {
  it('keeps every log group six months (the Cybersecurity Law), no more', () => {
    const logGroups = Object.values(resources('AWS::Logs::LogGroup'));

    expect(logGroups.length).toBeGreaterThan(0);
    for (const logGroup of logGroups) expect(logGroup.Properties?.RetentionInDays).toBe(180);
  });

  it('answers the API URL, user pool, client, table and state machine', () => {
    for (const output of ['ApiUrl', 'UserPoolId', 'UserPoolClientId', 'TableName', 'StateMachineArn'])
      template.hasOutput(output, {});
  });

  it('bundles every function into one minified ES module under 460 KB that carries the AWS SDK it calls', () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'subsidy-bundle-'));
    try {
      const bundled = Template.fromJSON(synthesizeTemplate({ bundle: true, outdir }));
      const functions = Object.entries(bundled.findResources('AWS::Lambda::Function'))
        .filter(([id]) => !cdkOwn(id))
        .map(([, fn]) => fn) as Resource[];

      expect(functions).toHaveLength(allEntries.length);
      for (const fn of functions) {
        const s3Key = fn.Properties?.Code.S3Key as string;
        expect(s3Key).toMatch(/^[0-9a-f]{64}\.zip$/);
        const bundle = path.join(outdir, `asset.${s3Key.replace(/\.zip$/, '')}`, 'index.mjs');
        const code = readFileSync(bundle, 'utf8');
        const lines = code.split('\n');

        expect(code.length / lines.length, `${bundle} is minified`).toBeGreaterThan(1_000);
        // Module syntax only (`from"x"`, `import"x"`, `import("x")`): the SDK's own error
        // messages quote `[import "@aws-sdk/…"]` as advice, which the `[` keeps out; a specifier
        // has the characters of a module name (no spaces, no commas), which keeps out prose such as
        // `"Failed to parse URL from "+e` and DynamoDB expressions such as `{":from":f.from,":to":…}`.
        const specifier = `["']([@a-z][a-z0-9@/._:-]*)["']`;
        const loadedAtStart = [
          ...code.matchAll(new RegExp(`(?:\\bfrom\\s*|(?:^|[;}])\\s*import\\s*)${specifier}`, 'gm')),
        ].map((match) => match[1]);
        const loadedWhenReached = [...code.matchAll(new RegExp(`\\bimport\\s*\\(\\s*${specifier}`, 'g'))].map(
          (match) => match[1],
        );
        // `[require("…");]` is S3's own advice in an error message (the `[` keeps it out, as for imports).
        const required = [...code.matchAll(new RegExp(`(?<!\\[)\\brequire\\s*\\(\\s*${specifier}\\s*\\)`, 'g'))].map(
          (match) => match[1],
        );
        // CommonJS dependencies (the snapshot importer's spreadsheet readers) require `crypto`, not `node:crypto`.
        const builtIn = (specifier?: string) => specifier !== undefined && isBuiltin(specifier);
        expect(loadedAtStart.length, `${bundle} imports Node built-ins`).toBeGreaterThan(0);
        expect(
          [...loadedAtStart, ...required].filter((specifier) => !builtIn(specifier)),
          `${bundle} loads only Node built-ins at start`,
        ).toEqual([]);
        // The credential providers Lambda never reaches stay out, loaded only if ever reached (from the runtime's SDK).
        expect(
          loadedWhenReached.filter(
            (specifier) => !builtIn(specifier) && !unreachableInLambda.includes(specifier ?? ''),
          ),
          `${bundle} leaves out only the unreachable providers`,
        ).toEqual([]);
        // 400 KB until the secrets moved to Secrets Manager: its client and Powertools Parameters
        // add ≈ 19 KB to the functions that read one (intake: 405 and 410 KB); see docs/performance.md.
        // The daily digest job (one run a day, no one waiting on its cold start) carries the S3 client: 600 KB.
        // 430 since the merge of robustness, privacy and the ledger: resubmit measured 421 KB.
        // 460 since verification: intake asks the data exchange (its checks, the signed client, the
        // snapshot answers, the suspicion it may raise): submit measured 453 KB.
        // The snapshot importer (run when the exchange drops a file, no one waiting on its cold start)
        // carries exceljs and its zip and XML readers, csv-parse and iconv-lite: 2,036 KB measured.
        const entry = fn.Metadata?.[entryMetadataKey];
        const budgetKb =
          entry === integrityFunctions.dailyDigest.entry
            ? 600
            : entry === verificationFunctions.snapshotImport.entry
              ? 2_200
              : 460;
        expect(
          statSync(bundle).size / 1024,
          `${fn.Metadata?.[entryMetadataKey]} (${bundle}) is within the ${budgetKb} KB budget`,
        ).toBeLessThanOrEqual(budgetKb);
        expect(
          code.startsWith("import { createRequire } from 'module';"),
          `${bundle} opens with the require banner`,
        ).toBe(true);
        expect(existsSync(`${bundle}.map`)).toBe(true);
        // Whatever seals resident IDs or MACs history carries the KMS client (its wire name is
        // TrentService). Since the history is keyed, every bundle with the application store carries
        // it too (the grants, tested below, are what limit who may use which key).
        const usesKms = apiRoutes.some(
          (route) =>
            (route.needs.sealResidentIds || route.needs.historyKey) && route.entry === fn.Metadata?.[entryMetadataKey],
        );
        if (usesKms) expect(code.includes('TrentService'), `${bundle} carries the KMS client`).toBe(true);
      }
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }, 300_000);
});

describe("the history's HMAC key", () => {
  const variablesOf = (entry: string) =>
    (resources('AWS::Lambda::Function')[functionIdOf(entry)]?.Properties?.Environment.Variables ?? {}) as Record<
      string,
      unknown
    >;
  const [macKeyId] = Object.entries(resources('AWS::KMS::Key'))
    .filter(
      ([, key]) => key.Properties?.KeySpec === 'HMAC_256' && String(key.Properties?.Description).includes('history'),
    )
    .map(([id]) => id);
  const macActionsOf = (entry: string) => {
    const roleId = (
      resources('AWS::Lambda::Function')[functionIdOf(entry)]?.Properties?.Role?.['Fn::GetAtt'] as string[] | undefined
    )?.[0];
    return Object.values(resources('AWS::IAM::Policy'))
      .filter((policy) =>
        ((policy.Properties?.Roles ?? []) as unknown[]).some(
          (role) => JSON.stringify(role) === JSON.stringify({ Ref: roleId }),
        ),
      )
      .flatMap((policy) => policy.Properties?.PolicyDocument.Statement as Statement[])
      .filter((statement) => JSON.stringify(statement.Resource).includes(String(macKeyId)))
      .flatMap(actionsOf);
  };
  const writers = [
    ...apiRoutes.filter((route) => route.needs.historyKey === 'write').map((route) => route.entry),
    'functions/workflow/steps/route-application.ts',
    'functions/workflow/scheduled/sweep-deadlines.ts',
    'functions/employment/events/employment-feed.ts',
    applicationsFunctions.factChecker.entry,
  ].sort();

  it('is an HMAC_256 key for GenerateMac/VerifyMac that outlives the stack', () => {
    template.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }),
      DeletionPolicy: 'Retain',
    });
  });

  it('lets the writers of history only generate MACs, the readers only verify them, and no one else either', () => {
    expect(writers).toEqual(
      [
        'functions/applications/http/batch-approve.ts',
        'functions/employment/http/change-ledger-status.ts',
        'functions/applications/http/decide-application.ts',
        'functions/applications/http/dispose-suspicion.ts',
        'functions/employment/http/register-ledger-entry.ts',
        'functions/applications/http/resubmit-application.ts',
        'functions/applications/http/submit-application.ts',
        'functions/applications/http/withdraw-application.ts',
        'functions/employment/events/employment-feed.ts',
        'functions/applications/scheduled/fact-checker.ts',
        'functions/workflow/steps/route-application.ts',
        'functions/workflow/scheduled/sweep-deadlines.ts',
      ].sort(),
    );
    for (const entry of allEntries) {
      const expected = writers.includes(entry)
        ? ['kms:GenerateMac']
        : entry === 'functions/applications/http/get-application.ts' ||
            entry === 'functions/integrity/http/people-export.ts' ||
            entry === 'functions/employment/http/get-ledger-entry.ts'
          ? ['kms:VerifyMac']
          : [];
      expect(macActionsOf(entry), entry).toEqual(expected);
      expect(variablesOf(entry).HISTORY_MAC_KMS_KEY_ID === undefined, entry).toBe(expected.length === 0);
    }
  });
});

describe('secrets', () => {
  const functions = () => Object.entries(resources('AWS::Lambda::Function'));
  const secretIds = Object.keys(resources('AWS::SecretsManager::Secret'));
  const secretIdOf = (description: RegExp) => {
    const found = Object.entries(resources('AWS::SecretsManager::Secret')).find(([, secret]) =>
      description.test(String(secret.Properties?.Description)),
    );
    if (!found) throw new Error(`no secret described as ${description}`);
    return found[0];
  };
  /** The entries whose role may call GetSecretValue on `secretId`. */
  const readersOf = (secretId: string) =>
    functions()
      .filter(([, fn]) => {
        const roleId = (fn.Properties?.Role?.['Fn::GetAtt'] as string[] | undefined)?.[0];
        return Object.values(resources('AWS::IAM::Policy'))
          .filter((policy) =>
            ((policy.Properties?.Roles ?? []) as unknown[]).some(
              (role) => JSON.stringify(role) === JSON.stringify({ Ref: roleId }),
            ),
          )
          .flatMap((policy) => policy.Properties?.PolicyDocument.Statement as Statement[])
          .some(
            (statement) =>
              actionsOf(statement).includes('secretsmanager:GetSecretValue') &&
              // CDK merges the statements of two secrets a function reads into one with both resources.
              [statement.Resource]
                .flat()
                .some((resource) => JSON.stringify(resource) === JSON.stringify({ Ref: secretId })),
          );
      })
      .map(([, fn]) => fn.Metadata?.[entryMetadataKey] as string)
      .sort();

  it('holds no secret in any environment variable: no dynamic reference, no *KEY or *SECRET with a value', () => {
    expect(secretIds.length).toBeGreaterThanOrEqual(2);
    for (const [id, fn] of functions()) {
      const variables = (fn.Properties?.Environment?.Variables ?? {}) as Record<string, unknown>;
      for (const [name, value] of Object.entries(variables)) {
        expect(JSON.stringify(value), `${id} ${name}`).not.toMatch(/resolve:secretsmanager|resolve:ssm-secure/);
        // A name that says key or secret may only name where it is (an ARN or a KMS key id), never hold it.
        if (/(KEY|SECRET)$/.test(name)) expect.fail(`${id} holds ${name} in its environment`);
        for (const secretId of secretIds) {
          if (JSON.stringify(value).includes(secretId))
            expect(value, `${id} ${name} refers to a secret only by its ARN`).toEqual({ Ref: secretId });
        }
      }
    }
  });

  it('lets only intake read the resident-ID key, and only the worker and the routes that create webhook secrets read the sealing key', () => {
    const residentIdKey = secretIdOf(/keyed hash of resident ID numbers/);
    const webhookKey = secretIdOf(/seals webhook signing secrets/);
    expect(readersOf(residentIdKey)).toEqual(
      [
        'functions/applications/http/resubmit-application.ts',
        'functions/applications/http/submit-application.ts',
        'functions/integrity/http/people-export.ts',
        'functions/employment/http/register-ledger-entry.ts',
        'functions/employment/events/employment-feed.ts',
        // Stores the exchange's snapshot records under the keyed hash of each number, never the number.
        verificationFunctions.snapshotImport.entry,
        // Intake's dry run and the fact checker find a person in those records by the same hash.
        'functions/applications/http/check-eligibility.ts',
        applicationsFunctions.factChecker.entry,
      ].sort(),
    );
    expect(readersOf(webhookKey)).toEqual(
      [
        webhookFunctions.deliveryWorker.entry,
        'functions/webhooks/http/register-webhook-endpoint.ts',
        'functions/webhooks/http/rotate-webhook-secret.ts',
      ].sort(),
    );
    for (const [secretId, variable] of [
      [residentIdKey, 'RESIDENT_ID_KEY_SECRET_ARN'],
      [webhookKey, 'WEBHOOK_SECRET_KEY_SECRET_ARN'],
    ] as const) {
      const named = functions()
        .filter(([, fn]) => fn.Properties?.Environment?.Variables?.[variable] !== undefined)
        .map(([, fn]) => fn.Metadata?.[entryMetadataKey] as string)
        .sort();
      expect(named, variable).toEqual(readersOf(secretId));
    }
  });
});

describe('the daily history digests', () => {
  const [keyId] = Object.entries(resources('AWS::KMS::Key'))
    .filter(([, key]) => key.Properties?.KeySpec === 'ECC_NIST_P256')
    .map(([id]) => id);
  const buckets = resources('AWS::S3::Bucket');
  const [bucketId, bucket] = Object.entries(buckets).find(([, b]) => b.Properties?.ObjectLockEnabled) ?? [];
  const writer = integrityFunctions.dailyDigest.entry;
  const statementsOf = (entry: string) => {
    const roleId = (
      resources('AWS::Lambda::Function')[functionIdOf(entry)]?.Properties?.Role?.['Fn::GetAtt'] as string[] | undefined
    )?.[0];
    return Object.values(resources('AWS::IAM::Policy'))
      .filter((policy) =>
        ((policy.Properties?.Roles ?? []) as unknown[]).some(
          (role) => JSON.stringify(role) === JSON.stringify({ Ref: roleId }),
        ),
      )
      .flatMap((policy) => policy.Properties?.PolicyDocument.Statement as Statement[]);
  };

  it('signs with an ECC_NIST_P256 sign/verify key that outlives the stack, used by the writer alone', () => {
    template.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
      DeletionPolicy: 'Retain',
    });
    const signers = allEntries.filter((entry) =>
      statementsOf(entry).some(
        (statement) =>
          actionsOf(statement).includes('kms:Sign') && JSON.stringify(statement.Resource).includes(String(keyId)),
      ),
    );
    expect(signers).toEqual([writer]);
  });

  it('keeps digests in a versioned, SSL-only, private, encrypted bucket with Object Lock in compliance mode for at least 6 months, logged', () => {
    expect(bucketId).toBeDefined();
    expect(bucket?.Properties).toMatchObject({
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: expect.any(Number) } },
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: { ServerSideEncryptionConfiguration: [expect.anything()] },
      LoggingConfiguration: { DestinationBucketName: { Ref: expect.any(String) } },
    });
    expect(bucket?.Properties?.ObjectLockConfiguration.Rule.DefaultRetention.Days).toBeGreaterThanOrEqual(183);
    // Every bucket refuses plain HTTP and blocks public access (cdk-nag AwsSolutions-S2, S10).
    for (const [id, b] of Object.entries(buckets)) {
      expect(b.Properties?.PublicAccessBlockConfiguration?.BlockPublicAcls, id).toBe(true);
      expect(b.Properties?.BucketEncryption, id).toBeDefined();
    }
    const policies = Object.values(resources('AWS::S3::BucketPolicy'));
    for (const id of Object.keys(buckets)) {
      const denies = policies
        .filter((policy) => JSON.stringify(policy.Properties?.Bucket) === JSON.stringify({ Ref: id }))
        .flatMap((policy) => policy.Properties?.PolicyDocument.Statement as (Statement & { Condition?: unknown })[])
        .filter((statement) => statement.Effect === 'Deny');
      expect(JSON.stringify(denies), id).toContain('"aws:SecureTransport":"false"');
    }
  });

  it('is written once a day by a scheduled function that may put and list digests, never delete them', () => {
    const actions = statementsOf(writer)
      .flatMap(actionsOf)
      .filter((action) => action.startsWith('s3:'))
      .sort();
    expect(actions).toEqual(['s3:ListBucket', 's3:PutObject']);
    const variables = resources('AWS::Lambda::Function')[functionIdOf(writer)]?.Properties?.Environment.Variables;
    expect(variables).toMatchObject({
      DIGEST_BUCKET: { Ref: bucketId },
      DIGEST_SIGNING_KMS_KEY_ID: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(10 16 * * ? *)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [functionIdOf(writer), 'Arn'] } })],
    });
  });
});
describe("the paging cursors' HMAC key", () => {
  it('is an HMAC_256 key apart from the history, and only the routes that page may derive from it', () => {
    const keys = Object.entries(resources('AWS::KMS::Key')).filter(
      ([, key]) => key.Properties?.KeySpec === 'HMAC_256' && String(key.Properties?.Description).includes('paging'),
    );
    expect(keys).toHaveLength(1);
    const [cursorKeyId] = keys[0] as [string, unknown];
    const paging = apiRoutes.filter((route) => route.needs.pagingCursors).map((route) => route.entry);
    expect(paging).toContain('functions/applications/http/inbox.ts');
    for (const entry of allEntries) {
      const fn = resources('AWS::Lambda::Function')[functionIdOf(entry)];
      const variables = (fn?.Properties?.Environment.Variables ?? {}) as Record<string, unknown>;
      const roleId = (fn?.Properties?.Role?.['Fn::GetAtt'] as string[] | undefined)?.[0];
      const actions = Object.values(resources('AWS::IAM::Policy'))
        .filter((policy) =>
          ((policy.Properties?.Roles ?? []) as unknown[]).some(
            (role) => JSON.stringify(role) === JSON.stringify({ Ref: roleId }),
          ),
        )
        .flatMap((policy) => policy.Properties?.PolicyDocument.Statement as Statement[])
        .filter((statement) => JSON.stringify(statement.Resource).includes(cursorKeyId))
        .flatMap(actionsOf);
      expect(actions, entry).toEqual(paging.includes(entry) ? ['kms:GenerateMac'] : []);
      expect(variables.PAGING_CURSOR_KMS_KEY_ID === undefined, entry).toBe(!paging.includes(entry));
    }
  });
});
