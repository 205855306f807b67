/**
 * The reconciler: every open application must have a live execution, and a person's change must
 * reach the execution that waited for it. It heals what a crash or an outage left behind:
 *  - no execution at all (a crash between storing the application and starting its execution):
 *    started, named by the application's id;
 *  - an execution failed, timed out or aborted: redriven from where it stopped when Step Functions
 *    allows it (within 14 days), otherwise a new one started under the next generation's name
 *    (`<id>-g2`…: a name cannot be reused for 90 days), which routes from the stored state;
 *  - a decision written whose SendTaskSuccess failed (the token still recorded, for an older
 *    version): released with the next step of the application as it now is.
 * Every action is idempotent (a token is accepted once, a name started once), so two runs, or a
 * run and a person's request at the same moment, never do a thing twice.
 */
import { type ApplicationRepository, routeOf, type StoredApplication } from '../../applications/index.js';
import {
  type ApprovalWorkflow,
  type ExecutionRepair,
  type ExecutionStatus,
  executionName,
} from '../../kernel/adapters/approval-workflow.js';

export interface ReconcileDependencies {
  applications: Pick<ApplicationRepository, 'listToReconcile' | 'takeWaitingTask'>;
  workflow: Pick<ApprovalWorkflow, 'release'> & ExecutionRepair;
  now: () => Date;
}

export interface ReconcileOptions {
  /**
   * Leave alone an application changed less than this long ago: the request that changed it may
   * still be starting or releasing its execution (harmless if not: every action is idempotent).
   */
  graceSeconds: number;
  /** Past this many executions for one application, it is reported, not restarted: something fails for good. */
  maxGenerations: number;
}

export const defaultReconcileOptions: ReconcileOptions = { graceSeconds: 120, maxGenerations: 10 };

export interface Reconciled {
  checked: number;
  /** Decisions whose release had failed, released now. */
  released: string[];
  /** Executions started: missing ones, and new generations of those that could not be redriven. */
  started: string[];
  redriven: string[];
  /** Applications past `maxGenerations`: for a person to look at (logged as an error, alarmed). */
  gaveUp: string[];
  /** Applications the run could not act on (a service failing): the next run tries again. */
  failed: string[];
}

const stopped = new Set<ExecutionStatus>(['FAILED', 'TIMED_OUT', 'ABORTED', 'SUCCEEDED']);

export async function reconcileExecutions(
  deps: ReconcileDependencies,
  options: ReconcileOptions = defaultReconcileOptions,
): Promise<Reconciled> {
  const result: Reconciled = { checked: 0, released: [], started: [], redriven: [], gaveUp: [], failed: [] };
  const settledBefore = deps.now().getTime() - options.graceSeconds * 1000;
  for (const stored of await deps.applications.listToReconcile()) {
    const { id, updatedAt, status } = stored.application;
    if (Date.parse(updatedAt) > settledBefore) continue;
    result.checked++;
    try {
      if (await releaseLost(deps, stored)) {
        result.released.push(id);
        continue;
      }
      // A final application needs no execution any more.
      if (status !== 'in_review' && status !== 'returned') continue;
      const action = await reviveExecution(deps, id, options.maxGenerations);
      if (action === 'started') result.started.push(id);
      if (action === 'redriven') result.redriven.push(id);
      if (action === 'gave-up') result.gaveUp.push(id);
    } catch {
      result.failed.push(id);
    }
  }
  return result;
}

/** A token recorded for an older version: the change was written, its release lost. */
async function releaseLost(deps: ReconcileDependencies, { application, waitingTask }: StoredApplication) {
  if (!waitingTask || waitingTask.version === undefined || waitingTask.version >= application.version) return false;
  const released = await deps.workflow.release(waitingTask.token, {
    applicationId: application.id,
    ...routeOf(application),
  });
  await deps.applications.takeWaitingTask(application.id, waitingTask.token);
  // Not released: the token no longer waits (the execution timed out or ended); its execution is checked next.
  return released;
}

async function reviveExecution(
  deps: ReconcileDependencies,
  applicationId: string,
  maxGenerations: number,
): Promise<'alive' | 'started' | 'redriven' | 'gave-up'> {
  const { workflow } = deps;
  // The latest generation: the first is named by the id, each later one exists only if the one before stopped.
  let generation = 1;
  let status = await workflow.statusOf(executionName(applicationId, 1));
  if (status === undefined) {
    await workflow.startNamed(executionName(applicationId, 1), applicationId);
    return 'started';
  }
  while (stopped.has(status) && generation < maxGenerations) {
    const next = await workflow.statusOf(executionName(applicationId, generation + 1));
    if (next === undefined) break;
    generation++;
    status = next;
  }
  if (!stopped.has(status)) return 'alive';
  // An execution that succeeded while its application is still open ended on a stale route: start anew.
  if (status !== 'SUCCEEDED' && (await workflow.redrive(executionName(applicationId, generation)))) return 'redriven';
  if (generation >= maxGenerations) return 'gave-up';
  await workflow.startNamed(executionName(applicationId, generation + 1), applicationId);
  return 'started';
}
