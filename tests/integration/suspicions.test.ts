/**
 * The suspicion queue (疑点) and the approval guard against DynamoDB Local: a suspicion raised on an
 * application holds its approval (singly and in a batch) until an auditor who neither took it in,
 * decided it nor approves over it disposes of it; a confirmed one leaves only a rejection with
 * `verification-confirmed`; a check waiting on data holds approval too. Each write is one
 * transaction of the suspicion and the application: races leave exactly one winner, nothing half-written.
 */
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StaffRecord } from '../../functions/administration/domain/staff.js';
import { makeBatchApprove } from '../../functions/applications/http/batch-approve.js';
import { makeDecideApplication } from '../../functions/applications/http/decide-application.js';
import { makeDisposeSuspicion } from '../../functions/applications/http/dispose-suspicion.js';
import { makeGetApplication } from '../../functions/applications/http/get-application.js';
import { makeSubmitApplication } from '../../functions/applications/http/submit-application.js';
import type { Actor } from '../../functions/kernel/domain/actor.js';
import type { ReadAuditEntry } from '../../functions/kernel/domain/read-audit.js';
import { keys, type TableContext, toItem } from '../../functions/kernel/store/table.js';
import type { CheckResult } from '../../functions/verification/domain/checks.js';
import type { ApplicationVerification, Suspicion } from '../../functions/verification/domain/suspicions.js';
import { makeGetFlag } from '../../functions/verification/http/get-flag.js';
import { makeListFlags } from '../../functions/verification/http/list-flags.js';
import {
  ApplicationMovedError,
  newSuspicionId,
  raiseSuspicion,
  suspicionRepository,
} from '../../functions/verification/store/suspicions.js';
import { actors, asPerson, contractBody } from '../../tools/support/fixtures.js';
import { httpEvent, lambdaContext, parsed } from '../../tools/support/http-events.js';
import { freshTable } from '../support/dynamo.js';
import { handlerDependencies, type TestDependencies, testCursors } from '../support/handler-deps.js';

const auditor: Actor = { sub: 'auditor-city', role: 'auditor', unit: 'city:shijiazhuang' };
const checkedAt = '2026-11-28T02:00:00.000Z';
const pensionMismatch: CheckResult = {
  check: 'drawing-pension',
  source: 'pensions',
  outcome: 'mismatch',
  onMismatch: 'flag',
  asOf: '2026-11-20',
  reason: { zh: '已领取养老金', en: 'Draws a pension' },
  figures: { 领取起始月份: '2026-05' },
};

let table: TableContext;
let deps: TestDependencies;
/** The staff directory as the disposition asks it: who holds what besides the assignment they act under. */
const directory = new Map<string, StaffRecord>();
const suspicions = () => suspicionRepository(table, testCursors);
let person = 7000;

beforeAll(async () => {
  table = await freshTable();
  deps = handlerDependencies(table, 'sus');
});

const call =
  <T>(make: (d: T) => (e: ReturnType<typeof httpEvent>, c: typeof lambdaContext) => Promise<unknown>, d: T) =>
  (options: Parameters<typeof httpEvent>[0]) =>
    make(d)(httpEvent(options), lambdaContext) as Promise<{ statusCode: number; body?: string }>;

const dispositionDeps = () => ({
  ...deps,
  suspicions: suspicions(),
  staff: { get: async (sub: string) => directory.get(sub) },
  tableName: table.tableName,
});
/** The read-audit entries the queue's answers wrote, beside writing them. */
const readsRecorded: ReadAuditEntry[] = [];
const queueDeps = () => ({
  ...deps,
  suspicions: suspicions(),
  readAudit: {
    record: async (entries: ReadAuditEntry[]) => {
      readsRecorded.push(...entries);
      await deps.readAudit.record(entries);
    },
  },
});

const submit = async (): Promise<{ id: string; version: number; unitPath: string[] }> => {
  const body = asPerson(contractBody('flexible-employment'), person++);
  const answer = await call(makeSubmitApplication, deps)({ actor: actors.gexin01Staff, body });
  expect(answer.statusCode).toBe(201);
  return parsed(answer);
};
const approve = (id: string, expectedVersion: number, actor: Actor = actors.gexinApprover) =>
  call(makeDecideApplication, deps)({ actor, pathParameters: { id }, body: { decision: 'approve', expectedVersion } });
const decide = (id: string, body: Record<string, unknown>) =>
  call(makeDecideApplication, deps)({ actor: actors.gexinApprover, pathParameters: { id }, body });
const dispose = (actor: Actor, id: string, body: Record<string, unknown>) =>
  call(makeDisposeSuspicion, dispositionDeps())({ actor, pathParameters: { id }, body });
const cleared = { outcome: 'cleared', evidence: { kind: 'on-site-visit', reference: '走访记录 2026-11-27' } };

/** An application taken in at gexin-01 with a pension mismatch raised on it, as a later check would. */
async function flagged(): Promise<{ id: string; suspicion: Suspicion }> {
  const application = await submit();
  const suspicion: Suspicion = {
    id: newSuspicionId(new Date()),
    applicationId: application.id,
    cityId: 'city:shijiazhuang',
    unitPath: application.unitPath,
    programme: 'social-insurance/flexible-employment',
    takenInBy: actors.gexin01Staff.sub,
    raisedAt: checkedAt,
    mismatches: [pensionMismatch],
    status: 'open',
    version: 1,
  };
  const verification: ApplicationVerification = { checkedAt, results: [pensionMismatch] };
  await raiseSuspicion(table, {
    application: { id: application.id, version: application.version },
    verification,
    suspicion,
  });
  return { id: application.id, suspicion };
}

const stored = async (id: string) => (await deps.applications.get(id))?.application;

describe('a suspicion holds approval', () => {
  it('refuses an approval with 409 naming the suspicion and its check', async () => {
    const { id, suspicion } = await flagged();

    const answer = await approve(id, 1);

    expect(answer.statusCode).toBe(409);
    expect(parsed(answer)).toMatchObject({
      title: 'Held by verification',
      suspicionId: suspicion.id,
      checks: ['drawing-pension'],
    });
    expect(parsed(answer).detail).toContain(suspicion.id);
    expect((await stored(id))?.version).toBe(1);
  });

  it('refuses the flagged item of a batch alone, with the same 409, and approves the rest', async () => {
    const { id, suspicion } = await flagged();
    const clean = await submit();

    const answer = await call(
      makeBatchApprove,
      deps,
    )({
      actor: actors.gexinApprover,
      body: {
        decisions: [
          { applicationId: id, expectedVersion: 1 },
          { applicationId: clean.id, expectedVersion: 1 },
        ],
      },
    });

    const { results, succeeded } = parsed(answer);
    expect(succeeded).toBe(1);
    expect(results[0]).toMatchObject({ applicationId: id, status: 409, problem: { suspicionId: suspicion.id } });
    expect(results[1]).toMatchObject({ applicationId: clean.id, status: 200 });
  });

  it('refuses an approval while a check waits on data, naming the source', async () => {
    const application = await submit();
    const pending: CheckResult = {
      check: 'contributions-stopped',
      source: 'contributions',
      outcome: 'pending',
      onMismatch: 'flag',
      pendingReason: 'unreachable',
      reason: { zh: '社会保险费未缴纳', en: 'The contributions were not paid' },
      figures: { 说明: '等待数据' },
    };
    await table.client.send(
      new UpdateItemCommand({
        TableName: table.tableName,
        Key: toItem(keys.application(application.id)),
        UpdateExpression: 'SET verification = :v',
        ExpressionAttributeValues: toItem({ ':v': { checkedAt, results: [pending] } }),
      }),
    );

    const answer = await approve(application.id, 1);
    const view = parsed(
      await call(makeGetApplication, deps)({ actor: actors.gexinApprover, pathParameters: { id: application.id } }),
    );

    expect(answer.statusCode).toBe(409);
    expect(parsed(answer).detail).toContain('社会保险缴费记录');
    expect(parsed(answer).pendingChecks).toEqual([
      expect.objectContaining({ check: 'contributions-stopped', source: 'contributions' }),
    ]);
    expect(view.verification).toMatchObject({ waitingOnData: true, pendingChecks: ['contributions-stopped'] });
    expect(view.availableDecisions).not.toContain('approve');
  });
});

describe('the queue', () => {
  it('lists the suspicion to the city auditor, and shows it, its figures read-audited', async () => {
    const { suspicion } = await flagged();

    const list = await call(makeListFlags, queueDeps())({ actor: auditor, queryStringParameters: { status: 'open' } });
    const one = await call(makeGetFlag, queueDeps())({ actor: auditor, pathParameters: { id: suspicion.id } });

    expect(list.statusCode).toBe(200);
    expect(parsed(list).items.map((s: { id: string }) => s.id)).toContain(suspicion.id);
    expect(parsed(list).items[0].id >= suspicion.id).toBe(true);
    expect(parsed(one)).toMatchObject({ id: suspicion.id, status: 'open', mismatches: [{ check: 'drawing-pension' }] });
    expect(readsRecorded).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          sub: auditor.sub,
          purpose: 'suspicion-list',
          applicationId: suspicion.applicationId,
        }),
        expect.objectContaining({ sub: auditor.sub, purpose: 'suspicion-detail', fields: ['verification-figures'] }),
      ]),
    );
  });

  it('answers 404 to a suspicion out of sight, and 403 to a unit filter out of scope', async () => {
    const { suspicion } = await flagged();

    const hidden = await call(
      makeGetFlag,
      queueDeps(),
    )({ actor: actors.jianbei01Staff, pathParameters: { id: suspicion.id } });
    const outside = await call(
      makeListFlags,
      queueDeps(),
    )({
      actor: actors.gexinApprover,
      queryStringParameters: { unit: 'street:jianbei' },
    });
    const monitor = await call(makeListFlags, queueDeps())({ actor: actors.cityMonitor });

    expect(hidden.statusCode).toBe(404);
    expect(outside.statusCode).toBe(403);
    expect(monitor.statusCode).toBe(403);
  });
});

describe('a disposition', () => {
  it('is refused to the clerk who took the application in, even holding an auditor assignment (403)', async () => {
    const { suspicion } = await flagged();
    const clerkAsAuditor: Actor = { sub: actors.gexin01Staff.sub, role: 'auditor', unit: 'district:xinhua' };

    const answer = await dispose(clerkAsAuditor, suspicion.id, { ...cleared, expectedVersion: 1 });

    expect(answer.statusCode).toBe(403);
    expect(parsed(answer).detail).toContain('took application');
  });

  it('is refused to an auditor who approves over its units, and to an approver (403)', async () => {
    const { suspicion } = await flagged();
    const twoHats: Actor = { sub: 'auditor-xinhua', role: 'auditor', unit: 'district:xinhua' };
    directory.set(twoHats.sub, {
      sub: twoHats.sub,
      cityId: 'city:shijiazhuang',
      name: '两职',
      assignments: [
        { role: 'auditor', unit: 'district:xinhua', from: '2026-01-01' },
        { role: 'street-approver', unit: 'street:gexin', from: '2026-01-01' },
      ],
      version: 1,
      updatedAt: checkedAt,
      updatedBy: 'admin-city',
    });

    const approverHat = await dispose(twoHats, suspicion.id, { ...cleared, expectedVersion: 1 });
    const approver = await dispose(actors.gexinApprover, suspicion.id, { ...cleared, expectedVersion: 1 });

    expect(approverHat.statusCode).toBe(403);
    expect(parsed(approverHat).detail).toContain('street:gexin');
    expect(approver.statusCode).toBe(403);
    expect((await suspicions().get('city:shijiazhuang', suspicion.id))?.status).toBe('open');
  });

  it('needs evidence to clear (422 naming it), and answers 409 to a stale version', async () => {
    const { suspicion } = await flagged();

    const bare = await dispose(auditor, suspicion.id, { outcome: 'cleared', expectedVersion: 1 });
    const stale = await dispose(auditor, suspicion.id, { ...cleared, expectedVersion: 2 });

    expect(bare.statusCode).toBe(422);
    expect(parsed(bare).errors).toEqual([expect.objectContaining({ field: 'evidence' })]);
    expect(stale.statusCode).toBe(409);
  });

  it('cleared lets approval proceed, recorded on the history with its suspicion', async () => {
    const { id, suspicion } = await flagged();

    const answer = await dispose(auditor, suspicion.id, { ...cleared, expectedVersion: 1 });
    const again = await dispose(auditor, suspicion.id, { ...cleared, expectedVersion: 2 });
    const approved = await approve(id, 2);

    expect(answer.statusCode).toBe(200);
    expect(parsed(answer)).toMatchObject({ status: 'cleared', version: 2, application: { version: 2 } });
    expect(again.statusCode).toBe(409);
    expect(approved.statusCode).toBe(200);
    const history = await deps.applications.verifiedHistory((await deps.applications.get(id))!);
    expect(history.intact).toBe(true);
    expect(history.events.map((e) => e.action)).toEqual(['submitted', 'suspicion-cleared', 'approved']);
    expect(history.events[1]).toMatchObject({ suspicionId: suspicion.id, actor: { sub: auditor.sub } });
  });

  it('confirmed leaves only a rejection, with the reason verification-confirmed', async () => {
    const { id, suspicion } = await flagged();

    const confirmed = await dispose(auditor, suspicion.id, { outcome: 'confirmed', expectedVersion: 1 });
    const approved = await approve(id, 2);
    const returned = await decide(id, { decision: 'return', expectedVersion: 2, comment: '请补充材料' });
    const otherReason = await decide(id, { decision: 'reject', expectedVersion: 2, reason: 'duplicate-application' });
    const rejected = await decide(id, { decision: 'reject', expectedVersion: 2, reason: 'verification-confirmed' });

    expect(confirmed.statusCode).toBe(200);
    expect(approved.statusCode).toBe(409);
    expect(parsed(approved).suspicionStatus).toBe('confirmed');
    expect(returned.statusCode).toBe(409);
    expect(otherReason.statusCode).toBe(422);
    expect(parsed(otherReason).errors).toEqual([expect.objectContaining({ field: 'reason' })]);
    expect(rejected.statusCode).toBe(200);
    expect(parsed(rejected)).toMatchObject({ status: 'rejected' });
  });
});

describe('races', () => {
  it('a disposition and an approval at once: exactly one wins, both items agree', async () => {
    const { id, suspicion } = await flagged();

    const [disposition, approval] = await Promise.all([
      dispose(auditor, suspicion.id, { ...cleared, expectedVersion: 1 }),
      approve(id, 1),
    ]);

    expect([disposition.statusCode, approval.statusCode].filter((s) => s === 200)).toHaveLength(1);
    expect(approval.statusCode).toBe(409);
    const application = await stored(id);
    const item = await suspicions().get('city:shijiazhuang', suspicion.id);
    expect(application?.verification?.suspicion).toEqual({ id: suspicion.id, status: item?.status });
    expect(application).toMatchObject({ version: 2, eventSeq: 2, status: 'in_review', stage: 'street' });
  });

  it('a suspicion raised and an approval at once: exactly one wins, nothing half-written', async () => {
    const application = await submit();
    const suspicion: Suspicion = {
      id: newSuspicionId(new Date()),
      applicationId: application.id,
      cityId: 'city:shijiazhuang',
      unitPath: application.unitPath,
      programme: 'social-insurance/flexible-employment',
      takenInBy: actors.gexin01Staff.sub,
      raisedAt: checkedAt,
      mismatches: [pensionMismatch],
      status: 'open',
      version: 1,
    };

    const [raised, approval] = await Promise.allSettled([
      raiseSuspicion(table, {
        application: { id: application.id, version: 1 },
        verification: { checkedAt, results: [pensionMismatch] },
        suspicion,
      }),
      approve(application.id, 1),
    ]);

    const approvedIt = approval.status === 'fulfilled' && approval.value.statusCode === 200;
    expect([raised.status === 'fulfilled', approvedIt].filter(Boolean)).toHaveLength(1);
    const after = await stored(application.id);
    const item = await suspicions().get('city:shijiazhuang', suspicion.id);
    if (approvedIt) {
      expect(raised.status === 'rejected' && raised.reason).toBeInstanceOf(ApplicationMovedError);
      expect(item).toBeUndefined();
      expect(after?.verification).toBeUndefined();
    } else {
      expect(item?.status).toBe('open');
      expect(after).toMatchObject({ version: 1, verification: { suspicion: { id: suspicion.id, status: 'open' } } });
    }
  });

  it('an approval read before a suspicion was raised is refused when it writes', async () => {
    const application = await submit();
    const before = (await deps.applications.get(application.id))!;
    const suspicion: Suspicion = {
      id: newSuspicionId(new Date()),
      applicationId: application.id,
      cityId: 'city:shijiazhuang',
      unitPath: application.unitPath,
      programme: 'social-insurance/flexible-employment',
      takenInBy: actors.gexin01Staff.sub,
      raisedAt: checkedAt,
      mismatches: [pensionMismatch],
      status: 'open',
      version: 1,
    };
    const { decide: decideDomain } = await import('../../functions/applications/domain/decisions.js');
    const policy = await deps.policies.ofApplication(before.application);
    const transition = decideDomain(
      before.application,
      { decision: 'approve', expectedVersion: 1 },
      actors.gexinApprover,
      policy,
      deps.now().toISOString(),
    );

    await raiseSuspicion(table, {
      application: { id: application.id, version: 1 },
      verification: { checkedAt, results: [pensionMismatch] },
      suspicion,
    });
    const write = deps.applications.commit(before, transition, { policy });

    await expect(write).rejects.toThrow(/changed while it was being written/);
    expect(await stored(application.id)).toMatchObject({ version: 1, status: 'in_review', stage: 'street' });
  });
});
