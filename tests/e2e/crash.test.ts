/**
 * Crashes lose nothing: the product's runtime (HTTP API, the synthesized state machine on the
 * local engine, the stream consumers that send webhooks and keep the throughput counters, the
 * deadline sweep, the reconciler) runs in a child process (`tests/support/crashable-stack.ts`),
 * and while a burst of applications goes through every path (approved at street and city,
 * rejected, returned and resubmitted then approved, withdrawn; and some left waiting for the
 * city's decision), several in flight at once, the
 * child is SIGKILLed at random moments and started again. Clients are patient, as a real one is:
 * each request is sent again, with the same Idempotency-Key or expectedVersion, until it lands.
 *
 * DynamoDB Local is not killed: on AWS the table does not crash with a Lambda or an execution;
 * what must survive is our code dying at any instruction, between any two of its writes.
 *
 * At the end (restarts resume open applications; the reconciler runs too), the model of
 * `tests/support/consistency.ts` is checked application by application: history exactly the
 * path's, one grant per approved person, no execution left running or token left behind on a
 * final application and the open ones waiting on their current version, every
 * webhook event delivered verified under one id, every counter equal to a rebuild.
 *
 * CRASH_N applications (40), CRASH_KILLS kills (4), CRASH_SEED (printed) repeats a run's moments.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seededRandom } from '../../bench/metrics-data.js';
import { applicationRepository } from '../../functions/applications/store/applications.js';
import { stepFunctionsWorkflow } from '../../functions/kernel/adapters/approval-workflow.js';
import { reconcileExecutions } from '../../functions/workflow/scheduled/reconcile.js';
import { eventually } from '../../tools/support/eventually.js';
import { actors } from '../../tools/support/fixtures.js';
import { settledAgainstModel } from '../support/consistency.js';
import { type CrashableStack, crashableStack } from '../support/crashable-stack.js';
import { testTableName } from '../support/dynamo.js';
import { type Path, paths, patientClient, type TakenApplication } from '../support/patient-client.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const n = Number(process.env.CRASH_N ?? 40);
const kills = Number(process.env.CRASH_KILLS ?? 4);
const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
/** At most this many applications in flight at once. */
const inFlight = 8;
const residentIdSecret = 'r'.repeat(40);
const tableName = testTableName('crash');
/** Each path's changes: intake, the endpoint's registration, then each move. */
const changesOf: Record<Path, number> = {
  approved: 4,
  rejected: 3,
  'returned-resubmitted': 7,
  withdrawn: 3,
  waiting: 3,
};
/** Every final path, and applications left waiting for the city (they must be waiting still, on the right version). */
const burstPaths: Path[] = [...paths, 'waiting'];

let stack: CrashableStack;
let receiver: WebhookReceiver;
let firstStartMs = 0;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  stack = await crashableStack({
    dynamoEndpoint: inject('dynamoEndpoint'),
    template: inject('template'),
    tableName,
    residentIdKey: residentIdSecret,
  });
  firstStartMs = await stack.start();
}, 240_000);
afterAll(async () => {
  await stack?.close();
  await receiver?.close();
});

describe(`crash: ${n} applications, the runtime SIGKILLed ${kills} times (seed ${seed})`, () => {
  it('loses nothing and does nothing twice: histories, grants, executions, webhooks and counters as the model says', async () => {
    console.info(`crash: seed ${seed} (CRASH_SEED=${seed} repeats these moments)`);
    const random = seededRandom(seed);
    // A receiver that takes a moment to answer, as a real one does (its own random sequence: the
    // kill moments stay as the seed says). The first kill lands while it holds a request: a webhook
    // sent, its answer not yet recorded, so the restart must send it again, under the same id.
    const latency = seededRandom(seed + 1);
    let holdNext = false;
    let held: (() => void) | undefined;
    receiver.holdAnswer = () => {
      if (!holdNext) return new Promise((answered) => setTimeout(answered, latency() * 200));
      holdNext = false;
      return new Promise((answered) => {
        held = answered;
      });
    };
    const started = Date.now();
    const patient = patientClient(stack);
    const secrets = new Map<string, string>();

    // An endpoint per application before it moves, so its receiver hears every event.
    const register = (applicationId: string) => patient.registerEndpoint(applicationId, receiver.url, secrets);

    // The kill moments are points in the burst's progress (changes landed, plus a random few ms),
    // so they fall inside the burst on a machine of any speed.
    const pathOf = (i: number) => burstPaths[i % burstPaths.length] as Path;
    const changes = Array.from({ length: n }, (_, i) => changesOf[pathOf(i)]).reduce((a, b) => a + b, 0);
    const killPoints = Array.from({ length: kills }, () => Math.floor(changes * (0.05 + 0.85 * random()))).sort(
      (a, b) => a - b,
    );
    const crashes: { atMs: number; afterChanges: number; restartMs: number; midSend: boolean }[] = [];
    let burstOver = false;
    const crasher = (async () => {
      for (const [k, point] of killPoints.entries()) {
        await eventually(
          'the burst to reach a kill point',
          () => burstOver || patient.figures.landed >= point,
          600_000,
        );
        if (burstOver) return;
        const midSend = k === 0;
        if (midSend) {
          holdNext = true;
          await eventually('a webhook being sent', () => burstOver || held !== undefined, 120_000);
        } else {
          // Not a wait for anything: the kill lands at a random instant after the point.
          await new Promise((instant) => setTimeout(instant, random() * 250));
        }
        const atMs = Date.now() - started;
        const afterChanges = patient.figures.landed;
        await stack.kill();
        held?.();
        crashes.push({ atMs, afterChanges, restartMs: await stack.start(), midSend });
      }
    })();

    const taken: TakenApplication[] = [];
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < n; i = next++)
        taken.push(
          await patient.takeThrough(i, pathOf(i), {
            keyPrefix: `crash-${seed}`,
            person: 6000 + i,
            beforeMoving: register,
          }),
        );
    };
    try {
      await Promise.all(Array.from({ length: inFlight }, worker));
    } finally {
      burstOver = true;
      await crasher;
    }
    const burstMs = Date.now() - started;

    // What the restarts resumed has ended; the reconciler (the same as on AWS, here at once)
    // releases any token a crash left recorded, and starts what a crash left without an execution.
    const table = {
      client: new DynamoDBClient({ endpoint: inject('dynamoEndpoint') }),
      tableName,
    };
    const workflow = stepFunctionsWorkflow(
      new SFNClient({ endpoint: stack.stepFunctionsEndpoint }),
      stack.stateMachineArn,
    );
    const { histories, grants, executions, webhooks, counters, summary } = await settledAgainstModel({
      table,
      workflow,
      taken,
      read: (path) => patient.as(actors.gexin01Staff).get(path),
      residentIdSecret,
      received: receiver.received,
      secrets,
      heal: () =>
        reconcileExecutions(
          { applications: applicationRepository(table), workflow, now: () => new Date() },
          { graceSeconds: 0, maxGenerations: 10 },
        ),
      timeoutMs: 180_000,
    });
    table.client.destroy();

    console.info(
      [
        `crash: ${n} applications (${burstPaths.map((p) => `${taken.filter((t) => t.path === p).length} ${p}`).join(', ')}), ${inFlight} in flight, seed ${seed}`,
        `  ${crashes.length} SIGKILLs: ${crashes.map((c) => `at ${(c.atMs / 1000).toFixed(1)} s (after ${c.afterChanges} of ${changes} changes${c.midSend ? ', a webhook in flight' : ''}; up again in ${(c.restartMs / 1000).toFixed(1)} s)`).join('; ')}`,
        `  first start ${(firstStartMs / 1000).toFixed(1)} s; burst ${(burstMs / 1000).toFixed(1)} s; all settled ${((Date.now() - started) / 1000).toFixed(1)} s`,
        `  requests ${patient.figures.requests}, of which retries ${patient.figures.retried}`,
        ...summary,
      ].join('\n'),
    );
    expect(crashes.length, 'kills').toBe(kills);
    expect(taken).toHaveLength(n);
    expect(histories, 'histories').toEqual([]);
    expect(grants.problems, 'grants').toEqual([]);
    expect(executions, 'executions').toEqual([]);
    expect(webhooks.problems, 'webhooks').toEqual([]);
    // The webhook in flight at the first kill was sent again, under its id (at least once, stable id).
    expect(webhooks.figures.duplicateSends, 'webhooks sent again').toBeGreaterThanOrEqual(1);
    expect(counters.problems, 'counters').toEqual([]);
  }, 900_000);
});
