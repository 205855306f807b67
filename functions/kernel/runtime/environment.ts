/**
 * Every environment variable a function reads, in one schema: parsed once when a function builds
 * its dependencies (the first invocation of a container), so a missing or malformed variable
 * fails there, naming itself, instead of on the first request that happens to need it. Nothing
 * else under functions/ reads `process.env`.
 */
import * as z from 'zod/mini';

const flag = z.optional(z.enum(['true', 'false']));

export const environmentSchema = z.object({
  /** The single table (every function). */
  TABLE_NAME: z.string().check(z.minLength(1)),
  /** The approval state machine: the functions that start executions or check it for health. */
  STATE_MACHINE_ARN: z.string().check(z.minLength(1)),
  /**
   * The Secrets Manager secret (ARN) holding the key of the keyed hash of resident ID numbers;
   * the value itself is read with `shared/secrets.ts`, never put in the environment.
   */
  RESIDENT_ID_KEY_SECRET_ARN: z.string().check(z.minLength(1)),
  /** The KMS HMAC key that authenticates every history event and application head (writers and readers of history). */
  HISTORY_MAC_KMS_KEY_ID: z.string().check(z.minLength(1)),
  /** The KMS asymmetric key (ECC_NIST_P256) that signs the history's daily digests. */
  DIGEST_SIGNING_KMS_KEY_ID: z.string().check(z.minLength(1)),
  /** Where the signed digests are written on AWS: the S3 bucket with Object Lock (compliance mode). */
  DIGEST_BUCKET: z.optional(z.string().check(z.minLength(1))),
  /** Where they are written on one machine: a folder under the data directory (when DIGEST_BUCKET is absent). */
  DIGEST_DIR: z.optional(z.string().check(z.minLength(1))),
  /** The bucket the data exchange drops its snapshot files into (the snapshot importer, on AWS). */
  SNAPSHOT_BUCKET: z.optional(z.string().check(z.minLength(1))),
  /** The folder standing in for that bucket on one machine (when SNAPSHOT_BUCKET is absent). */
  SNAPSHOT_DIR: z.optional(z.string().check(z.minLength(1))),
  /** The KMS HMAC key the paging cursors' key is derived from (routes that page). */
  PAGING_CURSOR_KMS_KEY_ID: z.string().check(z.minLength(1)),
  /** The KMS key that seals resident ID numbers at intake. */
  RESIDENT_ID_KMS_KEY_ID: z.string().check(z.minLength(1)),
  /** The secret (ARN) holding the key that seals webhook endpoint secrets in the table. */
  WEBHOOK_SECRET_KEY_SECRET_ARN: z.string().check(z.minLength(1)),
  /** The queue that wakes the delivery worker (AWS); absent on one machine, where the worker sweeps. */
  WEBHOOK_QUEUE_URL: z.optional(z.string().check(z.minLength(1))),
  /** Plain http to loopback receivers: only under `npm start`. */
  WEBHOOK_ALLOW_LOOPBACK_HTTP: flag,
  /** Seconds between delivery attempts, comma-separated (a shorter schedule for trying things out). */
  WEBHOOK_RETRY_SCHEDULE_SECONDS: z.optional(z.string()),
  /**
   * The secret (ARN) holding the data exchange's credentials: JSON `{"<accessKeyId>": "<secret>"}`,
   * one entry per access key a city's policy names (`verification.exchange.accessKeyId`).
   */
  DATA_EXCHANGE_SECRET_ARN: z.string().check(z.minLength(1)),
  /**
   * The data exchange every city is asked at, instead of its policy's `verification.exchange.baseUrl`:
   * the local exchange under `npm start`, as AWS_ENDPOINT_URL_* points the SDK at loopback.
   */
  DATA_EXCHANGE_ENDPOINT: z.optional(z.url({ protocol: /^https?$/ })),
  /** Where the SDK's Secrets Manager client is pointed locally; the provider is rebuilt when it moves. */
  AWS_ENDPOINT_URL_SECRETS_MANAGER: z.optional(z.string()),
  /** Where the SDK's KMS client is pointed locally; the vault is rebuilt when it moves. */
  AWS_ENDPOINT_URL_KMS: z.optional(z.string()),
  /** The token claim that names the person in the staff directory (`sub` unless the issuer says otherwise). */
  STAFF_SUB_CLAIM: z.optional(z.string().check(z.minLength(1))),
  /** Set by Lambda itself: metric lines go to stdout only there. */
  AWS_LAMBDA_FUNCTION_NAME: z.optional(z.string()),
});

export type Environment = z.output<typeof environmentSchema>;
export type EnvironmentVariable = keyof Environment;

export class EnvironmentError extends Error {
  constructor(
    readonly variables: string[],
    detail: string,
  ) {
    super(`environment: ${detail}`);
    this.name = 'EnvironmentError';
  }
}

/**
 * The named variables, validated: throws `EnvironmentError` naming every one that is missing or
 * malformed. Optional variables come back undefined when absent.
 */
export function environment<const Name extends EnvironmentVariable>(...names: Name[]): Pick<Environment, Name> {
  const picked = z.pick(environmentSchema, Object.fromEntries(names.map((name) => [name, true])) as never);
  const parsed = z.safeParse(picked, process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new EnvironmentError(
      parsed.error.issues.map((issue) => String(issue.path[0])),
      `${problems.join('; ')} (is the function deployed with its bindings?)`,
    );
  }
  return parsed.data as Pick<Environment, Name>;
}
