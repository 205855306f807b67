/**
 * Webhooks through the whole product on one machine (the runtime `npm start` runs, started
 * in-process): a real receiver on loopback hears an application's life, signed so that the
 * `standardwebhooks` package verifies it; and a receiver that fails three times is retried on
 * the schedule, shortened here by configuration (WEBHOOK_RETRY_SCHEDULE_SECONDS), not by a
 * different code path.
 */
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { webhookEventTypes } from '../../functions/webhooks/domain/webhook-events.js';
import { type LocalStack, startLocalStack } from '../../local/runtime.js';
import { eventually } from '../../tools/support/eventually.js';
import { actors, asPerson, contractBody } from '../../tools/support/fixtures.js';
import { apiAs } from '../support/api-client.js';
import { testTableName } from '../support/dynamo.js';
import { type ReceivedWebhook, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

let stack: LocalStack;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  stack = await startLocalStack({
    dynamoEndpoint: inject('dynamoEndpoint'),
    template: inject('template'),
    tableName: testTableName('webhooks-e2e'),
    residentIdKey: 'r'.repeat(40),
    webhookSecretKey: 'k'.repeat(40),
    webhookIntervalMs: 100,
    webhookRetrySchedule: '1,1,1',
  });
});
afterAll(async () => {
  await stack?.stop();
  await receiver?.close();
});

const as = (actor: Parameters<typeof apiAs>[1]) => apiAs(stack, actor);

async function register(applicationId: string, events: readonly string[], path: string) {
  const answer = await as(actors.gexin01Staff).post('/webhook-endpoints', {
    url: receiver.url.replace('/hooks', path),
    events,
    applicationId,
  });
  expect(answer.status).toBe(201);
  expect(answer.body.secret).toMatch(/^whsec_/);
  return answer.body as { id: string; secret: string };
}

const uniqueById = (messages: ReceivedWebhook[]) => [
  ...new Map(messages.map((m) => [m.headers['webhook-id'], m])).values(),
];

describe('webhooks, end to end', () => {
  it('tells a receiver of every move of an application once, in order, each signature valid', async () => {
    const submitted = await as(actors.gexin01Staff).post('/applications', contractBody('flexible-employment'));
    expect(submitted.status).toBe(201);
    const id = submitted.body.id as string;
    const { id: endpointId, secret } = await register(id, webhookEventTypes, '/walk');

    expect(
      (
        await as(actors.gexinApprover).post(`/applications/${id}/decisions`, {
          decision: 'approve',
          expectedVersion: 1,
        })
      ).status,
    ).toBe(200);
    await stack.engine.whenIdle();
    expect(
      (
        await as(actors.cityApprover).post(`/applications/${id}/decisions`, {
          decision: 'return',
          expectedVersion: 2,
          comment: '请补充缴费凭证',
        })
      ).status,
    ).toBe(200);
    await stack.engine.whenIdle();
    expect((await as(actors.gexin01Staff).post(`/applications/${id}/resubmit`, { expectedVersion: 3 })).status).toBe(
      200,
    );
    await stack.engine.whenIdle();
    expect(
      (await as(actors.cityApprover).post(`/applications/${id}/decisions`, { decision: 'approve', expectedVersion: 4 }))
        .status,
    ).toBe(200);

    const walk = () =>
      receiver.received.filter((m) => m.headers['webhook-id'] && JSON.parse(m.body).data.applicationId === id);
    const messages = await eventually(
      'five distinct messages',
      () => uniqueById(walk()).length >= 5 && uniqueById(walk()),
    );
    const verifier = new Webhook(secret);
    const payloads = messages.map(
      (m) => verifier.verify(m.body, m.headers) as { type: string; data: Record<string, unknown> },
    );

    expect(payloads.map((p) => p.type)).toEqual([
      'application.submitted',
      'application.advanced',
      'application.returned',
      'application.resubmitted',
      'application.approved',
    ]);
    expect(payloads.map((p) => p.data.version)).toEqual([1, 2, 3, 4, 5]);
    expect(payloads[2]?.data).toMatchObject({
      applicationId: id,
      status: 'returned',
      stage: 'community',
      comment: '请补充缴费凭证',
    });
    expect(payloads[4]?.data).toMatchObject({ status: 'approved', stage: null });
    expect(messages.map((m) => m.body).join()).not.toContain('130105198005120240');
    expect(() =>
      new Webhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw').verify(messages[0]!.body, messages[0]!.headers),
    ).toThrow();

    const log = await as(actors.gexin01Staff).get(`/webhook-endpoints/${endpointId}/deliveries`);
    expect(log.body.items.map((d: { status: string }) => d.status)).toEqual(Array(5).fill('delivered'));

    expect(await as(actors.gexin01Staff).post(`/webhook-endpoints/${endpointId}/pause`)).toMatchObject({
      status: 200,
      body: { status: 'paused' },
    });
    expect((await as(actors.gexinApprover).delete(`/webhook-endpoints/${endpointId}`)).status).toBe(403);
    expect((await as(actors.gexin01Staff).delete(`/webhook-endpoints/${endpointId}`)).status).toBe(204);
    expect((await as(actors.gexin01Staff).get(`/webhook-endpoints?applicationId=${id}`)).body).toEqual({ items: [] });
  });

  it('retries a failing receiver on the configured schedule and logs every attempt', async () => {
    const submitted = await as(actors.gexin01Staff).post(
      '/applications',
      asPerson(contractBody('flexible-employment'), 1),
    );
    const id = submitted.body.id as string;
    const failing = receiver.received.length;
    // Fails the first three requests to this path, then succeeds.
    const seen: number[] = [];
    receiver.answer = (n) => {
      const message = receiver.received[n];
      if (!message || !JSON.parse(message.body).data || JSON.parse(message.body).data.applicationId !== id) return 204;
      seen.push(n);
      return seen.length <= 3 ? 500 : 204;
    };
    const { id: endpointId, secret } = await register(id, ['application.submitted'], '/flaky');

    const hits = await eventually('four attempts', () => {
      const mine = receiver.received.slice(failing).filter((m) => JSON.parse(m.body).data?.applicationId === id);
      return mine.length >= 4 && mine;
    });
    expect(new Set(hits.map((m) => m.headers['webhook-id'])).size).toBe(1);
    for (const hit of hits)
      expect(new Webhook(secret).verify(hit.body, hit.headers)).toMatchObject({ type: 'application.submitted' });
    // Schedule "1,1,1" with ±10 % jitter: at least 0.9 s between attempts.
    for (let i = 1; i < hits.length; i++) expect(hits[i]!.at - hits[i - 1]!.at).toBeGreaterThanOrEqual(900);

    const log = await eventually('the delivery to be logged as delivered', async () => {
      const answer = await as(actors.gexin01Staff).get(`/webhook-endpoints/${endpointId}/deliveries`);
      return answer.body.items[0]?.status === 'delivered' && answer.body.items[0];
    });
    expect(log.attempts.map((a: { statusCode: number }) => a.statusCode)).toEqual([500, 500, 500, 204]);
    for (const attempt of log.attempts.slice(0, 3)) {
      expect(attempt).toMatchObject({
        error: 'HTTP 500',
        nextRetryAt: expect.any(String),
        durationMs: expect.any(Number),
      });
      const wait = Date.parse(attempt.nextRetryAt) - Date.parse(attempt.at);
      expect(wait).toBeGreaterThanOrEqual(900);
      // The wait counts from the attempt's end; `at` is its start, so signing and sending (however
      // slow this machine) come on top of the 1.1 s at most. The bound tells 1 s from the default
      // schedule's minutes; the schedule's jitter itself is the unit test's.
      expect(wait).toBeLessThan(1_100 + attempt.durationMs + 10_000);
    }
    expect(log.attempts[3].nextRetryAt).toBeUndefined();
  });
});
