import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { unitRepository } from '../../functions/administration/store/units.js';
import { decide } from '../../functions/applications/domain/decisions.js';
import type { Application } from '../../functions/applications/domain/lifecycle.js';
import {
  type ApplicationRepository,
  applicationRepository,
  StaleWriteError,
} from '../../functions/applications/store/applications.js';
import { IdempotencyKeyUsedError } from '../../functions/applications/store/idempotency.js';
import { policyInForce } from '../../functions/kernel/domain/policies/index.js';
import type { CityPolicy } from '../../functions/kernel/domain/policy.js';
import type { TableContext } from '../../functions/kernel/store/table.js';
import { actors, takenIn } from '../../tools/support/fixtures.js';
import { freshTable, recordCommands } from '../support/dynamo.js';

const policy = policyInForce('city:shijiazhuang', '2026-11-28') as CityPolicy;
const now = '2026-11-28T02:00:00.000Z';
let applications: ApplicationRepository;
let units: ReturnType<typeof unitRepository>;
let table: TableContext;

beforeAll(async () => {
  table = await freshTable();
  applications = applicationRepository(table);
  units = unitRepository(table);
});

const newApplication = (id: string) => takenIn(id, policy, now);

const approveAtStreet = (application: Application) =>
  decide(application, { decision: 'approve', expectedVersion: application.version }, actors.gexinApprover, policy, now);

describe('application store on DynamoDB Local', () => {
  it('reads the seeded unit tree with each unit path', async () => {
    expect(await units.get('community:jianbei-02')).toMatchObject({
      name: expect.any(String),
      path: ['city:shijiazhuang', 'district:changan', 'street:jianbei', 'community:jianbei-02'],
    });
    expect(await units.get('community:nowhere')).toBeUndefined();
  });

  it('stores a new application with its first event, and refuses the same id twice', async () => {
    const first = newApplication('store-1');
    await applications.create(first);
    expect((await applications.get('store-1'))?.application).toEqual(first.application);
    expect(await applications.history('store-1')).toEqual([first.event]);
    await expect(applications.create(first)).rejects.toThrow();
  });

  it('lets exactly one of two concurrent decisions on the same version through', async () => {
    await applications.create(newApplication('store-2'));
    const read = (await applications.get('store-2'))!;
    const results = await Promise.allSettled([
      applications.commit(read, approveAtStreet(read.application)),
      applications.commit(read, approveAtStreet(read.application)),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failure = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(failure.reason).toBeInstanceOf(StaleWriteError);
    expect((await applications.history('store-2')).map((e) => e.action)).toEqual(['submitted', 'approved']);
  });

  it('lets a decision read before the workflow recorded its token through, and hands that token back for release, kept until taken off', async () => {
    await applications.create(newApplication('store-3'));
    const before = (await applications.get('store-3'))!;
    expect(
      await applications.recordWaitingTask('store-3', 1, {
        token: 't-1',
        state: 'AwaitDecision',
        input: { applicationId: 'store-3' },
      }),
    ).toBe(true);

    const toRelease = await applications.commit(before, approveAtStreet(before.application));

    expect(toRelease).toEqual({
      token: 't-1',
      state: 'AwaitDecision',
      input: { applicationId: 'store-3' },
      version: 1,
    });
    // Still recorded, for version 1: had the caller's release or its answer been lost, the
    // reconciler finds a token older than the application and releases it.
    const after = (await applications.get('store-3'))!;
    expect(after.application.version).toBe(2);
    expect(after.waitingTask).toMatchObject({ token: 't-1', version: 1 });
    expect(await applications.takeWaitingTask('store-3', 't-1')).toBe(true);
    expect((await applications.get('store-3'))?.waitingTask).toBeUndefined();
  });

  it('hands back the token it read, and leaves alone a token recorded for the version it wrote', async () => {
    await applications.create(newApplication('store-3b'));
    expect(
      await applications.recordWaitingTask('store-3b', 1, { token: 'street', state: 'AwaitDecision', input: {} }),
    ).toBe(true);
    const read = (await applications.get('store-3b'))!;

    expect(await applications.commit(read, approveAtStreet(read.application))).toMatchObject({ token: 'street' });
    // Kept until the caller has released it: a release that fails is found (recorded for version 1) and retried.
    expect((await applications.get('store-3b'))?.waitingTask).toMatchObject({ token: 'street', version: 1 });
    expect(
      await applications.recordWaitingTask('store-3b', 2, { token: 'city', state: 'AwaitDecision', input: {} }),
    ).toBe(true);
    expect((await applications.get('store-3b'))?.waitingTask).toMatchObject({ token: 'city' });
  });

  it('keeps what the application no longer has off the item: a cleared field is removed, not left stale', async () => {
    await applications.create(newApplication('store-3c'));
    const read = (await applications.get('store-3c'))!;
    const transition = approveAtStreet(read.application);
    const { dueAt: _dropped, ...withoutDue } = transition.application;
    await applications.commit(read, { ...transition, application: withoutDue as typeof transition.application });
    expect((await applications.get('store-3c'))?.application).toEqual(withoutDue);
  });

  it('refuses to record a token for a version that has moved on', async () => {
    await applications.create(newApplication('store-4'));
    const read = (await applications.get('store-4'))!;
    await applications.commit(read, approveAtStreet(read.application));
    expect(
      await applications.recordWaitingTask('store-4', 1, { token: 'late', state: 'AwaitDecision', input: {} }),
    ).toBe(false);
  });

  it('remembers an idempotency key and names what it created', async () => {
    const record = {
      caller: 'staff|community-staff@community:gexin-01|POST /applications',
      key: 'k-1',
      requestHash: 'h-1',
      expiresAt: Math.floor(Date.parse(now) / 1000) + 3600,
      answer: { status: 201 },
    };
    await applications.create(newApplication('store-5'), record);
    await expect(applications.create(newApplication('store-6'), record)).rejects.toMatchObject({
      constructor: IdempotencyKeyUsedError,
      // Only the status is kept: the answer is rebuilt from the application on a repeat.
      earlier: { applicationId: 'store-5', answer: { status: 201 } },
    });
    expect(await applications.get('store-6')).toBeUndefined();
  });

  it('lists the applications not finally decided', async () => {
    const open = await applications.listOpen();
    expect(open.map((o) => o.application.id)).toEqual(expect.arrayContaining(['store-1', 'store-2', 'store-5']));
  });

  it("finds what the reconciler checks through two indexes, never a scan: open ones, and final ones whose token's release is unconfirmed", async () => {
    const decided = async (id: string, decision: Parameters<typeof decide>[1], withToken: boolean) => {
      await applications.create(newApplication(id));
      if (withToken)
        await applications.recordWaitingTask(id, 1, { token: `${id}-token`, state: 'AwaitDecision', input: {} });
      const read = (await applications.get(id))!;
      await applications.commit(read, decide(read.application, decision, actors.gexinApprover, policy, now));
    };
    await applications.create(newApplication('rec-open'));
    await decided('rec-returned', { decision: 'return', expectedVersion: 1, comment: '请补充材料' }, false);
    const reject = { decision: 'reject', expectedVersion: 1, reason: 'false-information' } as const;
    await decided('rec-final-token', reject, true);
    await decided('rec-final', reject, false);
    const sent: string[] = [];
    recordCommands(table, sent);

    const toReconcile = (await applications.listToReconcile()).map((s) => s.application.id);
    const open = (await applications.listOpen()).map((s) => s.application.id);

    expect(toReconcile).toEqual(expect.arrayContaining(['rec-open', 'rec-returned', 'rec-final-token']));
    expect(toReconcile).not.toContain('rec-final');
    expect(open).toEqual(expect.arrayContaining(['rec-open', 'rec-returned']));
    expect(open).not.toContain('rec-final-token');
    expect(sent).not.toContain(ScanCommand.name);
    // Taken off after its release: out of the waiting-tasks index too.
    expect(await applications.takeWaitingTask('rec-final-token', 'rec-final-token-token')).toBe(true);
    expect((await applications.listToReconcile()).map((s) => s.application.id)).not.toContain('rec-final-token');
  });
});
