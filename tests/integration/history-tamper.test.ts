/**
 * Tamper evidence against someone who can write the table (but holds no KMS key): each way of
 * changing a history — delete the last event, delete one in the middle, rewrite one and recompute
 * every hash after it, reorder, insert, rewrite the application's head — is caught by the read
 * path (`verifiedHistory`, what GET /applications/{id} answers) and by `verify-history`.
 */

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DeleteItemCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { decide } from '../../functions/applications/domain/decisions.js';
import { submitApplication } from '../../functions/applications/domain/intake.js';
import { resubmit } from '../../functions/applications/domain/resubmission.js';
import { type ApplicationRepository, applicationRepository } from '../../functions/applications/store/applications.js';
import { verifyHistories } from '../../functions/integrity/store/history-verification.js';
import { historyMacFromEnvironment } from '../../functions/kernel/adapters/history-mac.js';
import { chainEvent } from '../../functions/kernel/domain/history-chain.js';
import { policyInForce } from '../../functions/kernel/domain/policies/index.js';
import type { CityPolicy } from '../../functions/kernel/domain/policy.js';
import { fromItem, keys, type TableContext, toItem } from '../../functions/kernel/store/table.js';
import { actors, eligibleParts } from '../../tools/support/fixtures.js';
import { freshTable } from '../support/dynamo.js';
import { unchainedEvent } from '../support/history.js';

const policy = policyInForce('city:shijiazhuang', '2026-11-28') as CityPolicy;
const now = '2026-11-28T02:00:00.000Z';
let table: TableContext;
let applications: ApplicationRepository;

beforeAll(async () => {
  table = await freshTable();
  applications = applicationRepository(table);
});

/** An application with three events: submitted, returned, resubmitted. */
async function threeEvents(id: string) {
  const submitted = submitApplication(
    {
      id,
      programme: 'post-subsidy',
      communityPath: ['city:shijiazhuang', 'district:xinhua', 'street:gexin', 'community:gexin-01'],
      applicant: {
        name: '李建国',
        idNumber: '1301**************',
        phone: '13800000002',
        proof: { kind: 'hard-to-employ', number: 'KN-1' },
      },
      applicantKey: `key-${id}`,
      ...eligibleParts('post-subsidy'),
    },
    actors.gexin01Staff,
    policy,
    now,
  );
  await applications.create(submitted);
  const returned = decide(
    submitted.application,
    { decision: 'return', expectedVersion: 1, comment: '请补充' },
    actors.gexinApprover,
    policy,
    now,
  );
  await applications.commit({ application: submitted.application }, returned);
  const again = resubmit(
    returned.application,
    { expectedVersion: 2, comment: '已补充' },
    actors.gexin01Staff,
    policy,
    now,
  );
  await applications.commit((await applications.get(id))!, again);
  return id;
}

const eventKey = (id: string, seq: number) => toItem(keys.applicationEvent(id, seq));
async function eventItem(id: string, seq: number) {
  const { Item } = await table.client.send(new GetItemCommand({ TableName: table.tableName, Key: eventKey(id, seq) }));
  return fromItem(Item!);
}
const put = (item: Record<string, unknown>) =>
  table.client.send(new PutItemCommand({ TableName: table.tableName, Item: toItem(item) }));
async function patchApplication(id: string, change: Record<string, unknown>) {
  const { Item } = await table.client.send(
    new GetItemCommand({ TableName: table.tableName, Key: toItem(keys.application(id)) }),
  );
  await put({ ...fromItem(Item!), ...change });
}

const tampering: Record<string, (id: string) => Promise<void>> = {
  'delete the last event': async (id) => {
    await table.client.send(new DeleteItemCommand({ TableName: table.tableName, Key: eventKey(id, 3) }));
  },
  'delete the last event and wind the head back to the one before': async (id) => {
    const second = await eventItem(id, 2);
    await table.client.send(new DeleteItemCommand({ TableName: table.tableName, Key: eventKey(id, 3) }));
    await patchApplication(id, {
      eventSeq: 2,
      lastEventHash: second.hash,
      version: 2,
      status: 'returned',
      stage: 'community',
    });
  },
  'delete an event in the middle': async (id) => {
    await table.client.send(new DeleteItemCommand({ TableName: table.tableName, Key: eventKey(id, 2) }));
  },
  'rewrite an event and recompute every hash after it': async (id) => {
    const [first, second, third] = [await eventItem(id, 1), await eventItem(id, 2), await eventItem(id, 3)];
    const forged2 = chainEvent({ ...unchainedEvent(second), comment: '材料齐全' }, first.hash as string);
    const forged3 = chainEvent({ ...unchainedEvent(third) }, forged2.hash);
    await put({ ...second, ...forged2 });
    await put({ ...third, ...forged3 });
    await patchApplication(id, { lastEventHash: forged3.hash });
  },
  'reorder two events': async (id) => {
    const [first, second] = [await eventItem(id, 1), await eventItem(id, 2)];
    await put({ ...second, pk: first.pk, sk: first.sk });
    await put({ ...first, pk: second.pk, sk: second.sk });
  },
  'insert an event after the last and move the head to it': async (id) => {
    const third = await eventItem(id, 3);
    const forged = chainEvent(
      {
        ...unchainedEvent(third),
        seq: 4,
        action: 'approved',
        status: 'approved',
        stageAfter: null,
        version: 4,
      } as const,
      third.hash as string,
    );
    await put({ ...third, ...keys.applicationEvent(id, 4), ...forged, mac: third.mac });
    await patchApplication(id, {
      eventSeq: 4,
      lastEventHash: forged.hash,
      version: 4,
      status: 'approved',
      stage: null,
    });
  },
  "rewrite the application item's head": async (id) => {
    await patchApplication(id, { status: 'approved', stage: null });
  },
};

describe('a history changed by a writer of the table', () => {
  it('reads intact, and verify-history finds nothing, when nobody changed it', async () => {
    const id = await threeEvents('untouched');
    const checked = await applications.verifiedHistory((await applications.get(id))!);
    expect(checked).toMatchObject({ intact: true, findings: [] });
    expect(checked.events.map((e) => e.seq)).toEqual([1, 2, 3]);
    const report = await verifyHistories(table, historyMacFromEnvironment(), { applicationId: id });
    expect(report).toEqual({ checked: 1, tampered: [] });
  });

  it.each(Object.keys(tampering))('%s: caught on read and by verify-history', async (how) => {
    const id = await threeEvents(`tampered-${Object.keys(tampering).indexOf(how)}`);
    await tampering[how]!(id);
    const checked = await applications.verifiedHistory((await applications.get(id))!);
    expect(checked.intact).toBe(false);
    expect(checked.findings.length).toBeGreaterThan(0);
    const report = await verifyHistories(table, historyMacFromEnvironment());
    expect(report.tampered.map((t) => t.applicationId)).toContain(id);
    expect(report.tampered.map((t) => t.applicationId)).not.toContain('untouched');
  });

  it('npm run verify-history names each changed application and exits 1; 0 for an untouched one', async () => {
    const env = {
      ...process.env,
      TABLE_NAME: table.tableName,
      AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoEndpoint'),
    };
    const run = (...args: string[]) =>
      promisify(execFile)('npx', ['tsx', 'local/verify-history.ts', ...args], { env }).then(
        (done) => ({ code: 0, stdout: done.stdout }),
        (failed: { code: number; stdout: string }) => ({ code: failed.code, stdout: failed.stdout }),
      );
    const all = await run();
    expect(all.code).toBe(1);
    for (const i of Object.keys(tampering).keys()) expect(all.stdout).toContain(`CHANGED tampered-${i}`);
    expect(all.stdout).not.toContain('CHANGED untouched');
    const one = await run('--application', 'untouched', '--from', '2026-11-01', '--to', '2026-11-30');
    expect(one).toMatchObject({ code: 0 });
    expect(one.stdout).toContain('1 applications checked, 0 with a changed history');
  });
});
