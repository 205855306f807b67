/**
 * Published on-demand prices, us-east-1, as the bench's cost model uses them. Each is a named
 * constant with where it was read and when. Free tiers and volume discounts are left out: the
 * model prices the marginal application of a busy month, at the first paid tier.
 *
 * Taken on 2026-11-28. "Confirmed" means a page found that day states the figure; the AWS
 * pricing page itself is named as the source of record and should be rechecked before a
 * figure is quoted to anyone paying the bill.
 */
export interface Price {
  /** US dollars per `unit`. */
  usd: number;
  unit: string;
  source: string;
  takenOn: string;
  note?: string;
}

const takenOn = '2026-11-28';

/** Step Functions Standard: per state transition ($0.025 per 1,000). */
export const stepFunctionsStandardPerTransition: Price = {
  usd: 0.025 / 1000,
  unit: 'state transition',
  source: 'https://aws.amazon.com/step-functions/pricing/',
  takenOn,
  note: '$0.025 per 1,000 state transitions, as in the design notes; the AWS page was not reachable from here to recheck.',
};

/** Lambda requests, x86 and Arm alike: $0.20 per million. */
export const lambdaPerRequest: Price = {
  usd: 0.2 / 1_000_000,
  unit: 'request',
  source: 'https://aws.amazon.com/lambda/pricing/ (figure confirmed at https://cloudchipr.com/blog/aws-lambda-pricing)',
  takenOn,
};

/** Lambda duration on Arm (Graviton), first 7.5 billion GB-seconds a month. */
export const lambdaArmPerGbSecond: Price = {
  usd: 0.0000133334,
  unit: 'GB-second (arm64)',
  source: 'https://aws.amazon.com/lambda/pricing/ (figure confirmed at https://cloudchipr.com/blog/aws-lambda-pricing)',
  takenOn,
};

/** DynamoDB on-demand writes, Standard table class, after the November 2024 cut: $0.625 per million. */
export const dynamoDbPerWriteRequestUnit: Price = {
  usd: 0.625 / 1_000_000,
  unit: 'write request unit',
  source:
    'https://aws.amazon.com/dynamodb/pricing/on-demand/ (figure confirmed at https://airbyte.com/data-engineering-resources/dynamodb-pricing)',
  takenOn,
  note: 'was $1.25 per million before the 50% on-demand price cut of 1 Nov 2024',
};

/** DynamoDB on-demand reads, Standard table class, after the November 2024 cut: $0.125 per million. */
export const dynamoDbPerReadRequestUnit: Price = {
  usd: 0.125 / 1_000_000,
  unit: 'read request unit',
  source:
    'https://aws.amazon.com/dynamodb/pricing/on-demand/ (figure confirmed at https://airbyte.com/data-engineering-resources/dynamodb-pricing)',
  takenOn,
  note: 'was $0.25 per million before the November 2024 cut',
};

/** DynamoDB storage, Standard table class: $0.25 per GB-month (first 25 GB free, left out). */
export const dynamoDbPerGbMonth: Price = {
  usd: 0.25,
  unit: 'GB-month',
  source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  takenOn,
  note: 'not confirmed from a page found today; the long-standing us-east-1 figure',
};

/** API Gateway HTTP API: $1.00 per million requests (first 300 million a month). */
export const httpApiPerRequest: Price = {
  usd: 1.0 / 1_000_000,
  unit: 'request',
  source: 'https://aws.amazon.com/api-gateway/pricing/ (figure confirmed at https://www.apigatewaycost.com/aws)',
  takenOn,
};

/** SQS Standard: $0.40 per million requests (each 64 KB chunk of a payload is one request). */
export const sqsPerRequest: Price = {
  usd: 0.4 / 1_000_000,
  unit: 'request',
  source: 'https://aws.amazon.com/sqs/pricing/ (figure confirmed at https://cloudburn.io/blog/amazon-sqs-pricing)',
  takenOn,
};

/** CloudWatch Logs, Standard class ingestion: $0.50 per GB. */
export const cloudWatchLogsPerGbIngested: Price = {
  usd: 0.5,
  unit: 'GB ingested',
  source:
    'https://aws.amazon.com/cloudwatch/pricing/ (figure confirmed at https://hykell.com/knowledge-base/aws-cloudwatch-logs-pricing)',
  takenOn,
};

export const prices = {
  stepFunctionsStandardPerTransition,
  lambdaPerRequest,
  lambdaArmPerGbSecond,
  dynamoDbPerWriteRequestUnit,
  dynamoDbPerReadRequestUnit,
  dynamoDbPerGbMonth,
  httpApiPerRequest,
  sqsPerRequest,
  cloudWatchLogsPerGbIngested,
} as const;

/** The deployed functions' configuration (infra/subsidy-function.ts): 512 MB, arm64. */
export const lambdaMemoryMb = 512;

/**
 * Lambda's own log lines per invocation (START, END, REPORT), which CloudWatch ingests besides
 * what the handler writes. Not measurable here: ≈ 300 bytes is a typical REPORT-included total.
 */
export const lambdaPlatformLogBytesPerInvocation = 300;
