/**
 * The whole product on one machine: DynamoDB Local, the approval state machine from the
 * synthesized template on the local engine, and the HTTP API, all running the same handlers
 * that run on Lambda. `npm start`, the workflow tests and the e2e test all start it here.
 */

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { calendarRepository } from '../functions/administration/store/calendars.js';
import { policyRepository } from '../functions/administration/store/policies.js';
import { unitRepository } from '../functions/administration/store/units.js';
import { apiRoutes } from '../functions/api/routes.js';
import { addMissingToActiveGrants } from '../functions/applications/store/active-grants.js';
import { applicationRepository } from '../functions/applications/store/applications.js';
import { deadlineIndex } from '../functions/applications/store/deadline-index.js';
import { employmentLedgerRepository } from '../functions/employment/index.js';
import { historyMacFromEnvironment } from '../functions/kernel/adapters/history-mac.js';
import type { Actor } from '../functions/kernel/domain/actor.js';
import { shanghaiDate } from '../functions/kernel/domain/dates.js';
import type { HolidayCalendar } from '../functions/kernel/domain/working-days.js';
import type { HttpHandler } from '../functions/kernel/http/http.js';
import { tableFromEnvironment } from '../functions/kernel/store/table.js';
import type { Reconciled } from '../functions/workflow/scheduled/reconcile.js';
import { approvalStates } from '../workflows/application-approval.js';
import { consoleSite } from './console-site.js';
import type { LocalDeadlineSweep } from './deadline-sweep.js';
import { seedDemoCity } from './demo-city.js';
import { seedDemoLedger } from './demo-ledger.js';
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb-local.js';
import { importHandler } from './entries.js';
import type { LocalExchange } from './exchange-service.js';
import type { LocalFactChecker } from './fact-checker.js';
import type { LocalDigests } from './history-digests.js';
import { startHttpApi } from './http-server.js';
import { startLocalEngine, startLocalTriggers } from './local-functions.js';
import { enforceTableGrants, tableGrantsOf } from './local-iam.js';
import { startLocalServices } from './local-services.js';
import { giveAssignment, seedDemoPeople } from './local-staff.js';
import { localSignIn } from './sign-in.js';
import { keptSigningKey, localAudience, signIdToken } from './signing-keys.js';
import type { LocalSnapshotFiles } from './snapshot-files.js';
import type { EngineClock, LocalStepFunctions } from './step-functions.js';
import { ensureTable } from './table.js';
import { localAccount, localRegion, workflowPlanFrom } from './template.js';
import { tokenVerifier } from './verify-token.js';

export { repositoryRoot } from './entries.js';

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
  /** How often the snapshot folder is looked at for new files (ms); 3000 by default, 0 leaves it to `snapshotFiles.scanNow()`. */
  snapshotIntervalMs?: number;
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
  /** The exchange's snapshot files: drop one under `dir/exchange-snapshots/…`; `scanNow()` imports at once. */
  snapshotFiles: Pick<LocalSnapshotFiles, 'scanNow' | 'dir'>;
  /** The fact checker: `runNow` works the re-check runs due now. */
  factChecker: Pick<LocalFactChecker, 'runNow'>;
  /** Runs the reconciler now, the same handler as on AWS (`functions/workflow/scheduled/reconcile-executions.ts`). */
  reconcileNow(graceSeconds?: number): Promise<Reconciled>;
  /** The local data exchange: `stop()` and `start()` it (same port), `misbehave(...)`, `put(records)`. */
  exchange: LocalExchange;
  stop(): Promise<void>;
}

export const localStateMachineArn = `arn:aws:states:${localRegion}:${localAccount}:stateMachine:application-approval`;

export async function synthesizeForLocal(): Promise<Record<string, unknown>> {
  const { synthesizeTemplate } = await import('../infra/synthesize.js');
  return synthesizeTemplate({ bundle: false });
}

/**
 * Starts it all: the table (seeded with the demo city and people), the stand-in services and the
 * environment the handlers read (`local-services.ts`), the engine and every execution that was
 * waiting, the functions on their local triggers (`local-functions.ts`), and the HTTP API with the
 * local sign-in and the console.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const template = options.template ?? (await synthesizeForLocal());
  // A DynamoDB Local of its own unless the caller shares one.
  const dynamo: DynamoDbLocal | undefined = options.dynamoEndpoint
    ? undefined
    : await startDynamoDbLocal({ dataDir: options.dataDir && join(options.dataDir, 'dynamodb') });
  const dynamoEndpoint = options.dynamoEndpoint ?? (dynamo as DynamoDbLocal).endpoint;
  const tableName = options.tableName ?? 'employment-subsidy';
  const services = await startLocalServices({
    ...options,
    dynamoEndpoint,
    tableName,
    stateMachineArn: localStateMachineArn,
  });

  // The handlers' client (TABLE_NAME is set now) answers only what the template grants each function.
  enforceTableGrants(tableFromEnvironment().client, tableGrantsOf(template));
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
          residentIdSecret: services.residentIdSecret,
          policy,
          now,
        }),
        ms: Date.now() - now.getTime(),
      };
  }

  const plan = workflowPlanFrom(template as Parameters<typeof workflowPlanFrom>[0]);
  const { engine, endpoint: stepFunctionsEndpoint } = await startLocalEngine(plan, localStateMachineArn, {
    clock: options.clock,
    port: options.stepFunctionsPort,
  });

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

  // Grants kept in .data by an earlier version: listed in their city's active grants (re-checked monthly).
  await addMissingToActiveGrants(table);
  const { webhooks, digests, snapshotFiles, deadlineSweep, factChecker, reconcileNow, stopReconciler } =
    await startLocalTriggers({
      ...options,
      plan,
      table,
      dynamoEndpoint,
      deadlines,
    });

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
    snapshotFiles,
    factChecker,
    reconcileNow,
    exchange: services.exchange,
    async stop() {
      await stopReconciler();
      await snapshotFiles.stop();
      await factChecker.stop();
      await api.close();
      digests.stop();
      await deadlineSweep.stop();
      await webhooks.stop();
      await engine.close();
      await services.close();
      table.client.destroy();
      await dynamo?.stop();
    },
  };
}
