/** A webhook receiver on loopback that records every request and answers as the test tells it. */
import { createServer, type IncomingHttpHeaders } from 'node:http';

export interface ReceivedWebhook {
  at: number;
  headers: Record<string, string>;
  body: string;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** The status to answer the n-th request (0-based); 204 unless set. */
  answer: (n: number) => number;
  /** What the n-th request waits for before it is answered; answered at once unless set. */
  holdAnswer: (n: number) => Promise<void> | undefined;
  close(): Promise<void>;
}

const flat = (headers: IncomingHttpHeaders) =>
  Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : (value ?? '')]),
  );

export async function startWebhookReceiver(path = '/hooks'): Promise<WebhookReceiver> {
  const receiver: WebhookReceiver = {
    url: '',
    received: [],
    answer: () => 204,
    holdAnswer: () => undefined,
    close: async () => undefined,
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const n = receiver.received.length;
      receiver.received.push({
        at: Date.now(),
        headers: flat(request.headers),
        body: Buffer.concat(chunks).toString('utf8'),
      });
      await receiver.holdAnswer(n);
      response.writeHead(receiver.answer(n), { 'content-type': 'text/plain' });
      response.end('ok');
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the receiver has no port');
  receiver.url = `http://127.0.0.1:${address.port}${path}`;
  receiver.close = () =>
    new Promise<void>((closed) => {
      server.close(() => closed());
      server.closeAllConnections();
    });
  return receiver;
}
