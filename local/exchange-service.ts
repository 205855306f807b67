/**
 * The provincial data exchange on one machine: a real HTTP server on its own loopback port that
 * checks every signed request exactly as the platform does (the same `verifyRequest`: access key,
 * clock-skew window, signature, nonce), answers `POST /v1/query/{source}` from the records kept in
 * `records.json` under the data directory, and takes new records at `POST /v1/records` (what
 * `npm run exchange -- put FILE.json` sends). It can be stopped and started again on the same port
 * ("with the exchange stopped"), and told to misbehave (hang, answer garbage or 503) so the
 * adapter's timeouts, parsing and circuit can be tried against it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { shanghaiDate } from '../functions/kernel/domain/dates.js';
import { entityQuerySchema, personQuerySchema } from '../functions/verification/domain/exchange-queries.js';
import { recordsPath, sourceOfPath } from '../functions/verification/domain/exchange-wire.js';
import { NonceWindow, verifyRequest } from '../functions/verification/domain/request-signing.js';
import {
  answerFrom,
  emptyRecordSet,
  loadRecordSet,
  type MergeCounts,
  mergeRecords,
  type RecordSet,
  type Records,
  recordsSchema,
  saveRecordSet,
} from './exchange-records.js';
import { seededRecordSet } from './exchange-seed.js';

export type Misbehaviour = 'hang' | 'garbage' | 'server-error';

export interface LocalExchangeOptions {
  /** Records are kept in `records.json` here (seeded on first start); without it they live in memory. */
  dir?: string;
  /** The access keys it accepts, with their secrets. */
  credentials: Readonly<Record<string, string>>;
  /** 0 (a free port) by default; a restart keeps the port it got. */
  port?: number;
  /** Start with no records instead of the demo's. */
  empty?: boolean;
  now?: () => number;
}

export interface LocalExchange {
  endpoint: string;
  readonly running: boolean;
  /** Closes the listener and every open connection: questions then fail to connect. */
  stop(): Promise<void>;
  /** Listens again, on the same port. */
  start(): Promise<void>;
  /** Hang (never answer), answer garbage or 503 to every question; undefined to behave again. */
  misbehave(mode: Misbehaviour | undefined): void;
  /** Merges records as `POST /v1/records` does (for tests and tools in the same process). */
  put(records: Records): MergeCounts;
  readonly records: RecordSet;
}

const bodyLimitBytes = 1024 * 1024;

async function bodyOf(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > bodyLimitBytes) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const fieldErrors = (issues: readonly { path: readonly PropertyKey[]; message: string }[]) =>
  issues.slice(0, 20).map((issue) => ({ field: issue.path.map(String).join('.') || '(body)', message: issue.message }));

export async function startLocalExchange(options: LocalExchangeOptions): Promise<LocalExchange> {
  const now = options.now ?? Date.now;
  const today = () => shanghaiDate(new Date(now()));
  const file = options.dir && join(options.dir, 'records.json');
  let records = (file && loadRecordSet(file)) || (options.empty ? emptyRecordSet(today()) : seededRecordSet(today()));
  if (file) saveRecordSet(file, records);
  const nonces = new NonceWindow();
  const secretOf = (accessKeyId: string) =>
    Object.hasOwn(options.credentials, accessKeyId) ? options.credentials[accessKeyId] : undefined;
  let misbehaviour: Misbehaviour | undefined;
  const hanging = new Set<ServerResponse>();

  const put = (incoming: Records) => {
    const merged = mergeRecords(records, incoming, today());
    records = merged.set;
    if (file) saveRecordSet(file, records);
    return merged.counts;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const answer = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    const path = new URL(request.url ?? '/', 'http://exchange').pathname;
    if (request.method !== 'POST') return answer(405, { error: 'method-not-allowed' });
    const source = sourceOfPath(path);
    if (!source && path !== recordsPath) return answer(404, { error: 'not-found' });
    const body = await bodyOf(request);
    if (body === undefined) return answer(413, { error: 'too-large' });
    const checked = verifyRequest({ method: request.method, path, body }, request.headers, secretOf, nonces, now());
    if (!checked.ok) return answer(401, { error: 'refused', refusal: checked.refusal });
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return answer(400, { error: 'invalid-request', errors: [{ field: '(body)', message: 'is not JSON' }] });
    }
    if (!source) {
      const parsed = z.safeParse(recordsSchema, json);
      if (!parsed.success) return answer(400, { error: 'invalid-request', errors: fieldErrors(parsed.error.issues) });
      return answer(200, { added: put(parsed.data), asOf: records.changedOn });
    }
    if (misbehaviour === 'hang') {
      hanging.add(response);
      return;
    }
    if (misbehaviour === 'server-error') return answer(503, { error: 'unavailable' });
    if (misbehaviour === 'garbage') return answer(200, { asOf: 'soon', rows: [{ '?': 1 }] });
    const parsed = z.safeParse(source === 'entities' ? entityQuerySchema : personQuerySchema, json);
    if (!parsed.success) return answer(400, { error: 'invalid-request', errors: fieldErrors(parsed.error.issues) });
    return answer(200, answerFrom(records, source, parsed.data));
  };

  const sockets = new Set<Socket>();
  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: 'internal' }));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  let port = options.port ?? 0;
  let running = false;
  const listen = () =>
    new Promise<void>((ready, failed) => {
      server.once('error', failed);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', failed);
        port = (server.address() as { port: number }).port;
        running = true;
        ready();
      });
    });
  await listen();

  return {
    endpoint: `http://127.0.0.1:${port}`,
    get running() {
      return running;
    },
    get records() {
      return records;
    },
    async stop() {
      if (!running) return;
      running = false;
      const closed = new Promise<void>((done) => server.close(() => done()));
      for (const response of hanging) response.destroy();
      hanging.clear();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    async start() {
      if (!running) await listen();
    },
    misbehave(mode) {
      misbehaviour = mode;
      if (mode !== 'hang') {
        for (const response of hanging) response.destroy();
        hanging.clear();
      }
    },
    put,
  };
}
