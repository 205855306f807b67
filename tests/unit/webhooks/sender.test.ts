/**
 * The webhook sender on Node's own http/https client: what it sends, that every delivery goes
 * through the guarded lookup anew (no cached answer, no pooled socket), and that a receiver can
 * hold it neither with an endless answer nor with one that trickles in under an idle timeout.
 */
import type { LookupAddress } from 'node:dns';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { maxResponseBytes, webhookSender } from '../../../functions/webhooks/events/sender.js';
import type { Resolver } from '../../../functions/webhooks/events/ssrf.js';

const local = { allowLoopbackHttp: true };

interface Received {
  method?: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((closed) => server.close(closed));
  }
});

async function receiver(answer: (response: ServerResponse) => void = (response) => response.end('thanks')) {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ method: request.method, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      answer(response);
    });
  });
  servers.push(server);
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as { port: number };
  return { port, received };
}

/** A resolver that answers `addresses` for every name and counts how often it was asked. */
function countingResolver(addresses: string[]) {
  const asked: string[] = [];
  const resolve: Resolver = async (hostname) => {
    asked.push(hostname);
    return addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { resolve, asked };
}

describe('the webhook sender', () => {
  it('posts the body with its headers and reports a 2xx without an error', async () => {
    const { port, received } = await receiver();
    const body = JSON.stringify({ type: 'application.approved', data: { applicationId: 'app-1', note: '已批准' } });

    const result = await webhookSender(local)({
      url: `http://127.0.0.1:${port}/hooks`,
      headers: { 'webhook-id': 'msg_1', 'webhook-signature': 'v1,abc' },
      body,
    });

    expect(result).toMatchObject({ statusCode: 200, responseBody: 'thanks' });
    expect(result.error).toBeUndefined();
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ method: 'POST', body });
    expect(received[0]?.headers).toMatchObject({
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'webhook-id': 'msg_1',
      'webhook-signature': 'v1,abc',
    });
  });

  it('asks the guarded lookup again for every delivery: no cached answer, no reused connection', async () => {
    const { port, received } = await receiver();
    const resolver = countingResolver(['127.0.0.1']);
    const send = webhookSender(local, { resolver: resolver.resolve });

    const first = await send({ url: `http://localhost:${port}/hooks`, headers: {}, body: '{}' });
    const second = await send({ url: `http://localhost:${port}/hooks`, headers: {}, body: '{}' });

    expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
    expect(resolver.asked).toEqual(['localhost', 'localhost']);
    expect(received).toHaveLength(2);
  });

  it('refuses a local-mode name whose answer holds any address off loopback, and connects to none', async () => {
    const { port, received } = await receiver();
    const resolver = countingResolver(['127.0.0.1', '10.0.0.1']);

    const result = await webhookSender(local, { resolver: resolver.resolve })({
      url: `http://localhost:${port}/hooks`,
      headers: {},
      body: '{}',
    });

    expect(result.statusCode).toBeUndefined();
    expect(result.error).toMatch(/10\.0\.0\.1, which is not a loopback address/);
    expect(received).toHaveLength(0);
  });

  it('refuses https to a name that resolves to loopback, every time it is asked', async () => {
    const { port, received } = await receiver();
    const resolver = countingResolver(['127.0.0.1']);
    const send = webhookSender({ allowLoopbackHttp: false }, { resolver: resolver.resolve });

    for (let n = 0; n < 2; n++) {
      const result = await send({ url: `https://hooks.example.com:${port}/hooks`, headers: {}, body: '{}' });
      expect(result.error).toMatch(/127\.0\.0\.1, which is not a public address/);
    }
    expect(resolver.asked).toHaveLength(2);
    expect(received).toHaveLength(0);
  });

  it('reports a name that does not resolve as a failed attempt', async () => {
    const failing: Resolver = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.example'), { code: 'ENOTFOUND' });
    };

    const result = await webhookSender(
      { allowLoopbackHttp: false },
      { resolver: failing },
    )({ url: 'https://nowhere.example/hooks', headers: {}, body: '{}' });

    expect(result.statusCode).toBeUndefined();
    expect(result.error).toMatch(/ENOTFOUND/);
  });

  it('stops reading an endless answer at 64 KB, long before the deadline', async () => {
    const { port } = await receiver((response) => {
      response.writeHead(200);
      const chunk = Buffer.alloc(16 * 1024, 'y');
      // Writes for as long as the connection stays open: only the sender's limit ends it.
      const more = () => {
        while (!response.destroyed && response.write(chunk));
        if (!response.destroyed) response.once('drain', more);
      };
      more();
    });
    const started = Date.now();

    const result = await webhookSender(local, { timeoutMs: 30_000 })({
      url: `http://127.0.0.1:${port}/hooks`,
      headers: {},
      body: '{}',
    });

    expect(result).toMatchObject({ statusCode: 200 });
    expect(result.error).toBeUndefined();
    expect(result.responseBody).toBe('y'.repeat(1024));
    // Cut off by the size limit, well before the deadline for the whole exchange.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(maxResponseBytes).toBe(64 * 1024);
  });

  it('cuts off an answer that trickles in under any idle timeout at the deadline for the whole exchange', async () => {
    const { port } = await receiver((response) => {
      response.writeHead(200);
      const drip = setInterval(() => (response.destroyed ? clearInterval(drip) : response.write('.')), 20);
      response.once('close', () => clearInterval(drip));
    });
    const started = Date.now();

    const result = await webhookSender(local, { timeoutMs: 1_000 })({
      url: `http://127.0.0.1:${port}/hooks`,
      headers: {},
      body: '{}',
    });

    expect(result.error).toBe('timed out after 1000 ms');
    // Ended by the deadline, not by the drip (which never stops by itself).
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
