/**
 * Faults injected, nothing lost: the whole product (API handlers, the synthesized state machine on
 * the local engine, stream consumers) runs against DynamoDB Local through the fault proxy, which
 * fails 10 % of calls (throttling, 500s, connections reset before the call or after it was
 * applied) and delays others. Applications go through every path (approved at both levels,
 * rejected, returned and resubmitted, withdrawn); a client retries as a real one would (the same
 * Idempotency-Key, the same expectedVersion). At the end: every application in its final state,
 * every decision recorded exactly once, every execution ended (the reconciler heals what faults
 * left), one grant per approved person.
 *
 * Run with CHAOS_N set (`npm run chaos` runs 200); not part of `npm test` yet (see the README's Robustness).
 */
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { residentIdKey } from '../../functions/domain/residentId-key.js';
import { keys, toItem } from '../../functions/store/table.js';
import { freePort } from '../../local/dynamodb-local.js';
import { type FaultProxy, startFaultProxy } from '../../local/fault-proxy.js';
import { type LocalStack, startLocalStack } from '../../local/runtime.js';
import { testTableName } from '../support/dynamo.js';
import { eventually } from '../support/eventually.js';
import { actors } from '../support/fixtures.js';
import {
  expectedHistory,
  type Path,
  type PatientClient,
  paths,
  patientClient,
  type TakenApplication,
} from '../support/patient-client.js';

const n = Number(process.env.CHAOS_N ?? 16);
const faultRate = Number(process.env.CHAOS_RATE ?? 0.1);
const tableName = testTableName('chaos');
const secret = 'c'.repeat(40);
let stack: LocalStack;
let proxy: FaultProxy;
let patient: PatientClient;

beforeAll(async () => {
  proxy = await startFaultProxy({ target: inject('dynamoEndpoint'), rate: 0, latencyMs: 50, seed: 15 });
  stack = await startLocalStack({
    dynamoEndpoint: proxy.endpoint,
    template: inject('template'),
    tableName,
    stepFunctionsPort: await freePort(),
    residentIdKey: secret,
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
});

describe(`chaos: ${n} applications with ${faultRate * 100} % of DynamoDB calls failing`, () => {
  it('ends every application consistent: decisions once, executions ended, one grant per approved person', async () => {
    const started = Date.now();
    const taken: TakenApplication[] = [];
    // Eight at a time: concurrency without drowning a two-core machine.
    for (let from = 0; from < n; from += 8) {
      const batch = Array.from({ length: Math.min(8, n - from) }, (_, j) => from + j);
      taken.push(...(await Promise.all(batch.map((i) => patient.takeThrough(i, paths[i % paths.length] as Path)))));
    }
    proxy.rate = 0;

    // The reconciler heals what faults left behind (a lost release, a failed start); then every execution has ended.
    await eventually(
      'every execution to end',
      async () => {
        await stack.reconcileNow(0);
        await stack.engine.whenIdle();
        const running = stack.engine.listExecutions().filter((e) => e.status === 'RUNNING');
        if (process.env.CHAOS_DEBUG)
          for (const e of running) {
            const v = (await patient.as(actors.gexin01Staff).get(`/applications/${e.name.split('-g')[0]}`)).body;
            console.error(
              'DBG running',
              e.name,
              v.status,
              v.version,
              JSON.stringify(
                stack.engine
                  .listExecutions()
                  .filter((x) => x.name.startsWith(e.name.slice(0, 36)))
                  .map((x) => [x.name, x.status, x.error]),
              ),
            );
          }
        return running.length === 0;
      },
      240_000,
    );

    const client = new DynamoDBClient({ endpoint: inject('dynamoEndpoint') });
    for (const { id, path, idNumber } of taken) {
      const view = (await patient.as(actors.gexin01Staff).get(`/applications/${id}`)).body;
      const history = view.history.map((e: { action: string; stage: string }) => `${e.action}@${e.stage}`);
      expect(history, `${path} ${id}`).toEqual(expectedHistory[path]);
      const executions = stack.engine.listExecutions().filter((e) => e.name === id || e.name.startsWith(`${id}-g`));
      expect(
        executions.some((e) => e.status === 'SUCCEEDED'),
        `${id} has an execution that ended`,
      ).toBe(true);
      const { Items = [] } = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: toItem({ ':pk': keys.person(residentIdKey(idNumber, secret)) }),
          ConsistentRead: true,
        }),
      );
      const grants = Items.filter((item) => item.sk?.S?.startsWith('GRANT#'));
      expect(grants.length, `grants of ${path} ${id}`).toBe(
        path === 'approved' || path === 'returned-resubmitted' ? 1 : 0,
      );
    }
    client.destroy();
    console.info(
      `chaos: ${n} applications, ${proxy.calls} DynamoDB calls, injected ${JSON.stringify(proxy.injected)}, ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }, 1_800_000);
});
