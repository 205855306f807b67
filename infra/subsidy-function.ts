/**
 * The house Lambda function: every handler in the product is deployed the same way, so the
 * defaults live here once. Bindings grant access and set the matching environment variable in
 * one call, so a function can never hold a permission without knowing where to use it (or the
 * other way round).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';

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

export type TableAccess = 'read' | 'read-write';

export interface SubsidyFunctionProps {
  /** Handler file relative to the repository root, exactly as `routes.ts`/`steps.ts` name it; it exports `handler`. */
  entry: string;
  timeout: Duration;
  description?: string;
}

/** What a function may do with the approval state machine. */
export interface WorkflowNeeds {
  /** Start executions (also sets STATE_MACHINE_ARN). */
  start?: boolean;
  /** Release waiting executions with their callback tokens (SendTaskSuccess/Failure/Heartbeat). */
  release?: boolean;
  /** Describe the state machine, for the health check (also sets STATE_MACHINE_ARN). */
  describe?: boolean;
}

export class SubsidyFunction extends NodejsFunction {
  /** The handler file, relative to the repository root. */
  readonly entryPath: string;

  constructor(scope: Construct, id: string, props: SubsidyFunctionProps) {
    // Our own log group (not the deprecated `logRetention` custom resource) so retention is plain CloudFormation.
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, { retention: logs.RetentionDays.ONE_MONTH });
    super(scope, id, {
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
      bundling: {
        minify: true,
        sourceMap: true,
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        // The AWS SDK is bundled too: the version we test against is the version that runs.
        externalModules: [],
        banner: esmRequireBanner,
        // esbuild's size report for every function drowns `cdk synth`; warnings and errors still show.
        logLevel: LogLevel.WARNING,
      },
      environment: { NODE_OPTIONS: '--enable-source-maps' },
    });
    this.entryPath = props.entry;
    (this.node.defaultChild as lambda.CfnFunction).addMetadata(entryMetadataKey, props.entry);
  }

  /** Grants the access and tells the handler the table's name (TABLE_NAME). */
  bindTable(table: dynamodb.ITable, access: TableAccess): void {
    if (access === 'read') table.grantReadData(this);
    else table.grantReadWriteData(this);
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
    if (needs.start || needs.describe) this.addEnvironment('STATE_MACHINE_ARN', stateMachine.stateMachineArn);
  }
}
