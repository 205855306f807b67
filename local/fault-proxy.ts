/**
 * A fault proxy in front of DynamoDB Local, on loopback: at a configurable rate it answers a call
 * with throttling (400 ProvisionedThroughputExceededException / ThrottlingException), a 500, or a
 * reset connection — before the call reaches the table, or after it was applied and only its
 * answer is lost, the case that tests idempotency — and it adds latency to others. The chaos test
 * (`tests/workflow/chaos.test.ts`, `npm run chaos`) runs the whole product through it.
 */
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export type FaultKind = 'throttle' | 'server-error' | 'reset-before' | 'reset-after' | 'latency';

export interface FaultProxy {
  endpoint: string;
  /** The share of calls answered with a fault (latency not counted), 0 to 1. */
  rate: number;
  readonly calls: number;
  readonly injected: Record<FaultKind, number>;
  close(): Promise<void>;
}

const failures: FaultKind[] = ['throttle', 'server-error', 'reset-before', 'reset-after'];

export async function startFaultProxy(options: {
  target: string;
  rate?: number;
  /** Extra delay given to a tenth of the calls that pass (ms). */
  latencyMs?: number;
  /** Deterministic faults for a given seed (a simple LCG), so a failing run can be repeated. */
  seed?: number;
}): Promise<FaultProxy> {
  const target = new URL(options.target);
  let state = (options.seed ?? Date.now()) >>> 0;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const injected: Record<FaultKind, number> = {
    throttle: 0,
    'server-error': 0,
    'reset-before': 0,
    'reset-after': 0,
    latency: 0,
  };
  const sockets = new Set<Socket>();
  const proxy = {
    endpoint: '',
    rate: options.rate ?? 0,
    calls: 0,
    injected,
    close: async () => {},
  };

  const forward = (
    body: Buffer,
    incoming: IncomingMessage,
    answer: (status: number, headers: object, data: Buffer) => void,
  ) =>
    new Promise<void>((done, failed) => {
      const outgoing = request(
        {
          host: target.hostname,
          port: target.port,
          method: incoming.method,
          path: incoming.url,
          headers: incoming.headers,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            answer(response.statusCode ?? 502, response.headers, Buffer.concat(chunks));
            done();
          });
          response.on('error', failed);
        },
      );
      outgoing.on('error', failed);
      outgoing.end(body);
    });

  const serve = async (incoming: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    proxy.calls++;
    const fault = random() < proxy.rate ? failures[Math.floor(random() * failures.length)] : undefined;
    const send = (status: number, headers: object, data: Buffer) => {
      if (!response.headersSent) response.writeHead(status, { ...headers, 'content-length': data.length });
      response.end(data);
    };
    const error = (status: number, type: string) =>
      send(
        status,
        { 'content-type': 'application/x-amz-json-1.0' },
        Buffer.from(JSON.stringify({ __type: type, message: 'injected by the fault proxy' })),
      );
    if (fault) injected[fault]++;
    switch (fault) {
      case 'throttle':
        return random() < 0.5
          ? error(400, 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException')
          : error(400, 'com.amazonaws.dynamodb.v20120810#ThrottlingException');
      case 'server-error':
        return error(500, 'com.amazonaws.dynamodb.v20120810#InternalServerError');
      case 'reset-before':
        incoming.socket.destroy();
        return;
      case 'reset-after':
        // Applied by the table, its answer lost.
        await forward(body, incoming, () => incoming.socket.destroy());
        return;
    }
    if (options.latencyMs && random() < 0.1) {
      injected.latency++;
      await new Promise((wait) => setTimeout(wait, options.latencyMs));
    }
    await forward(body, incoming, send);
  };

  const server: Server = createServer((incoming, response) => {
    serve(incoming, response).catch(() => incoming.socket.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the fault proxy has no port');
  proxy.endpoint = `http://127.0.0.1:${address.port}`;
  proxy.close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((closed) => server.close(() => closed()));
  };
  return proxy;
}
