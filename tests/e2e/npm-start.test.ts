/**
 * The product as a person starts it: `npm start` in a child process, tokens from
 * `npm run token`, plain HTTP. Then Ctrl-C, start again, and the waiting application is decided.
 * A webhook receiver on loopback hears every move, across the restart, verified with the
 * `standardwebhooks` package. The resident-ID test goes on with the restarted product (a start
 * costs a fresh seed and synthesis), then stops it and reads everything it kept.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../local/dynamodb-local.js';
import { repositoryRoot } from '../../local/runtime.js';
import { eventually } from '../../tools/support/eventually.js';
import { asPerson, contractBody } from '../../tools/support/fixtures.js';
import type { ApiAnswer } from '../support/api-client.js';
import { groupAlive, signalGroup } from '../support/process-group.js';
import { type ReceivedWebhook, startWebhookReceiver } from '../support/webhook-receiver.js';

const dataDir = mkdtempSync(join(tmpdir(), 'subsidy-e2e-'));
let server: ChildProcess | undefined;
/** The one port both tests' `npm start` listen on (tokens name it). */
let port: number | undefined;
const portOnce = async () => (port ??= await freePort());
/** Everything the servers printed, stdout and stderr, for the whole run. */
let serverOutput = '';
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
    const timer = setTimeout(() => fail(new Error(`npm start did not come up:\n${output}`)), 240_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      serverOutput += chunk.toString();
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
const stop = (child: ChildProcess) => signalGroup(child, 'SIGINT');

/** `npm run token` for the npm start on `port`: its last line is the token. */
function token(args: string[], port: number): { token: string; output: string } {
  const run = spawnSync('npm', ['run', '-s', 'token', '--', ...args], {
    cwd: repositoryRoot,
    encoding: 'utf8',
    env: { ...process.env, PORT: String(port), SUBSIDY_DATA_DIR: dataDir },
  });
  expect(run.status, run.stderr).toBe(0);
  return { token: run.stdout.trim().split('\n').at(-1) as string, output: run.stdout + run.stderr };
}
const demoToken = (sub: string, port: number) => token(['--sub', sub], port).token;

describe('npm start, as a person uses it', () => {
  it('takes an application from intake to city approval across a restart', async () => {
    const port = await portOnce();
    const base = `http://127.0.0.1:${port}`;
    // Demo people's tokens work before npm start runs: the signing key is made in the data directory.
    const staff = demoToken('staff-gexin-02', port);
    const street = demoToken('approver-gexin', port);
    const city = demoToken('approver-city', port);
    const call = async (method: string, path: string, bearer?: string, body?: unknown): Promise<ApiAnswer> => {
      const response = await fetch(base + path, {
        method,
        headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, headers: response.headers, body: await response.json() };
    };

    const receiver = await startWebhookReceiver();
    const messages = () => [
      ...new Map(receiver.received.map((m): [string, ReceivedWebhook] => [m.headers['webhook-id'] ?? '', m])).values(),
    ];

    server = await npmStart(port);
    expect(await call('GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect((await call('POST', '/applications', undefined, contractBody('post-subsidy'))).status).toBe(401);

    const submitted = await call('POST', '/applications', staff, contractBody('post-subsidy'));
    expect(submitted).toMatchObject({ status: 201, body: { status: 'in_review', stage: 'street', version: 1 } });
    expect(JSON.stringify(submitted.body)).not.toContain('130105197003010115');
    const id = submitted.body.id as string;
    // A made-up person: the token command gives them the assignment in the local directory, and says so.
    const madeUp = token(['--role', 'street-approver', '--unit', 'street:gexin', '--sub', 'e2e-made-up'], port);
    expect(madeUp.output).toContain('local staff directory: e2e-made-up now holds street-approver at street:gexin');
    expect((await call('GET', `/applications/${id}`, madeUp.token)).status).toBe(200);
    // Another street's approver: the same 404 as an id that does not exist.
    expect((await call('GET', `/applications/${id}`, demoToken('approver-jianbei', port))).status).toBe(404);
    const endpoint = await call('POST', '/webhook-endpoints', staff, {
      url: receiver.url,
      events: ['application.submitted', 'application.advanced', 'application.approved'],
      applicationId: id,
    });
    expect(endpoint).toMatchObject({
      status: 201,
      body: { status: 'active', secret: expect.stringMatching(/^whsec_/) },
    });
    expect(
      await call('POST', `/applications/${id}/decisions`, street, { decision: 'approve', expectedVersion: 1 }),
    ).toMatchObject({
      status: 200,
      body: { stage: 'city', version: 2 },
    });

    // Ctrl-C while the second webhook is being sent: the stop lets that attempt finish and records
    // it, so it is not sent again and the third is not held behind it after the restart.
    let answerSecond = () => {};
    receiver.holdAnswer = (n) => (n === 1 ? new Promise<void>((answer) => (answerSecond = answer)) : undefined);
    await eventually('two webhooks before the restart', () => messages().length >= 2);
    const stopped = stop(server);
    await new Promise((wait) => setTimeout(wait, 500));
    answerSecond();
    await stopped;
    server = await npmStart(port);

    expect(
      await call('POST', `/applications/${id}/decisions`, city, { decision: 'approve', expectedVersion: 2 }),
    ).toMatchObject({
      status: 200,
      body: { status: 'approved', version: 3 },
    });
    const shown = await call('GET', `/applications/${id}`, staff);
    expect(
      shown.body.history.map((e: { action: string; actor: { role: string } }) => `${e.action} by ${e.actor.role}`),
    ).toEqual(['submitted by community-staff', 'approved by street-approver', 'approved by city-approver']);
    await eventually('the third webhook, after the restart', () => messages().length >= 3);
    const verifier = new Webhook(endpoint.body.secret as string);
    const payloads = messages().map(
      (m) => verifier.verify(m.body, m.headers) as { type: string; data: { version: number } },
    );
    expect(payloads.map((p) => `${p.type} v${p.data.version}`)).toEqual([
      'application.submitted v1',
      'application.advanced v2',
      'application.approved v3',
    ]);
    expect(receiver.received).toHaveLength(3);
    await receiver.close();
    // Left running: the next test goes on with it, and stops it.
  }, 480_000);
});

/** Every file under `dir`, read as bytes: what DynamoDB Local keeps on disk. */
/**
 * Every file the product kept. The local data exchange's records (`exchange/`) are left out: they
 * stand in for other offices' registers, which hold people by their ID numbers; the product asks
 * them and keeps none of it.
 */
function filesUnder(dir: string): Buffer[] {
  const exchangeRecords = join(dir, 'exchange');
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.parentPath !== exchangeRecords)
    .map((entry) => readFileSync(join(entry.parentPath, entry.name)));
}

describe('resident ID numbers under npm start', () => {
  it('appear in clear in no response, no log line and no table item, through every outcome', async () => {
    const port = await portOnce();
    const base = `http://127.0.0.1:${port}`;
    const [gexin01, gexin02, jianbei01, gexin, jianbei, city] = [
      demoToken('staff-gexin-01', port),
      demoToken('staff-gexin-02', port),
      demoToken('staff-jianbei-01', port),
      demoToken('approver-gexin', port),
      demoToken('approver-jianbei', port),
      demoToken('approver-city', port),
    ];
    const responses: string[] = [];
    const call = async (method: string, path: string, bearer: string, body?: unknown): Promise<ApiAnswer> => {
      const response = await fetch(base + path, {
        method,
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      responses.push(JSON.stringify([...response.headers]), text);
      return { status: response.status, headers: response.headers, body: JSON.parse(text) };
    };
    const decide = (bearer: string, id: string, body: unknown) =>
      call('POST', `/applications/${id}/decisions`, bearer, body);
    // Another person than the first test's, whose post-subsidy was granted this month already.
    const postSubsidy = asPerson(contractBody('post-subsidy'), 4710);
    const publicWelfare = contractBody('public-welfare-post');
    const flexible = contractBody('flexible-employment');
    const microloan = contractBody('microloan-guarantee');
    const corrected = asPerson(flexible, 4711);
    const batched = asPerson(flexible, 4712);
    const badCheckDigit = `${String(flexible.applicant.idNumber).slice(0, 17)}${flexible.applicant.idNumber.endsWith('0') ? '1' : '0'}`;
    // The first test's applicant (the public-welfare one's too) is in the same data directory.
    const clearNumbers = [
      contractBody('post-subsidy'),
      postSubsidy,
      publicWelfare,
      flexible,
      microloan,
      corrected,
      batched,
    ].map((b) => String(b.applicant.idNumber));
    clearNumbers.push(badCheckDigit);

    // Run alone (-t), it starts its own.
    server ??= await npmStart(port);

    // Approved, and a grant recorded.
    const granted = (await call('POST', '/applications', gexin02, postSubsidy)).body.id as string;
    expect((await decide(gexin, granted, { decision: 'approve', expectedVersion: 1 })).status).toBe(200);
    expect((await decide(city, granted, { decision: 'approve', expectedVersion: 2 })).body).toMatchObject({
      status: 'approved',
    });
    // The same months again: refused by the ledger, then rejected as a duplicate.
    const duplicate = (await call('POST', '/applications', gexin02, postSubsidy)).body.id as string;
    expect((await decide(gexin, duplicate, { decision: 'approve', expectedVersion: 1 })).status).toBe(200);
    expect((await decide(city, duplicate, { decision: 'approve', expectedVersion: 2 })).status).toBe(409);
    expect(
      (await decide(city, duplicate, { decision: 'reject', expectedVersion: 2, reason: 'duplicate-application' }))
        .status,
    ).toBe(200);
    // A second active application for the same programme: 409 at intake; the first is withdrawn.
    const active = (await call('POST', '/applications', gexin02, publicWelfare)).body.id as string;
    expect((await call('POST', '/applications', gexin02, publicWelfare)).body).toMatchObject({
      status: 409,
      existingApplicationId: active,
    });
    expect((await call('POST', `/applications/${active}/withdraw`, gexin02, { expectedVersion: 1 })).status).toBe(200);
    // Returned, resubmitted under a corrected resident ID, then rejected.
    const returned = (await call('POST', '/applications', gexin01, flexible)).body.id as string;
    expect(
      (await decide(gexin, returned, { decision: 'return', expectedVersion: 1, comment: '身份证号有误' })).status,
    ).toBe(200);
    expect(
      (
        await call('POST', `/applications/${returned}/resubmit`, gexin01, {
          expectedVersion: 2,
          applicant: corrected.applicant,
        })
      ).status,
    ).toBe(200);
    expect(
      (await decide(gexin, returned, { decision: 'reject', expectedVersion: 3, reason: 'incomplete-documents' }))
        .status,
    ).toBe(200);
    // Ineligible at intake: a loan above the city's cap.
    const ineligible = await call('POST', '/applications', jianbei01, {
      ...microloan,
      details: { ...microloan.details, loanAmount: 40_000_000 },
    });
    expect(ineligible.body).toMatchObject({ status: 'rejected' });
    // A number with a wrong check digit: 422 naming the field.
    const invalid = await call('POST', '/applications', gexin01, {
      ...flexible,
      applicant: { ...flexible.applicant, idNumber: badCheckDigit },
    });
    expect(invalid.status).toBe(422);
    // Approved in a batch, then read back with its history.
    const inBatch = (await call('POST', '/applications', gexin01, batched)).body.id as string;
    expect((await decide(gexin, inBatch, { decision: 'approve', expectedVersion: 1 })).status).toBe(200);
    expect(
      (await call('POST', '/decisions/batch', city, { decisions: [{ applicationId: inBatch, expectedVersion: 2 }] }))
        .body,
    ).toMatchObject({ succeeded: 1 });
    for (const [id, bearer] of [
      [granted, gexin02],
      [returned, gexin01],
      [inBatch, gexin01],
      [ineligible.body.id, jianbei01],
    ] as const) {
      expect((await call('GET', `/applications/${id}`, bearer)).status).toBe(200);
    }
    expect((await call('GET', '/inbox', jianbei)).status).toBe(200);

    await stop(server);
    expect(groupAlive(server)).toBe(false);
    server = undefined;

    const onDisk = filesUnder(dataDir)
      .map((file) => file.toString('latin1'))
      .join('\n');
    const answered = responses.join('\n');
    // The checks below can fail: the masked numbers and the sealed copies are there to be seen.
    expect(onDisk).toContain('1301**************');
    expect(onDisk).toContain('kms1:');
    expect(answered).toContain('1301**************');
    expect(serverOutput.length).toBeGreaterThan(0);
    for (const clear of clearNumbers) {
      expect(answered, 'a response').not.toContain(clear);
      expect(serverOutput, 'the server output').not.toContain(clear);
      expect(onDisk, 'the table on disk').not.toContain(clear);
    }
  }, 480_000);
});
