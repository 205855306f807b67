/**
 * SSRF safety: every range an attacker could point a webhook at, as IPv4, IPv6 and IPv4-mapped
 * IPv6; URLs refused at registration; addresses refused inside the connection's own lookup (so
 * a name that rebinds between two lookups is judged by the answer actually connected to); and
 * redirects never followed.
 */

import type { LookupAddress } from 'node:dns';
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { webhookSender } from '../../../functions/webhooks/events/sender.js';
import {
  checkWebhookUrl,
  guardedLookup,
  isPublicAddress,
  type Resolver,
} from '../../../functions/webhooks/events/ssrf.js';

const refusedAddresses = {
  'loopback v4': '127.0.0.1',
  'loopback v4, elsewhere in 127/8': '127.10.0.5',
  'private 10/8': '10.1.2.3',
  'private 172.16/12': '172.31.255.1',
  'private 192.168/16': '192.168.0.10',
  'link-local 169.254/16': '169.254.10.10',
  'cloud metadata v4': '169.254.169.254',
  'CGNAT 100.64/10': '100.100.100.100',
  'multicast v4': '239.1.1.1',
  'unspecified v4': '0.0.0.0',
  'this network 0/8': '0.1.2.3',
  'reserved 240/4': '240.0.0.1',
  broadcast: '255.255.255.255',
  'documentation 192.0.2/24': '192.0.2.7',
  'loopback v6': '::1',
  'unspecified v6': '::',
  'link-local v6': 'fe80::1',
  'unique local v6': 'fc00::1',
  'cloud metadata v6': 'fd00:ec2::254',
  'multicast v6': 'ff02::1',
  'IPv4-mapped loopback': '::ffff:127.0.0.1',
  'IPv4-mapped private': '::ffff:10.0.0.1',
  'IPv4-mapped metadata': '::ffff:169.254.169.254',
  'IPv4-mapped CGNAT': '::ffff:100.64.0.1',
  'IPv4-mapped, hex form': '::ffff:7f00:1',
  'IPv4-compatible metadata': '::a9fe:a9fe',
  'IPv4-compatible loopback': '::7f00:1',
  'IPv4-compatible private, dotted': '::10.0.0.1',
  'IPv4-translated loopback (RFC 6145)': '::ffff:0:7f00:1',
  'NAT64 metadata': '64:ff9b::a9fe:a9fe',
  'NAT64 private, dotted': '64:ff9b::192.168.1.1',
  'NAT64 local-use prefix': '64:ff9b:1::808:808',
  '6to4 of loopback': '2002:7f00:1::',
  '6to4 of metadata': '2002:a9fe:a9fe::1',
  'Teredo with a private client': '2001:0:808:808::f5ff:fffe',
  'Teredo with a private server': '2001:0:a00:1::f7f7:f7f7',
};

const publicAddresses = [
  '93.184.215.14',
  '8.8.8.8',
  '2606:4700:4700::1111',
  '::ffff:8.8.8.8',
  // Forms that carry a public IPv4 address go where it goes.
  '64:ff9b::808:808',
  '2002:808:808::1',
];

const fixedResolver =
  (answers: Record<string, string[]>): Resolver =>
  async (hostname) =>
    (answers[hostname] ?? []).map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 }));

function lookupOnce(lookup: ReturnType<typeof guardedLookup>, hostname: string): Promise<string> {
  return new Promise((answer, fail) =>
    lookup(hostname, {}, (error, address) => (error ? fail(error) : answer(String(address)))),
  );
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((closed) => server.close(closed))));
});

async function loopbackServer(
  handle: Parameters<typeof createServer>[1],
): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const server = createServer((request, response) => {
    hits++;
    handle?.(request, response);
  });
  servers.push(server);
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}/hook`, hits: () => hits };
}

describe('which addresses a webhook may reach', () => {
  it.each(Object.entries(refusedAddresses))('refuses %s (%s)', (_, address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(publicAddresses)('accepts the public address %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe('registration', () => {
  const production = { allowLoopbackHttp: false };
  const local = { allowLoopbackHttp: true };

  it('accepts an https URL to a name or a public address', () => {
    expect(checkWebhookUrl('https://hooks.example.com/subsidy', production).href).toBe(
      'https://hooks.example.com/subsidy',
    );
    expect(() => checkWebhookUrl('https://93.184.215.14/x', production)).not.toThrow();
  });

  it.each([
    ['http://hooks.example.com/', production, /only https/],
    ['http://127.0.0.1:3001/', production, /only https/],
    ['ftp://hooks.example.com/', production, /only https/],
    ['https://user:secret@hooks.example.com/', production, /credentials/],
    ['https://10.0.0.1/', production, /not a public address/],
    ['https://169.254.169.254/latest/meta-data/', production, /not a public address/],
    ['https://[::1]/', production, /not a public address/],
    ['https://[::ffff:127.0.0.1]/', production, /not a public address/],
    ['https://[fd00:ec2::254]/', production, /not a public address/],
    ['https://localhost/', production, /not a public host/],
    ['http://10.0.0.1/', local, /only https/],
    ['http://hooks.example.com/', local, /only https/],
    ['not a url', production, /not a URL/],
  ] as const)('refuses %s', (url, policy, message) => {
    expect(() => checkWebhookUrl(url, policy)).toThrow(message);
  });

  it('accepts plain http to loopback only in local mode', () => {
    expect(checkWebhookUrl('http://127.0.0.1:3001/hooks', local).port).toBe('3001');
    expect(checkWebhookUrl('http://localhost:3001/hooks', local).hostname).toBe('localhost');
    expect(checkWebhookUrl('http://[::1]:3001/hooks', local).port).toBe('3001');
  });
});

describe('the lookup inside each connection', () => {
  it.each(Object.entries(refusedAddresses))('refuses a name that resolves to %s', async (_, address) => {
    const lookup = guardedLookup(fixedResolver({ 'hooks.example.com': [address] }), isPublicAddress);

    await expect(lookupOnce(lookup, 'hooks.example.com')).rejects.toThrow(/not a public address/);
  });

  it('refuses the whole answer when any address in it is private', async () => {
    const lookup = guardedLookup(fixedResolver({ 'mixed.example.com': ['8.8.8.8', '10.0.0.1'] }), isPublicAddress);

    await expect(lookupOnce(lookup, 'mixed.example.com')).rejects.toThrow(/10\.0\.0\.1/);
  });

  it('judges a rebinding name by each answer it gives: public first, private the next time', async () => {
    const answers = ['93.184.215.14', '127.0.0.1'];
    let calls = 0;
    const rebinding: Resolver = async () => [{ address: answers[calls++] as string, family: 4 }];
    const lookup = guardedLookup(rebinding, isPublicAddress);

    expect(await lookupOnce(lookup, 'rebind.example.com')).toBe('93.184.215.14');
    await expect(lookupOnce(lookup, 'rebind.example.com')).rejects.toThrow(/127\.0\.0\.1/);
  });

  it('resolves at connect time: a rebinding name never gets a request through to loopback', async () => {
    const receiver = await loopbackServer((_, response) => response.end('ok'));
    const port = new URL(receiver.url).port;
    let calls = 0;
    // What a pre-check would have seen (public), then what the connection gets (loopback).
    const rebinding: Resolver = async () => [{ address: calls++ === 0 ? '93.184.215.14' : '127.0.0.1', family: 4 }];
    const lookup = guardedLookup(rebinding, isPublicAddress);
    await lookupOnce(lookup, 'rebind.example.com');
    const send = webhookSender({ allowLoopbackHttp: false }, { resolver: rebinding, timeoutMs: 2_000 });

    const result = await send({ url: `https://rebind.example.com:${port}/hook`, headers: {}, body: '{}' });

    expect(result.error).toMatch(/127\.0\.0\.1, which is not a public address/);
    expect(calls).toBe(2);
    expect(receiver.hits()).toBe(0);
  });
});

describe('sending', () => {
  it('refuses a literal private address without connecting', async () => {
    const send = webhookSender({ allowLoopbackHttp: false });

    for (const url of ['https://10.0.0.1/hook', 'https://[::ffff:169.254.169.254]/hook', 'https://100.64.0.1/hook']) {
      const result = await send({ url, headers: {}, body: '{}' });
      expect(result.statusCode).toBeUndefined();
      expect(result.error, url).toMatch(/not a public address/);
    }
  });

  it('refuses plain http to loopback outside local mode', async () => {
    const receiver = await loopbackServer((_, response) => response.end('ok'));

    const result = await webhookSender({ allowLoopbackHttp: false })({ url: receiver.url, headers: {}, body: '{}' });

    expect(result.error).toMatch(/only https/);
    expect(receiver.hits()).toBe(0);
  });

  it('does not follow a redirect, even to where a private address waits', async () => {
    const target = await loopbackServer((_, response) => response.end('secret'));
    const redirecting = await loopbackServer((_, response) => {
      response.writeHead(302, { location: target.url });
      response.end();
    });

    const result = await webhookSender({ allowLoopbackHttp: true })({ url: redirecting.url, headers: {}, body: '{}' });

    expect(result).toMatchObject({ statusCode: 302, error: expect.stringMatching(/not followed/) });
    expect(redirecting.hits()).toBe(1);
    expect(target.hits()).toBe(0);
  });

  it('gives up on a receiver that does not answer in time', async () => {
    const silent = await loopbackServer(() => undefined);

    const result = await webhookSender(
      { allowLoopbackHttp: true },
      { timeoutMs: 300 },
    )({ url: silent.url, headers: {}, body: '{}' });

    expect(result.statusCode).toBeUndefined();
    expect(result.error).toMatch(/timed out after 300 ms|timeout/i);
  });

  it('reads at most 64 KB of an answer', async () => {
    const chatty = await loopbackServer((_, response) => {
      response.writeHead(500);
      response.end('x'.repeat(1024 * 1024));
    });

    const result = await webhookSender({ allowLoopbackHttp: true })({ url: chatty.url, headers: {}, body: '{}' });

    expect(result).toMatchObject({ statusCode: 500, error: 'HTTP 500' });
    expect(result.responseBody?.length).toBeLessThanOrEqual(1024);
  });
});
