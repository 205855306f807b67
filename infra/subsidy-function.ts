/**
 * The house Lambda function: every handler in the product is deployed the same way, so the
 * defaults live here once. Bindings grant access and set the matching environment variable in
 * one call, so a function can never hold a permission without knowing where to use it (or the
 * other way round).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { tableDesign } from '../functions/kernel/store/table-design.js';
import type { TableNeeds } from '../functions/kernel/store/table-needs.js';
import { retainedLogGroup } from './operations-key.js';

export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Template metadata on every `AWS::Lambda::Function`: the handler file (relative to the
 * repository root) behind it. The local runtime reads it to run the same module in-process.
 */
export const entryMetadataKey = 'subsidy:entry';

/**
 * Lambda gives CPU in proportion to memory. 512 MB keeps the cold start of a bundle that carries
 * the AWS SDK, zod and middy short while costing little at this traffic; tune it with measured
 * durations (e.g. Lambda Power Tuning) rather than raising it by feel.
 */
const memorySize = 512;

/**
 * ESM output meets CommonJS dependencies (parts of the AWS SDK, transitive packages) that call
 * `require`: give the bundle a real `require` bound to its own location.
 */
const esmRequireBanner = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/**
 * Parts of the AWS SDK no Lambda of ours can reach, left out of every bundle (≈ 130 KB each, a
 * third of the 400 KB budget). The SDK's default credential chain tries, in order, the
 * environment, SSO, INI files, credential processes, web-identity token files, then container
 * and instance metadata; it loads every link after the first with a dynamic `import()`. Lambda
 * always puts the function role's credentials in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/
 * AWS_SESSION_TOKEN, so the first link answers and the others (with the STS, SSO and sign-in
 * clients of `@aws-sdk/nested-clients` they pull in) never run. Should one ever be reached, it
 * still resolves: the Node 22 Lambda runtime ships the whole SDK v3, and since Node 18 Lambda
 * resolves ES-module imports through NODE_PATH, where that SDK lives (AWS Lambda developer guide,
 * "Building Lambda functions with Node.js", designating a handler as an ES module). Everything
 * our handlers call directly stays bundled: the version we test against is the version that runs.
 * Only modules the chain imports dynamically belong here; a static import of one would be
 * resolved at load time and make the function depend on the runtime's SDK version.
 */
export const unreachableInLambda = [
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-http',
  '@smithy/credential-provider-imds',
];

/**
 * How every function is bundled. `bench/cold-start.ts` measures the bundles `cdk synth` makes
 * with exactly these options (it synthesizes with bundling and reads the assets).
 */
export const bundlingOptions = {
  minify: true,
  sourceMap: true,
  format: OutputFormat.ESM,
  target: 'node22',
  mainFields: ['module', 'main'],
  externalModules: unreachableInLambda,
  banner: esmRequireBanner,
  // esbuild's size report for every function drowns `cdk synth`; warnings and errors still show.
  logLevel: LogLevel.WARNING,
} satisfies BundlingOptions;

/**
 * Context key: when true, esbuild also writes its metafile (`index.meta.json`) beside each bundle,
 * for the bench's list of what fills a bundle. Never set for a deployment (it would ship the file).
 */
export const bundleMetafileContextKey = 'subsidy:bundle-metafile';

export interface SubsidyFunctionProps {
  /** Handler file relative to the repository root, exactly as `routes.ts`/`steps.ts` name it; it exports `handler`. */
  entry: string;
  timeout: Duration;
  description?: string;
  /**
   * Reserved concurrency: for the functions that scan the table (sweeps, the reconciler, the
   * probes), one at a time, so a slow run and the next scheduled one never scan it together.
   */
  reservedConcurrentExecutions?: number;
}

/** What a function may do with the approval state machine. */
export interface WorkflowNeeds {
  /** Start executions (also sets STATE_MACHINE_ARN). */
  start?: boolean;
  /** Release waiting executions with their callback tokens (SendTaskSuccess/Failure/Heartbeat). */
  release?: boolean;
  /** Describe the state machine, for the health check (also sets STATE_MACHINE_ARN). */
  describe?: boolean;
  /** Describe and redrive its executions, for the reconciler (also sets STATE_MACHINE_ARN). */
  repair?: boolean;
}

/** The log group of the module an entry belongs to (`functions/<module>/…`), one per stack. */
function moduleLogGroup(scope: Construct, entry: string): logs.LogGroup {
  const module = entry.split('/')[1] ?? 'functions';
  const id = `${module.replace(/(^|-)([a-z])/g, (_, _dash, c: string) => c.toUpperCase())}FunctionLogs`;
  const stack = Stack.of(scope);
  return (stack.node.tryFindChild(id) as logs.LogGroup | undefined) ?? retainedLogGroup(stack, id);
}

export class SubsidyFunction extends NodejsFunction {
  /** The handler file, relative to the repository root. */
  readonly entryPath: string;

  constructor(scope: Construct, id: string, props: SubsidyFunctionProps) {
    // One log group per capability module (not the deprecated `logRetention` custom resource, so
    // retention is plain CloudFormation): a group per function made 67 of the stack's resources, and
    // CloudFormation allows 500 in a stack. Each line names its function (Powertools' `function_name`),
    // so a module's group is read by function as easily; a role may write its module's group only.
    const logGroup = moduleLogGroup(scope, props.entry);
    // Our own role, allowed to write to that log group only (AWSLambdaBasicExecutionRole, the
    // managed default, may write to every log group of the account: AwsSolutions-IAM4).
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${id}: writes its own log group; every other right is granted by a binding`,
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    super(scope, id, {
      role,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      entry: path.join(repositoryRoot, props.entry),
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize,
      timeout: props.timeout,
      logGroup,
      projectRoot: repositoryRoot,
      depsLockFilePath: path.join(repositoryRoot, 'package-lock.json'),
      bundling: { ...bundlingOptions, metafile: scope.node.tryGetContext(bundleMetafileContextKey) === true },
      environment: { NODE_OPTIONS: '--enable-source-maps' },
    });
    this.entryPath = props.entry;
    (this.node.defaultChild as lambda.CfnFunction).addMetadata(entryMetadataKey, props.entry);
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is the runtime the product is built and tested for (tsconfig target, esbuild target node22), ' +
        'supported by Lambda until April 2027; moving to Node.js 24 is its own tested change, not a default that moves under us',
    });
  }

  /** Reads the table's stream through this event source (a stream consumer). */
  readsStream(source: lambda.IEventSource): void {
    this.addEventSource(source);
    Validations.of(this.role as iam.IRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        "dynamodb:ListStreams, which a stream event source needs, supports no resource-level permission; reading the records is granted on this table's stream ARN only",
    });
  }

  /**
   * Grants exactly what the manifest declares — the actions on the table's items, and Query on
   * each index it names (no `index/*`, no action it does not use: AwsSolutions-IAM5) — and tells
   * the handler the table's name (TABLE_NAME).
   */
  bindTable(table: dynamodb.ITable, needs: TableNeeds): void {
    if (needs.actions.length)
      this.addToRolePolicy(
        new iam.PolicyStatement({
          actions: [...needs.actions].sort().map((action) => `dynamodb:${action}`),
          resources: [table.tableArn],
        }),
      );
    const indexes = Object.values(tableDesign.indexes)
      .map(({ indexName }) => indexName)
      .filter((name) => needs.queries?.includes(name));
    if (indexes.length)
      this.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: indexes.map((name) => `${table.tableArn}/index/${name}`),
        }),
      );
    this.addEnvironment('TABLE_NAME', table.tableName);
  }

  /**
   * Grants what the function needs on the approval state machine, on that machine's ARN only,
   * and sets STATE_MACHINE_ARN where the handler addresses the machine itself.
   */
  bindWorkflow(stateMachine: sfn.IStateMachine, needs: WorkflowNeeds): void {
    if (needs.start) stateMachine.grantStartExecution(this);
    if (needs.release) stateMachine.grantTaskResponse(this);
    if (needs.describe) stateMachine.grant(this, 'states:DescribeStateMachine');
    // On this machine's executions only (`execution:<machine>:*`), not on every machine's.
    if (needs.repair) stateMachine.grantExecution(this, 'states:DescribeExecution', 'states:RedriveExecution');
    if (needs.start || needs.describe || needs.repair)
      this.addEnvironment('STATE_MACHINE_ARN', stateMachine.stateMachineArn);
  }
}
