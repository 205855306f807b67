/**
 * The product as a person starts it: `npm start` in a child process, tokens from
 * `npm run token`, plain HTTP. Then Ctrl-C, start again, and the waiting application is decided.
 * A webhook receiver on loopback hears every move, across the restart, verified with the
 * `standardwebhooks` package.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../local/dynamodb-local.js';
import { repositoryRoot } from '../../local/runtime.js';
import type { ApiAnswer } from '../support/api-client.js';
import { contractBody } from '../support/fixtures.js';
import { eventually, startWebhookReceiver, type ReceivedWebhook } from '../support/webhook-receiver.js';

const dataDir = mkdtempSync(join(tmpdir(), 'subsidy-e2e-'));
let server: ChildProcess | undefined;
afterAll(() => {
  if (server && groupAlive(server)) process.kill(-(server.pid as number), 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

async function npmStart(port: number): Promise<ChildProcess> {
  const child = spawn('npm', ['start'], {
    cwd: repositoryRoot,
    env: { ...process.env, PORT: String(port), SUBSIDY_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so that stopping it signals npm and everything under it, as Ctrl-C does.
    detached: true,
  });
  let output = '';
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`npm start did not come up:\n${output}`)), 90_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('are running at')) {
        clearTimeout(timer);
        ready();
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => fail(new Error(`npm start exited with ${code}:\n${output}`)));
  });
  return child;
}

/** Ctrl-C: SIGINT to the whole process group; resolves once every process in it has ended. */
async function stop(child: ChildProcess): Promise<void> {
  const group = -(child.pid as number);
  process.kill(group, 'SIGINT');
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      process.kill(group, 0);
    } catch {
      return;
    }
    if (Date.now() > deadline) throw new Error('npm start did not stop within 30 s of Ctrl-C');
    await new Promise((wait) => setTimeout(wait, 100));
  }
}

function groupAlive(child: ChildProcess): boolean {
  try {
    process.kill(-(child.pid as number), 0);
    return true;
  } catch {
    return false;
  }
}

function token(role: string, unit: string): string {
  const run = spawnSync('npm', ['run', '-s', 'token', '--', '--role', role, '--unit', unit], { cwd: repositoryRoot, encoding: 'utf8' });
  expect(run.status).toBe(0);
  return run.stdout.trim().split('\n').at(-1) as string;
}

describe('npm start, as a person uses it', () => {
  it('takes an application from intake to city approval across a restart', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const staff = token('community-staff', 'community:gexin-02');
    const street = token('street-approver', 'street:gexin');
    const city = token('city-approver', 'city:shijiazhuang');
    const call = async (method: string, path: string, bearer?: string, body?: unknown): Promise<ApiAnswer> => {
      const response = await fetch(base + path, {
        method,
        headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, headers: response.headers, body: await response.json() };
    };

    const receiver = await startWebhookReceiver();
    const messages = () => [...new Map(receiver.received.map((m): [string, ReceivedWebhook] => [m.headers['webhook-id'] ?? '', m])).values()];

    server = await npmStart(port);
    expect(await call('GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect((await call('POST', '/applications', undefined, contractBody('post-subsidy'))).status).toBe(401);

    const submitted = await call('POST', '/applications', staff, contractBody('post-subsidy'));
    expect(submitted).toMatchObject({ status: 201, body: { status: 'in_review', stage: 'street', version: 1 } });
    expect(JSON.stringify(submitted.body)).not.toContain('130105197003010115');
    const id = submitted.body.id as string;
    const endpoint = await call('POST', '/webhook-endpoints', staff, {
      url: receiver.url,
      events: ['application.submitted', 'application.advanced', 'application.approved'],
      applicationId: id,
    });
    expect(endpoint).toMatchObject({ status: 201, body: { status: 'active', secret: expect.stringMatching(/^whsec_/) } });
    expect(await call('POST', `/applications/${id}/decisions`, street, { decision: 'approve', expectedVersion: 1 })).toMatchObject({
      status: 200,
      body: { stage: 'city', version: 2 },
    });

    await eventually('two webhooks before the restart', () => messages().length >= 2);

    await stop(server);
    server = await npmStart(port);

    expect(await call('POST', `/applications/${id}/decisions`, city, { decision: 'approve', expectedVersion: 2 })).toMatchObject({
      status: 200,
      body: { status: 'approved', version: 3 },
    });
    const shown = await call('GET', `/applications/${id}`, staff);
    expect(shown.body.history.map((e: { action: string; actor: { role: string } }) => `${e.action} by ${e.actor.role}`)).toEqual([
      'submitted by community-staff',
      'approved by street-approver',
      'approved by city-approver',
    ]);
    await eventually('the third webhook, after the restart', () => messages().length >= 3);
    const verifier = new Webhook(endpoint.body.secret as string);
    const payloads = messages().map((m) => verifier.verify(m.body, m.headers) as { type: string; data: { version: number } });
    expect(payloads.map((p) => `${p.type} v${p.data.version}`)).toEqual(['application.submitted v1', 'application.advanced v2', 'application.approved v3']);
    await receiver.close();

    await stop(server);
    expect(groupAlive(server)).toBe(false);
    server = undefined;
  }, 240_000);
});
