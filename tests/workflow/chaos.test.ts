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
import { type ApiAnswer, apiAs } from '../support/api-client.js';
import { testTableName } from '../support/dynamo.js';
import { eventually } from '../support/eventually.js';
import { actors, asPerson, contractBody } from '../support/fixtures.js';

const n = Number(process.env.CHAOS_N ?? 16);
const faultRate = Number(process.env.CHAOS_RATE ?? 0.1);
const tableName = testTableName('chaos');
const secret = 'c'.repeat(40);
let stack: LocalStack;
let proxy: FaultProxy;

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
  // Set up without faults; from here on a tenth of the calls fail.
  proxy.rate = faultRate;
}, 240_000);
afterAll(async () => {
  await stack?.stop();
  await proxy?.close();
});

type Actor = Parameters<typeof apiAs>[1];
const as = (actor: Actor, headers: Record<string, string> = {}) => apiAs(stack, actor, headers);

/** What a patient client does: retries a failed request; a 409 or 5xx whose change did land counts as done. */
async function until(
  attempt: () => Promise<ApiAnswer>,
  landed: () => Promise<boolean>,
  what: string,
): Promise<ApiAnswer | undefined> {
  for (let tries = 1; tries <= 40; tries++) {
    const answer = await attempt().catch(() => undefined);
    if (answer && answer.status < 300) return answer;
    if (answer && answer.status >= 400 && answer.status < 500 && answer.status !== 409 && answer.status !== 429)
      throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
    if (await landed().catch(() => false)) return undefined;
    await new Promise((backoff) => setTimeout(backoff, 50 * tries));
  }
  throw new Error(`${what}: still failing after 40 tries`);
}

async function versionOf(id: string): Promise<number> {
  for (;;) {
    const answer = await as(actors.gexin01Staff)
      .get(`/applications/${id}`)
      .catch(() => undefined);
    if (answer?.status === 200) return answer.body.version as number;
  }
}

async function act(id: string, actor: Actor, path: string, body: Record<string, unknown>, toVersion: number) {
  await until(
    () => as(actor).post(`/applications/${id}${path}`, body),
    async () => (await versionOf(id)) >= toVersion,
    `${path} of ${id} to version ${toVersion}`,
  );
}

const paths = ['approved', 'rejected', 'returned-resubmitted', 'withdrawn'] as const;
type Path = (typeof paths)[number];
const expectedHistory: Record<Path, string[]> = {
  approved: ['submitted@community', 'approved@street', 'approved@city'],
  rejected: ['submitted@community', 'rejected@street'],
  'returned-resubmitted': [
    'submitted@community',
    'approved@street',
    'returned@city',
    'resubmitted@community',
    'approved@city',
  ],
  withdrawn: ['submitted@community', 'withdrawn@street'],
};

async function takeThrough(i: number, path: Path) {
  const body = asPerson(contractBody('flexible-employment'), 5000 + i);
  const key = `chaos-${i}`;
  const submitted = await until(
    () => as(actors.gexin01Staff, { 'idempotency-key': key }).post('/applications', body),
    async () => false,
    `submit ${i}`,
  );
  const id = (submitted as ApiAnswer).body.id as string;
  if (path === 'withdrawn') {
    await act(id, actors.gexin01Staff, '/withdraw', { expectedVersion: 1 }, 2);
  } else if (path === 'rejected') {
    await act(
      id,
      actors.gexinApprover,
      '/decisions',
      { decision: 'reject', expectedVersion: 1, reason: 'false-information' },
      2,
    );
  } else {
    await act(id, actors.gexinApprover, '/decisions', { decision: 'approve', expectedVersion: 1 }, 2);
    if (path === 'returned-resubmitted') {
      await act(
        id,
        actors.cityApprover,
        '/decisions',
        { decision: 'return', expectedVersion: 2, comment: '请补充材料' },
        3,
      );
      await act(id, actors.gexin01Staff, '/resubmit', { expectedVersion: 3 }, 4);
      await act(id, actors.cityApprover, '/decisions', { decision: 'approve', expectedVersion: 4 }, 5);
    } else {
      await act(id, actors.cityApprover, '/decisions', { decision: 'approve', expectedVersion: 2 }, 3);
    }
  }
  return { id, path, idNumber: body.applicant.idNumber as string };
}

describe(`chaos: ${n} applications with ${faultRate * 100} % of DynamoDB calls failing`, () => {
  it('ends every application consistent: decisions once, executions ended, one grant per approved person', async () => {
    const started = Date.now();
    const taken: Awaited<ReturnType<typeof takeThrough>>[] = [];
    // Eight at a time: concurrency without drowning a two-core machine.
    for (let from = 0; from < n; from += 8) {
      const batch = Array.from({ length: Math.min(8, n - from) }, (_, j) => from + j);
      taken.push(...(await Promise.all(batch.map((i) => takeThrough(i, paths[i % paths.length] as Path)))));
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
            const v = (await as(actors.gexin01Staff).get(`/applications/${e.name.split('-g')[0]}`)).body;
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
      const view = (await as(actors.gexin01Staff).get(`/applications/${id}`)).body;
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
