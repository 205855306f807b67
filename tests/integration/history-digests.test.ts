/**
 * The daily signed digests against an attacker who can write the table AND use the history's MAC
 * key (so every event MAC and head MAC they forge verifies, and the read path finds nothing): once
 * a day's digest is written, deleting, rewriting, reordering or inserting an event of that day is
 * named by the digest check and by `npm run verify-history`; a digest itself changed does not verify.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DeleteItemCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { decide } from '../../functions/applications/domain/decisions.js';
import { type ApplicationRepository, applicationRepository } from '../../functions/applications/store/applications.js';
import { makeDailyDigest } from '../../functions/integrity/scheduled/daily-digest.js';
import { directoryDigestStore, kmsDigestSigner } from '../../functions/integrity/store/digest-archive.js';
import { checkDigests, writeDigest } from '../../functions/integrity/store/history-digests.js';
import { historyMacFromEnvironment } from '../../functions/kernel/adapters/history-mac.js';
import { chainEvent, genesisHash } from '../../functions/kernel/domain/history-chain.js';
import { eventMacMessage, headMacMessage, headOf } from '../../functions/kernel/domain/history-check.js';
import { policyInForce } from '../../functions/kernel/domain/policies/index.js';
import type { CityPolicy } from '../../functions/kernel/domain/policy.js';
import { fromItem, keys, type TableContext, toItem } from '../../functions/kernel/store/table.js';
import { actors, takenIn } from '../../tools/support/fixtures.js';
import { freshTable } from '../support/dynamo.js';
import { unchainedEvent } from '../support/history.js';

const policy = policyInForce('city:shijiazhuang', '2026-11-28') as CityPolicy;
const day = '2026-11-28';
// 10:00 and 10:30 in Shanghai on `day`.
const at = '2026-11-28T02:00:00.000Z';
const later = '2026-11-28T02:30:00.000Z';
let table: TableContext;
let applications: ApplicationRepository;
let dir: string;
const mac = historyMacFromEnvironment();
const digests = () => ({
  signer: kmsDigestSigner(new KMSClient({}), String(process.env.DIGEST_SIGNING_KMS_KEY_ID)),
  store: directoryDigestStore(dir),
});

/** An application with two events of `day`: submitted, returned. */
async function twoEvents(id: string) {
  const submitted = takenIn(id, policy, at);
  await applications.create(submitted);
  const returned = decide(
    submitted.application,
    { decision: 'return', expectedVersion: 1, comment: '请补充' },
    actors.gexinApprover,
    policy,
    later,
  );
  await applications.commit({ application: submitted.application }, returned);
}

const ids = ['untouched', 'deleted', 'rewritten', 'reordered', 'inserted'];

beforeAll(async () => {
  table = await freshTable();
  applications = applicationRepository(table);
  dir = mkdtempSync(join(tmpdir(), 'digests-test-'));
  for (const id of ids) await twoEvents(id);
  expect(await writeDigest(table, digests(), day, new Date('2026-11-28T16:10:00Z'))).toEqual({
    written: true,
    count: ids.length * 2,
  });
});

const eventKey = (id: string, seq: number) => toItem(keys.applicationEvent(id, seq));
const get = async (key: Record<string, unknown>) =>
  fromItem((await table.client.send(new GetItemCommand({ TableName: table.tableName, Key: key as never }))).Item!);
const put = (item: Record<string, unknown>) =>
  table.client.send(new PutItemCommand({ TableName: table.tableName, Item: toItem(item) }));
/** What the attacker with the MAC key's use does last: MAC the forged events and the head, so the read path passes. */
async function remac(id: string, events: Record<string, unknown>[]) {
  for (const event of events)
    await put({ ...event, mac: await mac.generate(eventMacMessage(id, Number(event.seq), String(event.hash))) });
  const application: Record<string, unknown> = await get(toItem(keys.application(id)));
  const last = events.at(-1) as Record<string, unknown>;
  const head = headOf({
    ...(application as unknown as Parameters<typeof headOf>[0]),
    eventSeq: Number(last.seq),
    lastEventHash: String(last.hash),
    version: Number(last.version),
    status: String(last.status),
    stage: (last.stageAfter as string | null) ?? null,
  });
  await put({ ...application, ...head, headMac: await mac.generate(headMacMessage(id, head)) });
}

const tampering: Record<string, () => Promise<void>> = {
  deleted: async () => {
    await table.client.send(new DeleteItemCommand({ TableName: table.tableName, Key: eventKey('deleted', 2) }));
    await remac('deleted', [await get(eventKey('deleted', 1))]);
  },
  rewritten: async () => {
    const [first, second] = [await get(eventKey('rewritten', 1)), await get(eventKey('rewritten', 2))];
    const forged = chainEvent({ ...unchainedEvent(second), comment: '材料齐全' }, String(first.hash));
    await remac('rewritten', [first, { ...second, ...forged }]);
  },
  reordered: async () => {
    const [first, second] = [await get(eventKey('reordered', 1)), await get(eventKey('reordered', 2))];
    // Swapped in place, each re-chained and re-MACed as if it had always stood there.
    const one = chainEvent({ ...unchainedEvent(second), seq: 1 }, genesisHash);
    const two = chainEvent({ ...unchainedEvent(first), seq: 2 }, one.hash);
    await remac('reordered', [
      { ...first, ...one, seq: 1 },
      { ...second, ...two, seq: 2 },
    ]);
  },
  inserted: async () => {
    const second = await get(eventKey('inserted', 2));
    const forged = chainEvent(
      {
        ...unchainedEvent(second),
        seq: 3,
        action: 'resubmitted',
        status: 'in_review',
        stageAfter: 'street',
        version: 3,
      },
      String(second.hash),
    );
    await remac('inserted', [second, { ...second, ...keys.applicationEvent('inserted', 3), ...forged }]);
  },
};

describe('the daily signed digest', () => {
  it('names nothing while nobody changed the table', async () => {
    const check = await checkDigests(table, digests(), { from: day, to: day });
    expect(check).toEqual({ days: [day], findings: new Map(), brokenDigests: [] });
  });

  it('names each application changed after its digest, even when every MAC was forged to verify', async () => {
    for (const how of Object.values(tampering)) await how();
    // The read path is passed by an attacker who can use the MAC key (what the digest is for); a
    // reorder still shows on read (each event's version says where it stood), the digest names it too.
    for (const id of ['deleted', 'rewritten', 'inserted'])
      expect(await applications.verifiedHistory((await applications.get(id))!), id).toMatchObject({
        intact: true,
        findings: [],
      });

    const check = await checkDigests(table, digests(), { from: day, to: day });
    expect([...check.findings.keys()].sort()).toEqual(['deleted', 'inserted', 'reordered', 'rewritten']);
    expect(check.findings.get('deleted')).toEqual([`${day}: event 2 of the signed digest is gone`]);
    expect(check.findings.get('rewritten')).toEqual([`${day}: event 2 differs from the signed digest`]);
    expect(check.findings.get('inserted')).toEqual([`${day}: event 3 is not in the signed digest of its day`]);
    expect(check.brokenDigests).toEqual([]);

    const one = await checkDigests(table, digests(), { applicationId: 'untouched' });
    expect(one.findings.size).toBe(0);
  });

  it('npm run verify-history names them and exits 1', async () => {
    const { stdout, code } = await promisify(execFile)('npx', ['tsx', 'local/verify-history.ts', '--from', day], {
      env: {
        ...process.env,
        TABLE_NAME: table.tableName,
        AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoEndpoint'),
        DIGEST_DIR: dir,
      },
    }).then(
      (done) => ({ ...done, code: 0 }),
      (failed: { stdout: string; code: number }) => failed,
    );
    expect(code).toBe(1);
    for (const id of ['deleted', 'inserted', 'reordered', 'rewritten']) expect(stdout).toContain(`CHANGED ${id}`);
    expect(stdout).not.toContain('CHANGED untouched');
    expect(stdout).toContain('1 signed daily digests checked against the table');
  });

  it('does not verify once the digest itself is changed, and is never written over', async () => {
    const file = join(dir, `${day}.json`);
    expect(await writeDigest(table, digests(), day, new Date())).toMatchObject({ written: false });
    const digest = JSON.parse(readFileSync(file, 'utf8'));
    chmodSync(file, 0o644);
    writeFileSync(file, JSON.stringify({ ...digest, leaves: digest.leaves.slice(1) }));
    const check = await checkDigests(table, digests(), { from: day, to: day });
    expect(check.brokenDigests).toEqual([day]);
  });

  it('the daily job writes the days before that have none, once', async () => {
    const ownDir = mkdtempSync(join(tmpdir(), 'digests-job-'));
    const job = makeDailyDigest({
      table,
      ...digests(),
      store: directoryDigestStore(ownDir),
      now: () => new Date('2026-11-29T16:10:00Z'),
    });
    const first = await job({});
    expect(first.written).toEqual([
      '2026-11-23',
      '2026-11-24',
      '2026-11-25',
      '2026-11-26',
      '2026-11-27',
      '2026-11-28',
      '2026-11-29',
    ]);
    expect(await job({})).toEqual({ written: [] });
    expect(JSON.parse(readFileSync(join(ownDir, '2026-11-28.json'), 'utf8')).count).toBeGreaterThan(0);
  });
});
