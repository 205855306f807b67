/**
 * The AWS services a function reaches besides DynamoDB, stood in for on loopback, and the
 * environment the handlers read when they build their clients, exactly as on Lambda: Secrets
 * Manager (a function's environment names only the secret's ARN, as on AWS) and KMS (the keys that
 * seal resident IDs, MAC the history, sign its daily digests and derive the paging cursors' key).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shijiazhuang2026v1 } from '../functions/kernel/domain/policies/shijiazhuang-2026.1.js';
import { type LocalExchange, startLocalExchange } from './exchange-service.js';
import { startLocalKms } from './kms.js';
import { startLocalSecretsManager } from './secrets-manager.js';
import { localRegion } from './template.js';

/**
 * A key kept in the data directory: the one that hashes resident IDs must outlive a restart, or a
 * person's records would no longer match; so must the one that seals webhook secrets.
 */
function keptKey(dataDir: string | undefined, name: string): string {
  if (!dataDir) return randomBytes(32).toString('base64url');
  const file = join(dataDir, name);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

export interface LocalServicesOptions {
  /** Keys and digests are kept here across restarts; without it they live in memory (digests in a temporary folder). */
  dataDir?: string;
  /** Where `npm run exchange` finds the local exchange (`local-exchange.json`) and its key; `dataDir` by default. */
  identityDir?: string;
  dynamoEndpoint: string;
  tableName: string;
  stateMachineArn: string;
  residentIdKey?: string;
  residentIdSealKey?: string;
  webhookSecretKey?: string;
  /** Sets WEBHOOK_RETRY_SCHEDULE_SECONDS, otherwise left as the environment has it. */
  webhookRetrySchedule?: string;
}

export interface LocalServices {
  /** The key of the keyed hash of resident IDs, as the secret holds it (the demo ledger hashes with it). */
  residentIdSecret: string;
  /** The local data exchange (DATA_EXCHANGE_ENDPOINT): stop and start it, make it misbehave, put records. */
  exchange: LocalExchange;
  close(): Promise<void>;
}

/** The access key the demo city's policy names; the local exchange accepts it with the key kept beside the others. */
export const localExchangeAccessKeyId = shijiazhuang2026v1.verification.exchange.accessKeyId;
/** What `npm run exchange` reads to find the running exchange (the secret stays in its own file, `data-exchange-key`). */
export const localExchangeFile = 'local-exchange.json';

export async function startLocalServices(options: LocalServicesOptions): Promise<LocalServices> {
  // Handlers read these when they build their clients, exactly as on Lambda.
  process.env.AWS_REGION = localRegion;
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  process.env.AWS_ENDPOINT_URL_DYNAMODB = options.dynamoEndpoint;
  process.env.TABLE_NAME = options.tableName;
  // The secrets are served by a loopback Secrets Manager: a function's environment names only the ARN, as on AWS.
  const residentIdSecret = options.residentIdKey ?? keptKey(options.dataDir, 'resident-id-key');
  // The data exchange on its own port; its key is kept where `npm run exchange` can sign with it, even with --memory.
  const keyDir = options.identityDir ?? options.dataDir;
  const exchangeCredentials = { [localExchangeAccessKeyId]: keptKey(keyDir, 'data-exchange-key') };
  const exchange = await startLocalExchange({
    credentials: exchangeCredentials,
    ...(options.dataDir ? { dir: join(options.dataDir, 'exchange') } : {}),
  });
  if (keyDir)
    writeFileSync(
      join(keyDir, localExchangeFile),
      JSON.stringify({ endpoint: exchange.endpoint, accessKeyId: localExchangeAccessKeyId }, null, 2),
    );
  const secrets = await startLocalSecretsManager({
    'resident-id-key': residentIdSecret,
    'webhook-secret-key': options.webhookSecretKey ?? keptKey(options.dataDir, 'webhook-secret-key'),
    'data-exchange-credentials': JSON.stringify(exchangeCredentials),
  });
  process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = secrets.endpoint;
  process.env.RESIDENT_ID_KEY_SECRET_ARN = secrets.arns['resident-id-key'];
  process.env.WEBHOOK_SECRET_KEY_SECRET_ARN = secrets.arns['webhook-secret-key'];
  process.env.DATA_EXCHANGE_SECRET_ARN = secrets.arns['data-exchange-credentials'];
  // As AWS_ENDPOINT_URL_* points the SDK at loopback: every city is asked here, not at its policy's base URL.
  process.env.DATA_EXCHANGE_ENDPOINT = exchange.endpoint;
  // Development receivers listen on this machine: plain http to loopback is allowed here only.
  process.env.WEBHOOK_ALLOW_LOOPBACK_HTTP = 'true';
  if (options.webhookRetrySchedule !== undefined)
    process.env.WEBHOOK_RETRY_SCHEDULE_SECONDS = options.webhookRetrySchedule;
  process.env.STATE_MACHINE_ARN = options.stateMachineArn;
  // Intake seals resident IDs with KMS: here a loopback KMS under a key that, like the hash key, outlives restarts.
  // The same endpoint holds the history's HMAC key, kept apart from the table (`history-mac-key`).
  // And the key that signs the history's daily digests (`history-digest-key`), written to `digests/`.
  const kms = await startLocalKms(
    options.residentIdSealKey ?? keptKey(options.dataDir, 'resident-id-seal-key'),
    undefined,
    keptKey(options.dataDir, 'history-mac-key'),
    undefined,
    keptKey(options.dataDir, 'history-digest-key'),
  );
  process.env.AWS_ENDPOINT_URL_KMS = kms.endpoint;
  process.env.RESIDENT_ID_KMS_KEY_ID = kms.keyId;
  process.env.HISTORY_MAC_KMS_KEY_ID = kms.macKeyId;
  process.env.DIGEST_SIGNING_KMS_KEY_ID = kms.signKeyId;
  process.env.DIGEST_DIR = options.dataDir
    ? join(options.dataDir, 'digests')
    : mkdtempSync(join(tmpdir(), 'subsidy-digests-'));
  process.env.PAGING_CURSOR_KMS_KEY_ID = kms.cursorKeyId;
  // The exchange's snapshot bucket: the data directory, whose exchange-snapshots/ holds the dropped files.
  process.env.SNAPSHOT_DIR = options.dataDir ?? mkdtempSync(join(tmpdir(), 'subsidy-snapshots-'));
  return {
    residentIdSecret,
    exchange,
    async close() {
      await exchange.stop();
      await kms.close();
      await secrets.close();
    },
  };
}
