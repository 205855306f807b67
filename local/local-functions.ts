/**
 * The functions the local stack runs, each the same handler as on AWS, on what stands in for its
 * trigger there: the state machine's steps on the local engine; the stream consumers (webhooks,
 * throughput counters, the employment ledger) and the delivery worker on a polling loop; the daily
 * digest, the deadline sweep, the reconciler and the fact checker on timers instead of EventBridge schedules. Each
 * is found by the `subsidy:entry` the stack puts on its function, so a function the template does
 * not deploy is not run here either.
 */
import { applicationsFunctions } from '../functions/applications/functions.js';
import type { DeadlineIndex } from '../functions/applications/store/deadline-index.js';
import { employmentFunctions } from '../functions/employment/functions.js';
import { integrityFunctions } from '../functions/integrity/functions.js';
import { environment } from '../functions/kernel/runtime/environment.js';
import type { TableContext } from '../functions/kernel/store/table.js';
import { monitoringFunctions } from '../functions/monitoring/functions.js';
import { verificationFunctions } from '../functions/verification/functions.js';
import type { WorkerEvent } from '../functions/webhooks/events/delivery-worker.js';
import { webhookFunctions } from '../functions/webhooks/functions.js';
import { workflowOperations, workflowSteps } from '../functions/workflow/functions.js';
import type { Reconciled } from '../functions/workflow/scheduled/reconcile.js';
import { type LocalDeadlineSweep, startLocalDeadlineSweep } from './deadline-sweep.js';
import { importDeployed, importHandler } from './entries.js';
import { type FactCheckerHandler, startLocalFactChecker } from './fact-checker.js';
import { type DigestHandler, type LocalDigests, startLocalDigests } from './history-digests.js';
import { type SnapshotFilesHandler, startLocalSnapshotFiles } from './snapshot-files.js';
import { type EngineClock, type LambdaHandler, LocalStepFunctions, realClock } from './step-functions.js';
import type { workflowPlanFrom } from './template.js';
import { startLocalWebhooks } from './webhooks.js';

type WorkflowPlan = ReturnType<typeof workflowPlanFrom>;

/**
 * The approval state machine on the local engine, its tasks the workflow's steps (the other
 * functions the template names run elsewhere), served where the handlers' SDK client finds it.
 */
export async function startLocalEngine(
  plan: WorkflowPlan,
  stateMachineArn: string,
  options: { clock?: EngineClock; port?: number },
): Promise<{ engine: LocalStepFunctions; endpoint: string }> {
  const lambdas = new Map<string, LambdaHandler>();
  const stepEntries = new Set<string>(Object.values(workflowSteps).map((step) => step.entry));
  for (const [arn, entry] of plan.functionEntries) {
    if (stepEntries.has(entry)) lambdas.set(arn, await importHandler<LambdaHandler>(entry));
  }
  const engine = new LocalStepFunctions(plan.definition, lambdas, stateMachineArn, options.clock);
  const endpoint = await engine.listen(options.port ?? 0);
  process.env.AWS_ENDPOINT_URL_SFN = endpoint;
  return { engine, endpoint };
}

export interface LocalTriggersOptions {
  plan: WorkflowPlan;
  table: TableContext;
  dynamoEndpoint: string;
  /** Where the sweep reads the next due moment, to arm the clock. */
  deadlines: DeadlineIndex;
  clock?: EngineClock;
  webhookIntervalMs?: number;
  deadlineSweepIntervalMs?: number;
  digestIntervalMs?: number;
  reconcileIntervalMs?: number;
  /** How often the snapshot folder is looked at for new files (ms); 3000 by default, 0 leaves it to `scanNow()`. */
  snapshotIntervalMs?: number;
  /** How often the fact checker looks for re-check runs to work (ms); 15 s by default, 0 only on demand. */
  factCheckIntervalMs?: number;
}

export async function startLocalTriggers(options: LocalTriggersOptions) {
  const { table } = options;
  // The stream and queue functions, found like the steps: by the `subsidy:entry` the stack puts on each.
  const deployed = new Set(options.plan.functionEntries.values());
  for (const fn of [
    ...Object.values(webhookFunctions),
    monitoringFunctions.aggregator,
    employmentFunctions.employmentFeed,
  ])
    if (!deployed.has(fn.entry)) throw new Error(`the template has no function for ${fn.entry}`);
  const webhooks = startLocalWebhooks({
    client: table.client,
    endpoint: options.dynamoEndpoint,
    tableName: table.tableName,
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
  const digests: LocalDigests = startLocalDigests(
    await importDeployed<DigestHandler>(deployed, integrityFunctions.dailyDigest.entry),
    options.digestIntervalMs ?? 60 * 60 * 1000,
  );

  // Deadline events are recorded by the sweep, the same handler as on AWS, not by waking executions.
  const deadlineSweep: LocalDeadlineSweep = startLocalDeadlineSweep({
    sweep: await importDeployed(deployed, workflowOperations.sweepDeadlines.entry),
    index: options.deadlines,
    clock: options.clock ?? realClock,
    intervalMs: options.deadlineSweepIntervalMs ?? 1000,
  });

  // The reconciler, the same handler as on AWS, on a timer instead of EventBridge.
  const reconcile = await importDeployed<(event: { graceSeconds?: number }) => Promise<Reconciled>>(
    deployed,
    workflowOperations.reconcileExecutions.entry,
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

  // Snapshot files dropped into the data directory, imported by the same handler as S3's notification invokes.
  const snapshotFiles = startLocalSnapshotFiles(
    await importDeployed<SnapshotFilesHandler>(deployed, verificationFunctions.snapshotImport.entry),
    environment('SNAPSHOT_DIR').SNAPSHOT_DIR ?? '',
    options.snapshotIntervalMs ?? 3000,
  );

  // The monthly re-check, the same handler as on AWS: a run asked for is worked within a tick.
  const factChecker = startLocalFactChecker(
    await importDeployed<FactCheckerHandler>(deployed, applicationsFunctions.factChecker.entry),
    options.factCheckIntervalMs ?? 15_000,
  );

  return {
    webhooks,
    digests,
    snapshotFiles,
    deadlineSweep,
    factChecker,
    reconcileNow,
    /** Stops the reconciler's timer and waits for a run under way (the others stop with the stack). */
    async stopReconciler(): Promise<void> {
      clearInterval(reconcileTimer);
      await reconciling;
    },
  };
}
