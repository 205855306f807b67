/**
 * The whole product on one machine: DynamoDB Local, the approval state machine from the
 * synthesized template on the local engine, and the HTTP API, all running the same handlers
 * that run on Lambda. `npm start`, the workflow tests and the e2e test all start it here.
 */

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { calendarRepository } from '../functions/administration/store/calendars.js';
import { policyRepository } from '../functions/administration/store/policies.js';
import { unitRepository } from '../functions/administration/store/units.js';
import { apiRoutes } from '../functions/api/routes.js';
import { applicationRepository } from '../functions/applications/store/applications.js';
import { deadlineIndex } from '../functions/applications/store/deadline-index.js';
import { employmentFunctions } from '../functions/employment/functions.js';
import { employmentLedgerRepository } from '../functions/employment/index.js';
import { integrityFunctions } from '../functions/integrity/functions.js';
import { historyMacFromEnvironment } from '../functions/kernel/adapters/history-mac.js';
import type { Actor } from '../functions/kernel/domain/actor.js';
import { shanghaiDate } from '../functions/kernel/domain/dates.js';
import type { HolidayCalendar } from '../functions/kernel/domain/working-days.js';
import type { HttpHandler } from '../functions/kernel/http/http.js';
import { monitoringFunctions } from '../functions/monitoring/functions.js';
import type { WorkerEvent } from '../functions/webhooks/events/delivery-worker.js';
import { webhookFunctions } from '../functions/webhooks/functions.js';
import { workflowOperations, workflowSteps } from '../functions/workflow/functions.js';
import type { Reconciled } from '../functions/workflow/scheduled/reconcile.js';
import { approvalStates } from '../workflows/application-approval.js';
import { consoleSite } from './console-site.js';
import { type LocalDeadlineSweep, startLocalDeadlineSweep } from './deadline-sweep.js';
import { seedDemoCity } from './demo-city.js';
import { seedDemoLedger } from './demo-ledger.js';
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb-local.js';
import { type DigestHandler, type LocalDigests, startLocalDigests } from './history-digests.js';
import { startHttpApi } from './http-server.js';
import { startLocalKms } from './kms.js';
import { giveAssignment, seedDemoPeople } from './local-staff.js';
import { startLocalSecretsManager } from './secrets-manager.js';
import { localSignIn } from './sign-in.js';
import { keptSigningKey, localAudience, signIdToken } from './signing-keys.js';
import { type EngineClock, type LambdaHandler, LocalStepFunctions, realClock } from './step-functions.js';
import { ensureTable } from './table.js';
import { localAccount, localRegion, workflowPlanFrom } from './template.js';
import { tokenVerifier } from './verify-token.js';
import { startLocalWebhooks } from './webhooks.js';

export const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface LocalStackOptions {
  /** HTTP API port; 0 picks a free one. */
  port?: number;
  /** Keep data here across restarts; without it everything lives in memory. */
  dataDir?: string;
  /**
   * Where the sign-in's signing key and `local-sign-in.json` (issuer, table: what `npm run token`
   * reads) are kept; `dataDir` by default; without either, the key lives in memory only.
   */
  identityDir?: string;
  /** Use a DynamoDB Local that is already running (the tests start one per run) instead of starting one. */
  dynamoEndpoint?: string;
  tableName?: string;
  /** Port for the local Step Functions endpoint; a restart in the same process must reuse it. */
  stepFunctionsPort?: number;
  /** A template synthesized earlier (tests synthesize once per run); otherwise synthesized now. */
  template?: Record<string, unknown>;
  residentIdKey?: string;
  /** The AES-256 key (base64url, 32 bytes) the local KMS seals resident IDs with; kept in the data dir otherwise. */
  residentIdSealKey?: string;
  webhookSecretKey?: string;
  /** How often the table stream is read and due webhook deliveries are sent (ms); 500 by default. */
  webhookIntervalMs?: number;
  /**
   * Seconds to wait after each failed webhook attempt, e.g. "1,1,1"; sets
   * WEBHOOK_RETRY_SCHEDULE_SECONDS, which is otherwise left as the environment has it.
   */
  webhookRetrySchedule?: string;
  /** The clock the engine times waits out by; the real one by default (the bench brings a simulated one). */
  clock?: EngineClock;
  /**
   * How often the deadline sweep runs in real time (ms); 1000 by default. It also runs at each
   * moment the deadline-due index says something falls due, on `clock`; 0 leaves only those.
   */
  deadlineSweepIntervalMs?: number;
  /** How often the daily-digest job looks for a past day without a digest (ms); hourly by default. */
  digestIntervalMs?: number;
  /** Seed the demo city's employment ledger (a few hundred people) unless it is there; `npm start` does. */
  seedDemoLedger?: boolean;
  /**
   * How often the reconciler runs (ms): on AWS every `workflowOperations.reconcileExecutions.everyMinutes`;
   * here every minute by default; 0 leaves it to `reconcileNow()`.
   */
  reconcileIntervalMs?: number;
}

export interface LocalStack {
  apiUrl: string;
  stepFunctionsEndpoint: string;
  dynamoEndpoint: string;
  tableName: string;
  engine: LocalStepFunctions;
  /** How many waiting executions were resumed at start-up. */
  resumed: number;
  /** The demo ledger seeded at start-up (people registered, 0 when it was there already, and how long it took). */
  demoLedger?: { people: number; ms: number };
  /** The local OIDC provider's issuer (`${apiUrl}/oidc`). */
  issuer: string;
  /**
   * A bearer token for this person, as the local sign-in issues it; adds the actor's assignment to
   * theirs in the local staff directory first when they do not hold it (tests, tools: a request
   * then names it in `X-Acting-As` when the person holds several).
   */
  tokenFor(actor: Actor): Promise<string>;
  /** A token for a person as they are in the directory (no change to it). */
  tokenOf(sub: string): Promise<string>;
  /** The working-day calendars a city's deadlines count on (the start-up warning). */
  calendarsOf(cityId: string): Promise<HolidayCalendar[]>;
  /** Resolves when the stream consumers (webhooks, throughput counters) have seen every record written so far. */
  streamCaughtUp(): Promise<void>;
  /** The history's daily digests: `writeNow(day)` signs and writes one at once (never over one already written). */
  digests: Pick<LocalDigests, 'writeNow' | 'dir'>;
  /** The deadline sweep: run it now (`sweepNow`) and what it cost. */
  deadlineSweep: Pick<LocalDeadlineSweep, 'sweepNow' | 'metrics' | 'resetMetrics'>;
  /** Runs the reconciler now, the same handler as on AWS (`functions/workflow/scheduled/reconcile-executions.ts`). */
  reconcileNow(graceSeconds?: number): Promise<Reconciled>;
  stop(): Promise<void>;
}

export const localStateMachineArn = `arn:aws:states:${localRegion}:${localAccount}:stateMachine:application-approval`;

async function importHandler<T>(entry: string): Promise<T> {
  const module = (await import(pathToFileURL(join(repositoryRoot, entry)).href)) as { handler?: T };
  if (!module.handler) throw new Error(`${entry} exports no handler`);
  return module.handler;
}

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

export async function synthesizeForLocal(): Promise<Record<string, unknown>> {
  const { synthesizeTemplate } = await import('../infra/synthesize.js');
  return synthesizeTemplate({ bundle: false });
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const template = options.template ?? (await synthesizeForLocal());
  // A DynamoDB Local of its own unless the caller shares one.
  const dynamo: DynamoDbLocal | undefined = options.dynamoEndpoint
    ? undefined
    : await startDynamoDbLocal({ dataDir: options.dataDir && join(options.dataDir, 'dynamodb') });
  const dynamoEndpoint = options.dynamoEndpoint ?? (dynamo as DynamoDbLocal).endpoint;
  const tableName = options.tableName ?? 'employment-subsidy';

  // Handlers read these when they build their clients, exactly as on Lambda.
  process.env.AWS_REGION = localRegion;
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamoEndpoint;
  process.env.TABLE_NAME = tableName;
  // The secrets are served by a loopback Secrets Manager: a function's environment names only the ARN, as on AWS.
  const residentIdSecret = options.residentIdKey ?? keptKey(options.dataDir, 'resident-id-key');
  const secrets = await startLocalSecretsManager({
    'resident-id-key': residentIdSecret,
    'webhook-secret-key': options.webhookSecretKey ?? keptKey(options.dataDir, 'webhook-secret-key'),
  });
  process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = secrets.endpoint;
  process.env.RESIDENT_ID_KEY_SECRET_ARN = secrets.arns['resident-id-key'];
  process.env.WEBHOOK_SECRET_KEY_SECRET_ARN = secrets.arns['webhook-secret-key'];
  // Development receivers listen on this machine: plain http to loopback is allowed here only.
  process.env.WEBHOOK_ALLOW_LOOPBACK_HTTP = 'true';
  if (options.webhookRetrySchedule !== undefined)
    process.env.WEBHOOK_RETRY_SCHEDULE_SECONDS = options.webhookRetrySchedule;
  process.env.STATE_MACHINE_ARN = localStateMachineArn;
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

  const table = { client: new DynamoDBClient({ endpoint: dynamoEndpoint }), tableName };
  await ensureTable(table.client, tableName);
  await seedDemoCity(unitRepository(table));
  await seedDemoPeople(table);
  let demoLedger: LocalStack['demoLedger'];
  if (options.seedDemoLedger) {
    const now = new Date();
    const policy = await policyRepository(table).inForce('city:shijiazhuang', shanghaiDate(now));
    if (policy)
      demoLedger = {
        people: await seedDemoLedger(employmentLedgerRepository(table, historyMacFromEnvironment()), {
          residentIdSecret,
          policy,
          now,
        }),
        ms: Date.now() - now.getTime(),
      };
  }

  const plan = workflowPlanFrom(template as Parameters<typeof workflowPlanFrom>[0]);
  const lambdas = new Map<string, LambdaHandler>();
  // The state machine's tasks are the workflow's steps; the other functions the template names run elsewhere.
  const stepEntries = new Set<string>(Object.values(workflowSteps).map((step) => step.entry));
  for (const [arn, entry] of plan.functionEntries) {
    if (stepEntries.has(entry)) lambdas.set(arn, await importHandler<LambdaHandler>(entry));
  }
  const engine = new LocalStepFunctions(plan.definition, lambdas, localStateMachineArn, options.clock);
  const stepFunctionsEndpoint = await engine.listen(options.stepFunctionsPort ?? 0);
  process.env.AWS_ENDPOINT_URL_SFN = stepFunctionsEndpoint;

  // Every application not finally decided gets its execution back, routed again with the state
  // it waited in (routing is idempotent): the time it was stopped may have brought a deadline due,
  // and a changed holiday schedule is counted at once — the "route again" of a restart.
  const open = await applicationRepository(table).listOpen();
  const deadlines = deadlineIndex(table);
  for (const { application, waitingTask } of open) {
    // Kept in .data by an earlier version: indexed by its next due moment, as this code counts it.
    await deadlines.reindex(application);
    if (waitingTask) engine.resumeExecution(application.id, waitingTask.input, approvalStates.route);
    else engine.startExecution(application.id, { applicationId: application.id });
  }

  // The webhook functions, found like the steps: by the `subsidy:entry` the stack puts on each.
  const entries = new Set(plan.functionEntries.values());
  for (const fn of [
    ...Object.values(webhookFunctions),
    monitoringFunctions.aggregator,
    employmentFunctions.employmentFeed,
  ])
    if (!entries.has(fn.entry)) throw new Error(`the template has no function for ${fn.entry}`);
  const webhooks = startLocalWebhooks({
    client: table.client,
    endpoint: dynamoEndpoint,
    tableName,
    streamConsumer: await importHandler(webhookFunctions.streamConsumer.entry),
    // The throughput counters are kept from the same stream, by the same handler as on AWS.
    // So is the employment ledger: each final approval recorded on the person's entry.
    moreStreamConsumers: [
      await importHandler(monitoringFunctions.aggregator.entry),
      await importHandler(employmentFunctions.employmentFeed.entry),
    ],
    deliveryWorker: await importHandler<(event: WorkerEvent) => Promise<unknown>>(
      webhookFunctions.deliveryWorker.entry,
    ),
    intervalMs: options.webhookIntervalMs ?? Number(process.env.WEBHOOK_INTERVAL_MS ?? 500),
  });

  // The history's daily digests, by the same handler as the AWS schedule runs; also on demand.
  if (!entries.has(integrityFunctions.dailyDigest.entry))
    throw new Error(`the template has no function for ${integrityFunctions.dailyDigest.entry}`);
  const digests = startLocalDigests(
    await importHandler<DigestHandler>(integrityFunctions.dailyDigest.entry),
    options.digestIntervalMs ?? 60 * 60 * 1000,
  );

  // Deadline events are recorded by the sweep, the same handler as on AWS, not by waking executions.
  const { sweepDeadlines } = workflowOperations;
  if (!entries.has(sweepDeadlines.entry)) throw new Error(`the template has no function for ${sweepDeadlines.entry}`);
  const deadlineSweep = startLocalDeadlineSweep({
    sweep: await importHandler(sweepDeadlines.entry),
    index: deadlines,
    clock: options.clock ?? realClock,
    intervalMs: options.deadlineSweepIntervalMs ?? 1000,
  });

  // The reconciler, the same handler as on AWS, on a timer instead of EventBridge.
  const { reconcileExecutions } = workflowOperations;
  if (!entries.has(reconcileExecutions.entry))
    throw new Error(`the template has no function for ${reconcileExecutions.entry}`);
  const reconcile = await importHandler<(event: { graceSeconds?: number }) => Promise<Reconciled>>(
    reconcileExecutions.entry,
  );
  let reconciling: Promise<unknown> = Promise.resolve();
  const reconcileNow = (graceSeconds?: number): Promise<Reconciled> => {
    const run = reconciling.then(() => reconcile(graceSeconds === undefined ? {} : { graceSeconds }));
    reconciling = run.catch(() => undefined);
    return run;
  };
  const reconcileIntervalMs = options.reconcileIntervalMs ?? 60_000;
  const reconcileTimer =
    reconcileIntervalMs > 0
      ? setInterval(
          () => void reconcileNow().catch((error) => console.warn(`reconciler: ${String(error)}`)),
          reconcileIntervalMs,
        )
      : undefined;
  reconcileTimer?.unref();

  const routes = await Promise.all(
    apiRoutes.map(async (route) => ({ route, handler: await importHandler<HttpHandler>(route.entry) })),
  );
  const identityDir = options.identityDir ?? options.dataDir;
  const signingKey = await keptSigningKey(identityDir);
  let issuer = '';
  const api = await startHttpApi(routes, options.port ?? 0, async (apiUrl) => {
    const signIn = localSignIn(apiUrl, signingKey);
    issuer = signIn.issuer;
    // The same check as API Gateway's JWT authorizer, against the provider's published keys.
    return {
      verify: tokenVerifier({ issuer, audience: localAudience }),
      signIn,
      site: consoleSite({ issuer, clientId: localAudience }),
    };
  });
  if (identityDir)
    writeFileSync(
      join(identityDir, 'local-sign-in.json'),
      JSON.stringify({ issuer, apiUrl: api.url, dynamoEndpoint, tableName }, null, 2),
    );

  return {
    apiUrl: api.url,
    stepFunctionsEndpoint,
    dynamoEndpoint,
    tableName,
    engine,
    resumed: open.length,
    ...(demoLedger ? { demoLedger } : {}),
    issuer,
    async tokenFor(actor) {
      const cityId = (await unitRepository(table).get(actor.unit))?.path[0] ?? actor.unit;
      await giveAssignment(table, actor, cityId, { keepOthers: true });
      return signIdToken(signingKey, issuer, actor.sub);
    },
    tokenOf: (sub) => signIdToken(signingKey, issuer, sub),
    calendarsOf: (cityId) => calendarRepository(table).of(cityId),
    streamCaughtUp: () => webhooks.caughtUp(),
    deadlineSweep,
    digests,
    reconcileNow,
    async stop() {
      clearInterval(reconcileTimer);
      await reconciling;
      await api.close();
      digests.stop();
      await deadlineSweep.stop();
      await webhooks.stop();
      await engine.close();
      await kms.close();
      await secrets.close();
      table.client.destroy();
      await dynamo?.stop();
    },
  };
}
