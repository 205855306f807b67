/**
 * Faults injected, nothing lost: the whole product (API handlers, the synthesized state machine on
 * the local engine, the stream consumers that send webhooks and keep the throughput counters) runs
 * against DynamoDB Local through the fault proxy, which fails 10 % of calls (throttling, 500s,
 * connections reset before the call or after it was applied, so that only its answer is lost) and
 * delays others; the stream reads go through it too. Applications go through every path (approved
 * at both levels, rejected, returned and resubmitted, withdrawn, and some left waiting for the
 * city), each with a webhook endpoint registered before it moves; a client retries as a real one
 * would (the same Idempotency-Key, the same expectedVersion). At the end, against the model of
 * `tests/support/consistency.ts`: every decision recorded exactly once, one grant per approved
 * person, no execution left running and no token left behind (the reconciler heals what faults
 * left), every webhook event delivered verified under one id, every counter equal to a rebuild.
 *
 * `npm test` runs CHAOS_N=25 (five of each path); `npm run chaos` runs 200. CHAOS_RATE changes the
 * share of failing calls, CHAOS_SEED the proxy's draw (printed).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stepFunctionsWorkflow } from '../../functions/kernel/adapters/approval-workflow.js';
import { freePort } from '../../local/dynamodb-local.js';
import { type FaultProxy, startFaultProxy } from '../../local/fault-proxy.js';
import { type LocalStack, localStateMachineArn, startLocalStack } from '../../local/runtime.js';
import { actors } from '../../tools/support/fixtures.js';
import { settledAgainstModel } from '../support/consistency.js';
import { testTableName } from '../support/dynamo.js';
import {
  type Path,
  type PatientClient,
  paths,
  patientClient,
  type TakenApplication,
} from '../support/patient-client.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const n = Number(process.env.CHAOS_N ?? 25);
const faultRate = Number(process.env.CHAOS_RATE ?? 0.1);
const seed = Number(process.env.CHAOS_SEED ?? Date.now() % 1_000_000);
const tableName = testTableName('chaos');
const residentIdSecret = 'c'.repeat(40);
const burstPaths: Path[] = [...paths, 'waiting'];
let stack: LocalStack;
let proxy: FaultProxy;
let patient: PatientClient;
let receiver: WebhookReceiver;

beforeAll(async () => {
  proxy = await startFaultProxy({ target: inject('dynamoEndpoint'), rate: 0, latencyMs: 50, seed });
  receiver = await startWebhookReceiver();
  stack = await startLocalStack({
    dynamoEndpoint: proxy.endpoint,
    template: inject('template'),
    tableName,
    stepFunctionsPort: await freePort(),
    residentIdKey: residentIdSecret,
    webhookIntervalMs: 100,
    webhookRetrySchedule: '1,1,1,1,1,1',
    reconcileIntervalMs: 0,
  });
  stack.engine.retryIntervalOverrideMs = 20;
  patient = patientClient(stack);
  // Set up without faults; from here on a tenth of the calls fail.
  proxy.rate = faultRate;
}, 240_000);
afterAll(async () => {
  await stack?.stop();
  await proxy?.close();
  await receiver?.close();
});

describe(`chaos: ${n} applications with ${faultRate * 100} % of DynamoDB calls failing (seed ${seed})`, () => {
  it('loses nothing and does nothing twice: histories, grants, executions, webhooks and counters as the model says', async () => {
    const started = Date.now();
    const secrets = new Map<string, string>();
    const register = (applicationId: string) => patient.registerEndpoint(applicationId, receiver.url, secrets);
    const taken: TakenApplication[] = [];
    // Eight at a time: concurrency without drowning a two-core machine.
    for (let from = 0; from < n; from += 8) {
      const batch = Array.from({ length: Math.min(8, n - from) }, (_, j) => from + j);
      taken.push(
        ...(await Promise.all(
          batch.map((i) =>
            patient.takeThrough(i, burstPaths[i % burstPaths.length] as Path, {
              keyPrefix: `chaos-${seed}`,
              person: 5000 + i,
              beforeMoving: register,
            }),
          ),
        )),
      );
    }
    const burstMs = Date.now() - started;
    const injected = { ...proxy.injected };
    const calls = proxy.calls;
    proxy.rate = 0;

    // Checked on the table itself, not through the proxy.
    const table = { client: new DynamoDBClient({ endpoint: inject('dynamoEndpoint') }), tableName };
    const workflow = stepFunctionsWorkflow(
      new SFNClient({ endpoint: stack.stepFunctionsEndpoint }),
      localStateMachineArn,
    );
    // The reconciler heals what faults left behind (a lost release, a failed start).
    const { histories, grants, executions, webhooks, counters, summary } = await settledAgainstModel({
      table,
      workflow,
      taken,
      read: (path) => patient.as(actors.gexin01Staff).get(path),
      residentIdSecret,
      received: receiver.received,
      secrets,
      heal: async () => {
        await stack.reconcileNow(0);
        await stack.engine.whenIdle();
      },
    });
    table.client.destroy();

    console.info(
      [
        `chaos: ${n} applications (${burstPaths.map((p) => `${taken.filter((t) => t.path === p).length} ${p}`).join(', ')}), ${faultRate * 100} % of DynamoDB calls failing, seed ${seed}`,
        `  ${calls} DynamoDB calls in the burst, injected ${JSON.stringify(injected)}`,
        `  burst ${(burstMs / 1000).toFixed(1)} s; all settled ${((Date.now() - started) / 1000).toFixed(1)} s`,
        `  requests ${patient.figures.requests}, of which retries ${patient.figures.retried}`,
        ...summary,
      ].join('\n'),
    );
    expect(taken).toHaveLength(n);
    expect(histories, 'histories').toEqual([]);
    expect(grants.problems, 'grants').toEqual([]);
    expect(executions, 'executions').toEqual([]);
    expect(webhooks.problems, 'webhooks').toEqual([]);
    expect(counters.problems, 'counters').toEqual([]);
  }, 1_800_000);
});
