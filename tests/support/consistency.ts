/**
 * What "nothing lost, nothing twice" means after a burst that faults or crashes interrupted,
 * checked against the model of `patient-client.ts` application by application:
 *  - its history is exactly its path's: every decision recorded once, the chain intact;
 *  - one grant per approved person in the benefit ledger, none for the others;
 *  - no execution still running and no callback token left on a final application, and an open
 *    one's execution waiting for the person with its token recorded;
 *  - every webhook event of its path delivered with a signature its secret verifies, every
 *    delivery of one event under one `webhook-id` (a crash between sending and recording resends
 *    it: at least once, with a stable id, which a Standard Webhooks receiver dedupes), never two
 *    ids for one event, none for an event that did not happen;
 *    (and the delivery log says each was delivered);
 *  - every throughput counter equal to a rebuild from the history events.
 * Each check answers the problems it found (an empty list when all is well) and its figures, so a
 * failing run names every application that went wrong, not just the first.
 */
import { isDeepStrictEqual } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { applicationRepository } from '../../functions/applications/store/applications.js';
import { applicationPartitionPrefix } from '../../functions/applications/store/history-events.js';
import type { ExecutionRepair } from '../../functions/kernel/adapters/approval-workflow.js';
import { executionName } from '../../functions/kernel/adapters/approval-workflow.js';
import { residentIdKey } from '../../functions/kernel/domain/resident-id-key.js';
import {
  fromItem,
  type Item,
  keys,
  queryAll,
  scanAll,
  type TableContext,
  toItem,
} from '../../functions/kernel/store/table.js';
import { changesOf, countableEventOf, metricsRepository } from '../../functions/monitoring/store/metrics.js';
import { webhookRepository } from '../../functions/webhooks/store/webhooks.js';
import { eventually } from '../../tools/support/eventually.js';
import type { ApiAnswer } from './api-client.js';
import { expectedHistory, type Path, type TakenApplication } from './patient-client.js';
import type { ReceivedWebhook } from './webhook-receiver.js';

/** Each path's webhook events (`type vVersion`), in order: what its receiver must hear, each once. */
export const expectedWebhooks: Record<Path, string[]> = {
  approved: ['application.submitted v1', 'application.advanced v2', 'application.approved v3'],
  rejected: ['application.submitted v1', 'application.rejected v2'],
  'returned-resubmitted': [
    'application.submitted v1',
    'application.advanced v2',
    'application.returned v3',
    'application.resubmitted v4',
    'application.approved v5',
  ],
  withdrawn: ['application.submitted v1', 'application.withdrawn v2'],
  waiting: ['application.submitted v1', 'application.advanced v2'],
};

const finalStatus: Record<Path, string> = {
  approved: 'approved',
  rejected: 'rejected',
  'returned-resubmitted': 'approved',
  withdrawn: 'withdrawn',
  waiting: 'in_review',
};
const grantsOf = (path: Path) => (finalStatus[path] === 'approved' ? 1 : 0);

/** Reads an application as its community's staff see it (`apiAs(stack, actors.gexin01Staff).get`). */
export type ReadApplication = (path: string) => Promise<ApiAnswer>;

/** Histories as the API shows them: exactly the path's, intact, in the path's final status. */
export async function historyProblems(read: ReadApplication, taken: TakenApplication[]): Promise<string[]> {
  const problems: string[] = [];
  for (const { id, path } of taken) {
    const view = await read(`/applications/${id}`);
    if (view.status !== 200) {
      problems.push(`${id} (${path}): GET answered ${view.status}`);
      continue;
    }
    const history = (view.body.history as { action: string; stage: string }[]).map((e) => `${e.action}@${e.stage}`);
    if (JSON.stringify(history) !== JSON.stringify(expectedHistory[path]))
      problems.push(`${id} (${path}): history ${history.join(', ')}`);
    if (view.body.status !== finalStatus[path]) problems.push(`${id} (${path}): status ${view.body.status}`);
    if (view.body.historyIntact !== true) problems.push(`${id} (${path}): history not intact`);
  }
  return problems;
}

/** The benefit ledger: one grant per approved person, none for the others. */
export async function grantProblems(
  table: TableContext,
  residentIdSecret: string,
  taken: TakenApplication[],
): Promise<{ problems: string[]; grants: number }> {
  const problems: string[] = [];
  let grants = 0;
  const applications = applicationRepository(table);
  for (const { id, path, idNumber } of taken) {
    // A person's grants are kept in the city of the application that granted them.
    const cityId = (await applications.get(id))?.application.unitPath[0] ?? '';
    const items = await queryAll(table, {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: toItem({ ':pk': keys.person(cityId, residentIdKey(idNumber, residentIdSecret)) }),
      ConsistentRead: true,
    });
    const found = items.map(fromItem).filter((item) => String(item.sk).startsWith('GRANT#')).length;
    grants += found;
    if (found !== grantsOf(path)) problems.push(`${id} (${path}): ${found} grants, not ${grantsOf(path)}`);
  }
  return { problems, grants };
}

/**
 * A final application: every execution ended (none of any generation running) and no callback
 * token left on it. An open one: its latest execution running and waiting for the person, its
 * token recorded for the version the application is at.
 */
export async function executionProblems(
  table: TableContext,
  workflow: Pick<ExecutionRepair, 'statusOf'>,
  taken: TakenApplication[],
): Promise<string[]> {
  const problems: string[] = [];
  const applications = applicationRepository(table);
  for (const { id, path } of taken) {
    const stored = await applications.get(id);
    const running: string[] = [];
    for (let generation = 1; ; generation++) {
      const status = await workflow.statusOf(executionName(id, generation));
      if (status === undefined) break;
      if (status === 'RUNNING') running.push(executionName(id, generation));
    }
    if (finalStatus[path] === 'in_review') {
      if (running.length !== 1) problems.push(`${id} (${path}): ${running.length} executions running, not 1`);
      if (stored?.waitingTask?.version !== stored?.application.version)
        problems.push(`${id} (${path}): no callback token recorded for version ${stored?.application.version}`);
    } else {
      if (stored?.waitingTask) problems.push(`${id} (${path}): a callback token is still recorded`);
      for (const name of running) problems.push(`${id} (${path}): execution ${name} running`);
    }
  }
  return problems;
}

export interface WebhookFigures {
  /** Requests the receiver got for these applications. */
  deliveries: number;
  /** Distinct `webhook-id`s among them: one per event. */
  events: number;
  /** Deliveries of an event already delivered (the same id again). */
  duplicateSends: number;
  /** Events of the model not heard yet. */
  missing: number;
}

/**
 * What each application's receiver heard, against its path. `secrets` maps each application to
 * the secret its endpoint was registered with.
 */
export function webhookProblems(
  received: ReceivedWebhook[],
  secrets: Map<string, string>,
  taken: TakenApplication[],
): { problems: string[]; figures: WebhookFigures } {
  const problems: string[] = [];
  const figures: WebhookFigures = { deliveries: 0, events: 0, duplicateSends: 0, missing: 0 };
  const byApplication = new Map<string, ReceivedWebhook[]>();
  for (const message of received) {
    const applicationId = String(
      (JSON.parse(message.body) as { data?: { applicationId?: string } }).data?.applicationId,
    );
    byApplication.set(applicationId, [...(byApplication.get(applicationId) ?? []), message]);
  }
  for (const { id, path } of taken) {
    const messages = byApplication.get(id) ?? [];
    const secret = secrets.get(id);
    if (!secret) {
      problems.push(`${id} (${path}): no endpoint secret`);
      continue;
    }
    const verifier = new Webhook(secret);
    const idsOfEvent = new Map<string, Set<string>>();
    const bodyOfId = new Map<string, string>();
    for (const message of messages) {
      figures.deliveries++;
      let payload: { type: string; data: { version: number } };
      try {
        payload = verifier.verify(message.body, message.headers) as typeof payload;
      } catch (error) {
        problems.push(`${id} (${path}): a delivery does not verify (${String(error)})`);
        continue;
      }
      const webhookId = message.headers['webhook-id'] ?? '';
      const event = `${payload.type} v${payload.data.version}`;
      idsOfEvent.set(event, new Set([...(idsOfEvent.get(event) ?? []), webhookId]));
      const earlier = bodyOfId.get(webhookId);
      if (earlier === undefined) bodyOfId.set(webhookId, message.body);
      else {
        figures.duplicateSends++;
        if (earlier !== message.body) problems.push(`${id} (${path}): ${webhookId} sent with two bodies`);
      }
    }
    figures.events += bodyOfId.size;
    for (const event of expectedWebhooks[path]) {
      const ids = idsOfEvent.get(event)?.size ?? 0;
      if (ids === 0) {
        figures.missing++;
        problems.push(`${id} (${path}): ${event} not delivered`);
      }
      if (ids > 1) problems.push(`${id} (${path}): ${event} delivered under ${ids} webhook ids`);
    }
    for (const event of idsOfEvent.keys())
      if (!expectedWebhooks[path].includes(event)) problems.push(`${id} (${path}): ${event} delivered, never happened`);
  }
  return { problems, figures };
}

/**
 * The delivery log: every delivery of these applications' endpoints settled as delivered. Until
 * then a send a crash interrupted may still be resent (once its claim runs out), so the
 * receiver's figures are final only after this holds.
 */
export async function deliveryLogProblems(table: TableContext, taken: TakenApplication[]): Promise<string[]> {
  const webhooks = webhookRepository(table);
  const problems: string[] = [];
  for (const { id, path } of taken)
    for (const endpoint of await webhooks.endpointsOf(id))
      for (const delivery of await webhooks.deliveriesOf(endpoint.id))
        if (delivery.status !== 'delivered')
          problems.push(`${id} (${path}): delivery ${delivery.id} (${delivery.eventType}) is ${delivery.status}`);
  return problems;
}

/** Counter items with zero-valued counters left out: a counter that went up and down again is no figure. */
export const counterFigures = (items: Map<string, Item>) =>
  new Map([...items].map(([key, item]) => [key, Object.fromEntries(Object.entries(item).filter(([, v]) => v !== 0))]));

/**
 * Waits until the stream's aggregator has counted every countable history event, then compares
 * its counters with a rebuild from the events (which becomes the current generation).
 */
export async function counterProblems(
  table: TableContext,
  timeoutMs = 180_000,
): Promise<{ problems: string[]; events: number; counterItems: number }> {
  const metrics = metricsRepository(table);
  const events = (
    await scanAll(table, {
      FilterExpression: 'begins_with(sk, :evt) AND begins_with(pk, :app)',
      ExpressionAttributeValues: toItem({ ':evt': keys.applicationEventPrefix, ':app': applicationPartitionPrefix }),
      ConsistentRead: true,
    })
  )
    .map((item) => countableEventOf(fromItem(item)))
    .filter((event) => event !== undefined && changesOf(event).length > 0)
    .map((event) => event as NonNullable<typeof event>);
  await eventually(
    'the aggregator to count every history event',
    async () => (await metrics.countedAlready(events)).size === events.length,
    timeoutMs,
  );
  const incremental = counterFigures(await metrics.allCounterItems());
  const rebuilt = await metrics.rebuild();
  const afterRebuild = counterFigures(await metrics.allCounterItems());
  const problems: string[] = [];
  if (rebuilt.counted !== events.length)
    problems.push(`the rebuild counted ${rebuilt.counted} events, the table holds ${events.length}`);
  for (const key of new Set([...incremental.keys(), ...afterRebuild.keys()])) {
    const [live, again] = [incremental.get(key) ?? {}, afterRebuild.get(key) ?? {}];
    if (!isDeepStrictEqual(live, again))
      problems.push(`counter ${key}: ${JSON.stringify(live)} counted, ${JSON.stringify(again)} rebuilt`);
  }
  return { problems, events: events.length, counterItems: afterRebuild.size };
}

/**
 * The end of a burst: waits (running `heal`, the reconciler, each time) until every execution has
 * ended or waits for the person, and until the delivery log has settled; then checks the whole
 * model. Answers each check's problems and figures, and `summary`, the lines a run prints.
 */
export async function settledAgainstModel(options: {
  table: TableContext;
  workflow: Pick<ExecutionRepair, 'statusOf'>;
  taken: TakenApplication[];
  read: ReadApplication;
  residentIdSecret: string;
  received: ReceivedWebhook[];
  secrets: Map<string, string>;
  heal: () => Promise<unknown>;
  timeoutMs?: number;
}) {
  const { table, workflow, taken, timeoutMs = 240_000 } = options;
  await eventually(
    'every execution to end, or wait for the person',
    async () => {
      await options.heal();
      return (await executionProblems(table, workflow, taken)).length === 0;
    },
    timeoutMs,
  );
  // A send a crash interrupted is sent again once its claim runs out.
  await eventually(
    'every webhook delivery settled',
    async () => (await deliveryLogProblems(table, taken)).length === 0,
    timeoutMs,
  );
  const histories = await historyProblems(options.read, taken);
  const grants = await grantProblems(table, options.residentIdSecret, taken);
  const executions = await executionProblems(table, workflow, taken);
  const webhooks = webhookProblems(options.received, options.secrets, taken);
  const counters = await counterProblems(table);
  const summary = [
    `  webhooks: ${webhooks.figures.deliveries} deliveries of ${webhooks.figures.events} events, ${webhooks.figures.duplicateSends} sent again under the same id`,
    `  grants ${grants.grants}; ${counters.events} history events counted into ${counters.counterItems} counter items`,
  ];
  return { histories, grants, executions, webhooks, counters, summary };
}
