/**
 * Webhook endpoints and deliveries on DynamoDB Local: deliveries made from the table's real
 * stream, idempotent when records are replayed; the delivery log the worker keeps; order per
 * endpoint; 410 and five days of failures disabling an endpoint; pause, resume and replay.
 */

import { DescribeTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import type { ActorResolution } from '../../functions/administration/http/actor-resolver.js';
import { policyRepository } from '../../functions/administration/store/policies.js';
import { applicationRepository } from '../../functions/applications/store/applications.js';
import type { HistoryEvent } from '../../functions/kernel/domain/application-events.js';
import { policyInForce } from '../../functions/kernel/domain/policies/index.js';
import type { CityPolicy } from '../../functions/kernel/domain/policy.js';
import { keys, type TableContext, toItem } from '../../functions/kernel/store/table.js';
import { encryptSecret, newWebhookSecret } from '../../functions/webhooks/domain/signing.js';
import { webhookEventTypes } from '../../functions/webhooks/domain/webhook-events.js';
import type { WebhookEndpoint } from '../../functions/webhooks/domain/webhook-records.js';
import { deliveryWorker, signingSecrets } from '../../functions/webhooks/events/deliver.js';
import type { NotifyDependencies } from '../../functions/webhooks/events/dependencies.js';
import { recordDeliveries } from '../../functions/webhooks/events/outbox.js';
import type { SendResult, WebhookRequest } from '../../functions/webhooks/events/sender.js';
import { makeStreamConsumer } from '../../functions/webhooks/events/stream-consumer.js';
import { makeDeleteWebhookEndpoint } from '../../functions/webhooks/http/delete-webhook-endpoint.js';
import type { EndpointDependencies } from '../../functions/webhooks/http/endpoints.js';
import { makeListWebhookEndpoints } from '../../functions/webhooks/http/list-webhook-endpoints.js';
import { makeRegisterWebhookEndpoint } from '../../functions/webhooks/http/register-webhook-endpoint.js';
import { endpointIdForKey } from '../../functions/webhooks/http/registration.js';
import { makeReplayWebhookDelivery } from '../../functions/webhooks/http/replay-webhook-delivery.js';
import { makeResumeWebhookEndpoint } from '../../functions/webhooks/http/resume-webhook-endpoint.js';
import { makeRotateWebhookSecret } from '../../functions/webhooks/http/rotate-webhook-secret.js';
import { type WebhookRepository, webhookRepository } from '../../functions/webhooks/store/webhooks.js';
import { actors, takenIn } from '../../tools/support/fixtures.js';
import { actorFromTestClaims, httpEvent, lambdaContext, parsed } from '../../tools/support/http-events.js';
import { freshTable } from '../support/dynamo.js';

const secretKey = 'k'.repeat(40);
let table: TableContext;
let webhooks: WebhookRepository;
let clock: number;
let sent: WebhookRequest[];
/** Per receiver URL, the statuses it answers in turn (204 when they run out). */
let answers: Record<string, number[]>;
let counter = 0;

beforeAll(async () => {
  table = await freshTable({ stream: true });
  webhooks = webhookRepository(table);
});
beforeEach(() => {
  clock = Date.parse('2026-11-28T03:00:00.000Z');
  sent = [];
  answers = {};
});

const now = () => new Date(clock);
const advance = (ms: number) => (clock += ms);

/** Receivers that answer each request with the next status in `answers` for their URL. */
async function send(request: WebhookRequest): Promise<SendResult> {
  sent.push(request);
  const statusCode = answers[request.url]?.shift() ?? 204;
  return { statusCode, durationMs: 3, ...(statusCode >= 300 ? { error: `HTTP ${statusCode}` } : {}) };
}

/** What was sent to one endpoint: the table's due index is shared by every test here. */
const sentTo = (hook: WebhookEndpoint) => sent.filter((r) => r.url === hook.url);

const deps = (): NotifyDependencies => ({
  webhooks,
  send,
  retrySchedule: [5, 300, 1800],
  secretKey,
  now,
  random: () => 0.5,
});

async function endpoint(fields: Partial<WebhookEndpoint> = {}): Promise<WebhookEndpoint> {
  const n = ++counter;
  const created: WebhookEndpoint = {
    id: `ep_${n.toString(16).padStart(24, '0')}`,
    applicationId: `hook-app-${n}`,
    url: `https://hooks.example.com/${n}`,
    events: [...webhookEventTypes],
    status: 'active',
    secrets: [{ sealed: encryptSecret(secretKey, newWebhookSecret()) }],
    createdAt: now().toISOString(),
    createdBy: actors.gexin01Staff.sub,
    updatedAt: now().toISOString(),
    ...fields,
  };
  await webhooks.createEndpoint(created, 5);
  return created;
}

function historyEvent(seq: number, fields: Partial<HistoryEvent> = {}): HistoryEvent {
  return {
    seq,
    at: now().toISOString(),
    action: seq === 1 ? 'submitted' : 'approved',
    stage: seq === 1 ? 'community' : 'street',
    actor: actors.gexin01Staff,
    status: 'in_review',
    stageAfter: seq === 1 ? 'street' : 'city',
    version: seq,
    prevHash: 'p',
    hash: `h${seq}`,
    ...fields,
  };
}

const eventItem = (applicationId: string, event: HistoryEvent) => ({
  ...keys.applicationEvent(applicationId, event.seq),
  type: 'event',
  applicationId,
  ...event,
});

async function streamRecords(): Promise<_Record[]> {
  const { Table } = await table.client.send(new DescribeTableCommand({ TableName: table.tableName }));
  const streams = new DynamoDBStreamsClient({
    endpoint: inject('dynamoEndpoint'),
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: Table?.LatestStreamArn }));
  const records: _Record[] = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    let { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: Table?.LatestStreamArn,
        ShardId: shard.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    for (let page = 0; ShardIterator && page < 20; page++) {
      const answer = await streams.send(new GetRecordsCommand({ ShardIterator }));
      if (!answer.Records?.length) break;
      records.push(...answer.Records);
      ShardIterator = answer.NextShardIterator;
    }
  }
  streams.destroy();
  return records;
}

describe('deliveries from the stream', () => {
  it('makes one delivery per endpoint and event, and nothing more when the records are replayed', async () => {
    const hook = await endpoint();
    const onlyApproved = await endpoint({ applicationId: hook.applicationId, events: ['application.approved'] });
    for (const event of [
      historyEvent(1),
      historyEvent(2),
      historyEvent(3, { action: 'reminded', actor: { sub: 'system', role: 'system', unit: 'system' } }),
    ]) {
      await table.client.send(
        new PutItemCommand({ TableName: table.tableName, Item: toItem(eventItem(hook.applicationId, event)) }),
      );
    }
    const records = (await streamRecords()).filter(
      (r) =>
        r.eventName === 'INSERT' &&
        r.dynamodb?.Keys?.pk?.S === `APP#${hook.applicationId}` &&
        r.dynamodb.Keys.sk?.S?.startsWith('EVT#'),
    );
    let endpointReads = 0;
    const counted = {
      ...webhooks,
      endpointsOf: (id: string) => {
        endpointReads++;
        return webhooks.endpointsOf(id);
      },
    };
    const consume = makeStreamConsumer({ webhooks: counted, now });
    const batch = { Records: records } as unknown as DynamoDBStreamEvent; // The SDK's stream records are Lambda's, typed apart.

    expect(records).toHaveLength(3);
    expect(await consume(batch)).toEqual({ created: 2 });
    expect(endpointReads).toBe(1); // one application in the batch: its endpoints read once
    expect(await consume(batch)).toEqual({ created: 0 });

    const log = await webhooks.deliveriesOf(hook.id);
    expect(log.map((d) => [d.id, d.eventType, d.status])).toEqual([
      [`msg_${hook.id.slice(3)}_1`, 'application.submitted', 'pending'],
      [`msg_${hook.id.slice(3)}_2`, 'application.advanced', 'pending'],
    ]);
    expect(JSON.parse(log[0]!.body)).toEqual({
      type: 'application.submitted',
      timestamp: now().toISOString(),
      data: { applicationId: hook.applicationId, status: 'in_review', stage: 'street', version: 1 },
    });
    expect(await webhooks.deliveriesOf(onlyApproved.id)).toEqual([]);
  });

  it("stores a paused endpoint's deliveries as held, off the due index", async () => {
    const hook = await endpoint({ status: 'paused' });

    await recordDeliveries({ webhooks, now }, { applicationId: hook.applicationId, event: historyEvent(1) });

    expect((await webhooks.deliveriesOf(hook.id)).map((d) => d.status)).toEqual(['held']);
    expect((await webhooks.due(now().toISOString(), 100)).filter((d) => d.endpointId === hook.id)).toEqual([]);
  });
});

describe('the delivery worker', () => {
  async function pendingDeliveries(hook: WebhookEndpoint, count: number) {
    for (let seq = 1; seq <= count; seq++)
      await recordDeliveries({ webhooks, now }, { applicationId: hook.applicationId, event: historyEvent(seq) });
  }
  const sweepUntilQuiet = async () => {
    for (let i = 0; i < 10 && (await deliveryWorker(deps()).sweep()) > 0; i++);
  };

  it('logs every attempt with its status, duration, error and next retry, and retries on the schedule', async () => {
    const hook = await endpoint();
    await pendingDeliveries(hook, 1);
    answers[hook.url] = [500, 503];

    await deliveryWorker(deps()).sweep();
    advance(4_000);
    await deliveryWorker(deps()).sweep(); // not due yet: 5 s ± 10 %
    advance(1_600);
    await deliveryWorker(deps()).sweep();
    advance(300_000 * 1.1);
    await deliveryWorker(deps()).sweep();

    const [delivery] = await webhooks.deliveriesOf(hook.id);
    expect(sentTo(hook)).toHaveLength(3);
    expect(new Set(sentTo(hook).map((r) => r.headers['webhook-id']))).toEqual(new Set([delivery?.id]));
    expect(delivery?.status).toBe('delivered');
    expect(delivery?.attempts).toEqual([
      {
        at: '2026-11-28T03:00:00.000Z',
        statusCode: 500,
        durationMs: 3,
        error: 'HTTP 500',
        nextRetryAt: '2026-11-28T03:00:05.000Z',
      },
      {
        at: '2026-11-28T03:00:05.600Z',
        statusCode: 503,
        durationMs: 3,
        error: 'HTTP 503',
        nextRetryAt: '2026-11-28T03:05:05.600Z',
      },
      { at: '2026-11-28T03:05:35.600Z', statusCode: 204, durationMs: 3 },
    ]);
    expect(
      (await webhooks.due(new Date(clock + 1e9).toISOString(), 100)).filter((d) => d.endpointId === hook.id),
    ).toEqual([]);
  });

  it('puts a retry due within 15 minutes on the queue with its delay, and leaves a longer one to the sweep', async () => {
    const hook = await endpoint();
    await pendingDeliveries(hook, 1);
    answers[hook.url] = [500, 500];
    const queued: { deliveryId: string; delaySeconds: number }[] = [];
    const withQueue = () => ({
      ...deps(),
      retrySchedule: [600, 3600],
      queue: { enqueue: async (messages: typeof queued) => void queued.push(...messages) },
    });

    await deliveryWorker(withQueue()).sweep();
    advance(700_000);
    await deliveryWorker(withQueue()).sweep();

    const mine = queued.filter((m) => m.deliveryId.startsWith(`msg_${hook.id.slice(3)}`));
    expect(mine).toEqual([{ deliveryId: `msg_${hook.id.slice(3)}_1`, delaySeconds: 600 }]);
    expect((await webhooks.deliveriesOf(hook.id))[0]?.nextAttemptAt).toBe(new Date(clock + 3_600_000).toISOString());
  });

  it('gives up on a delivery when the schedule is spent, and moves on to the next event', async () => {
    const hook = await endpoint();
    await pendingDeliveries(hook, 2);
    answers[hook.url] = [500, 500, 500, 500];

    for (const wait of [0, 6_000, 400_000, 2_000_000]) {
      advance(wait);
      await deliveryWorker(deps()).sweep();
    }
    await sweepUntilQuiet();

    const log = await webhooks.deliveriesOf(hook.id);
    expect(log.map((d) => d.status)).toEqual(['failed', 'delivered']);
    expect(log[0]).toMatchObject({ reason: 'no answer with 2xx after 4 attempts' });
    expect(log[0]?.attempts.at(-1)?.nextRetryAt).toBeUndefined();
  });

  it("keeps an endpoint's events in order: the next waits while the earlier is retried", async () => {
    const hook = await endpoint();
    await pendingDeliveries(hook, 3);
    answers[hook.url] = [500];

    await sweepUntilQuiet();
    expect(sentTo(hook).map((r) => JSON.parse(r.body).data.version)).toEqual([1]);

    advance(6_000);
    await sweepUntilQuiet();
    expect(sentTo(hook).map((r) => JSON.parse(r.body).data.version)).toEqual([1, 1, 2, 3]);
  });

  it('disables the endpoint when the receiver answers 410 Gone, and holds what comes after', async () => {
    const hook = await endpoint();
    await pendingDeliveries(hook, 2);
    answers[hook.url] = [410];

    await sweepUntilQuiet();

    expect(await webhooks.getEndpoint(hook.id)).toMatchObject({
      status: 'disabled',
      disabledReason: 'the receiver answered 410 Gone',
    });
    expect((await webhooks.deliveriesOf(hook.id)).map((d) => d.status)).toEqual(['failed', 'held']);
    expect(sentTo(hook)).toHaveLength(1);
  });

  it('sends nothing more after a 410, even to a worker that looks in between the two writes that settle it', async () => {
    const hook = await endpoint();
    await pendingDeliveries(hook, 2);
    answers[hook.url] = [410];
    const [first, second] = await webhooks.deliveriesOf(hook.id);
    let lookedInBetween = false;
    // The worker settling the first delivery disables the endpoint and ends the delivery: two
    // writes. Another worker attempts the second delivery right after the first of them.
    const between = async () => {
      if (lookedInBetween) return;
      lookedInBetween = true;
      await deliveryWorker(deps()).deliverById(second?.id as string);
    };
    const watched: WebhookRepository = {
      ...webhooks,
      async updateEndpoint(endpoint, changes, ...rest) {
        const updated = await webhooks.updateEndpoint(endpoint, changes, ...rest);
        if (changes.status === 'disabled') await between();
        return updated;
      },
      async saveDelivery(prior, next) {
        const saved = await webhooks.saveDelivery(prior, next);
        if (next.id === first?.id && next.status === 'failed') await between();
        return saved;
      },
    };

    await deliveryWorker({ ...deps(), webhooks: watched }).deliverById(first?.id as string);
    await sweepUntilQuiet();

    expect(lookedInBetween).toBe(true);
    expect(sentTo(hook)).toHaveLength(1);
    expect((await webhooks.deliveriesOf(hook.id)).map((d) => d.status)).toEqual(['failed', 'held']);
  });

  it('disables an endpoint after five days of failures and says why', async () => {
    const hook = await endpoint();
    await pendingDeliveries(hook, 1);
    answers[hook.url] = Array(10).fill(500);
    const deps5 = () => ({ ...deps(), retrySchedule: Array(10).fill(86_400) });

    for (let day = 0; day <= 5; day++) {
      await deliveryWorker(deps5()).sweep();
      advance(86_400 * 1.1 * 1000);
    }

    const disabled = await webhooks.getEndpoint(hook.id);
    expect(disabled).toMatchObject({
      status: 'disabled',
      disabledReason: expect.stringMatching(/^every delivery failed for 5 days, since 2026-11-28T03:00:00.000Z/),
    });
    expect((await webhooks.deliveriesOf(hook.id))[0]).toMatchObject({ status: 'held' });
  });

  it('sends what was held once the endpoint resumes, and replays a delivered message with the same id', async () => {
    const hook = await endpoint({ status: 'paused' });
    const application = {
      get: async () => ({
        application: {
          id: hook.applicationId,
          communityId: 'community:gexin-01',
          unitPath: ['city:shijiazhuang', 'district:xinhua', 'street:gexin', 'community:gexin-01'],
        },
      }),
    };
    const api = {
      resolveActor: actorFromTestClaims,
      applications: application as unknown as ReturnType<typeof applicationRepository>, // Only `get` is read by these routes.
      webhooks,
      policies: policyRepository(table),
      secretKey: async () => secretKey,
      targetPolicy: { allowLoopbackHttp: false },
      now,
      newEndpointId: () => 'unused',
    } satisfies EndpointDependencies & ActorResolution;
    await pendingDeliveries(hook, 2);

    const resumed = await makeResumeWebhookEndpoint(api)(
      httpEvent({ actor: actors.gexin01Staff, pathParameters: { id: hook.id } }),
      lambdaContext,
    );
    await sweepUntilQuiet();

    expect(parsed(resumed)).toMatchObject({ status: 'active' });
    expect(sentTo(hook).map((r) => JSON.parse(r.body).data.version)).toEqual([1, 2]);

    const [first] = await webhooks.deliveriesOf(hook.id);
    const refused = await makeReplayWebhookDelivery(api)(
      httpEvent({ actor: actors.gexinApprover, pathParameters: { id: first!.id } }),
      lambdaContext,
    );
    const replayed = await makeReplayWebhookDelivery(api)(
      httpEvent({ actor: actors.gexin01Staff, pathParameters: { id: first!.id } }),
      lambdaContext,
    );
    await sweepUntilQuiet();

    expect(refused.statusCode).toBe(403);
    expect(replayed.statusCode).toBe(202);
    expect(sentTo(hook).map((r) => r.headers['webhook-id'])).toEqual([
      first!.id,
      `msg_${hook.id.slice(3)}_2`,
      first!.id,
    ]);
    expect((await webhooks.getDelivery(first!.id))?.attempts).toHaveLength(2);
  });
});

describe('the endpoint routes', () => {
  async function apiDeps(): Promise<EndpointDependencies & ActorResolution> {
    return {
      resolveActor: actorFromTestClaims,
      applications: applicationRepository(table),
      webhooks,
      policies: policyRepository(table),
      secretKey: async () => secretKey,
      targetPolicy: { allowLoopbackHttp: false },
      now,
      newEndpointId: () => `ep_${(++counter).toString(16).padStart(24, 'a')}`,
    };
  }
  /** A real application, taken in (its first history event is the submission). */
  async function storedApplication(): Promise<string> {
    const id = `routes-app-${++counter}`;
    const at = now().toISOString();
    const transition = takenIn(id, policyInForce('city:shijiazhuang', at.slice(0, 10)) as CityPolicy, at);
    await applicationRepository(table).create(transition);
    return id;
  }

  it("takes at most the city policy's 5 endpoints per application, at once too: 409 naming the limit; a delete frees a place", async () => {
    const api = await apiDeps();
    const applicationId = await storedApplication();
    const register = (n: number) =>
      makeRegisterWebhookEndpoint(api)(
        httpEvent({
          actor: actors.gexin01Staff,
          body: { url: `https://hooks.example.com/cap-${n}`, events: ['application.submitted'], applicationId },
        }),
        lambdaContext,
      );

    // Eight at once: the count's condition, not a read before the write, keeps it at five.
    const answers = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map(register));

    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses).toEqual([201, 201, 201, 201, 201, 409, 409, 409]);
    const refused = answers.find((a) => a.statusCode === 409);
    expect(String(refused?.headers?.['content-type'])).toContain('application/problem+json');
    expect(parsed(refused as { body?: string })).toMatchObject({
      limit: 5,
      policyField: 'webhookEndpointsPerApplication',
    });
    expect(await webhooks.endpointsOf(applicationId)).toHaveLength(5);

    const [first] = await webhooks.endpointsOf(applicationId);
    await makeDeleteWebhookEndpoint(api)(
      httpEvent({ actor: actors.gexin01Staff, pathParameters: { id: first!.id } }),
      lambdaContext,
    );
    // A repeated delete frees no second place.
    await makeDeleteWebhookEndpoint(api)(
      httpEvent({ actor: actors.gexin01Staff, pathParameters: { id: first!.id } }),
      lambdaContext,
    );
    expect([(await register(9)).statusCode, (await register(10)).statusCode]).toEqual([201, 409]);
  });

  it("registers an endpoint for the community's staff only, shows the secret once and sends the history so far", async () => {
    const api = await apiDeps();
    const applicationId = await storedApplication();
    const body = { url: 'https://hooks.example.com/routes', events: ['application.submitted'], applicationId };

    const forbidden = await makeRegisterWebhookEndpoint(api)(
      httpEvent({ actor: actors.gexinApprover, body }),
      lambdaContext,
    );
    const insecure = await makeRegisterWebhookEndpoint(api)(
      httpEvent({ actor: actors.gexin01Staff, body: { ...body, url: 'http://hooks.example.com/' } }),
      lambdaContext,
    );
    const metadata = await makeRegisterWebhookEndpoint(api)(
      httpEvent({ actor: actors.gexin01Staff, body: { ...body, url: 'https://169.254.169.254/' } }),
      lambdaContext,
    );
    const created = await makeRegisterWebhookEndpoint(api)(
      httpEvent({ actor: actors.gexin01Staff, body }),
      lambdaContext,
    );
    const listed = await makeListWebhookEndpoints(api)(
      httpEvent({ actor: actors.gexinApprover, queryStringParameters: { applicationId } }),
      lambdaContext,
    );

    expect(forbidden.statusCode).toBe(403);
    expect([insecure.statusCode, metadata.statusCode]).toEqual([422, 422]);
    expect(parsed(metadata).errors).toEqual([{ field: 'url', message: '169.254.169.254 is not a public address' }]);
    expect(created.statusCode).toBe(201);
    const { id, secret } = parsed(created);
    expect(secret).toMatch(/^whsec_/);
    expect(parsed(listed).items).toEqual([expect.objectContaining({ id, status: 'active' })]);
    expect(JSON.stringify(parsed(listed))).not.toContain(secret.slice(6));
    expect((await webhooks.deliveriesOf(id)).map((d) => d.eventType)).toEqual(['application.submitted']);
    const stored = await webhooks.getEndpoint(id);
    expect(JSON.stringify(stored)).not.toContain(secret.slice(6));
  });

  it('answers a repeat under the same Idempotency-Key with the endpoint it created and its secret, even one stopped before its answer', async () => {
    const api = await apiDeps();
    const applicationId = await storedApplication();
    const body = { url: 'https://hooks.example.com/again', events: ['application.submitted'], applicationId };
    const register = (actor: typeof actors.gexin01Staff, key: string, sent: Record<string, unknown> = body) =>
      makeRegisterWebhookEndpoint(api)(
        httpEvent({ actor, body: sent, headers: { 'idempotency-key': key } }),
        lambdaContext,
      );

    const first = await register(actors.gexin01Staff, 'hook-1');
    const again = await register(actors.gexin01Staff, 'hook-1');
    const otherBody = await register(actors.gexin01Staff, 'hook-1', {
      ...body,
      url: 'https://hooks.example.com/other',
    });
    // The first request stored the endpoint and stopped (a crash) before it answered or sent the history.
    const stoppedId = endpointIdForKey(actors.gexin01Staff, 'hook-2');
    const stoppedSecret = newWebhookSecret();
    await webhooks.createEndpoint(
      {
        id: stoppedId,
        applicationId,
        url: body.url,
        events: ['application.submitted'],
        status: 'active',
        secrets: [{ sealed: encryptSecret(secretKey, stoppedSecret) }],
        createdAt: now().toISOString(),
        createdBy: actors.gexin01Staff.sub,
        updatedAt: now().toISOString(),
      },
      5,
    );
    const afterStop = await register(actors.gexin01Staff, 'hook-2');

    expect([first.statusCode, again.statusCode]).toEqual([201, 201]);
    expect(parsed(again)).toEqual(parsed(first));
    expect(again.headers?.['idempotent-replayed']).toBe('true');
    expect(first.headers?.['idempotent-replayed']).toBeUndefined();
    expect(otherBody.statusCode).toBe(422);
    expect(parsed(otherBody).errors).toEqual([
      { field: 'Idempotency-Key', message: 'already used with a different body' },
    ]);
    expect(afterStop.statusCode).toBe(201);
    expect(parsed(afterStop)).toMatchObject({ id: stoppedId, secret: stoppedSecret });
    expect((await webhooks.deliveriesOf(stoppedId)).map((d) => d.eventType)).toEqual(['application.submitted']);
    expect((await webhooks.endpointsOf(applicationId)).map((e) => e.id).sort()).toEqual(
      [parsed(first).id, stoppedId].sort(),
    );
  });

  it('keeps an Idempotency-Key to its caller, and refuses it once its endpoint was deleted', async () => {
    const api = await apiDeps();
    const applicationId = await storedApplication();
    const body = { url: 'https://hooks.example.com/mine', events: ['application.submitted'], applicationId };
    const register = (actor: typeof actors.gexin01Staff) =>
      makeRegisterWebhookEndpoint(api)(
        httpEvent({ actor, body, headers: { 'idempotency-key': 'shared-key' } }),
        lambdaContext,
      );
    const colleague = { ...actors.gexin01Staff, sub: 'staff-gexin-01-colleague' };

    const mine = parsed(await register(actors.gexin01Staff));
    const theirs = parsed(await register(colleague));
    const refusedElsewhere = await register(actors.jianbei01Staff);
    await makeDeleteWebhookEndpoint(api)(
      httpEvent({ actor: actors.gexin01Staff, pathParameters: { id: mine.id } }),
      lambdaContext,
    );
    const afterDelete = await register(actors.gexin01Staff);

    expect(theirs.id).not.toBe(mine.id);
    expect(theirs.secret).not.toBe(mine.secret);
    // Another community's staff are answered as for an application that does not exist.
    expect(refusedElsewhere.statusCode).toBe(404);
    expect(afterDelete.statusCode).toBe(409);
    expect(parsed(afterDelete).detail).toContain('deleted');
  });

  it('rotates the secret: for 24 hours both sign, then only the new one', async () => {
    const api = await apiDeps();
    const applicationId = await storedApplication();
    const created = parsed(
      await makeRegisterWebhookEndpoint(api)(
        httpEvent({
          actor: actors.gexin01Staff,
          body: { url: 'https://hooks.example.com/rotate', events: ['application.advanced'], applicationId },
        }),
        lambdaContext,
      ),
    );

    const rotated = await makeRotateWebhookSecret(api)(
      httpEvent({ actor: actors.gexin01Staff, pathParameters: { id: created.id } }),
      lambdaContext,
    );
    const endpointNow = (await webhooks.getEndpoint(created.id))!;
    const later = new Date(clock + 24 * 3600 * 1000 + 1);

    expect(rotated.statusCode).toBe(200);
    expect(parsed(rotated).secret).not.toBe(created.secret);
    expect(signingSecrets(endpointNow, secretKey, now())).toEqual([parsed(rotated).secret, created.secret]);
    expect(signingSecrets(endpointNow, secretKey, later)).toEqual([parsed(rotated).secret]);
  });
});
