/**
 * Issue 27's walk, on the local stack through the API and the local exchange only: a person
 * drawing a pension is flagged at intake and cannot be approved, singly or in a batch, until the
 * auditor confirms and the approver rejects; a microloan for a deregistered firm is refused at
 * intake naming the rule; with the exchange stopped a check waits, approval is refused naming it,
 * and after the exchange is back the re-runner answers it with no one acting; a grant whose
 * holder dies is suspended by the monthly run from the month of the death.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Actor } from '../../functions/kernel/domain/actor.js';
import { creditCodeCheckChar } from '../../functions/kernel/domain/programmes.js';
import { freePort } from '../../local/dynamodb-local.js';
import { type LocalStack, startLocalStack } from '../../local/runtime.js';
import { eventually } from '../../tools/support/eventually.js';
import { actors, asPerson, contractBody } from '../../tools/support/fixtures.js';
import { apiAs } from '../support/api-client.js';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({
    dynamoEndpoint: inject('dynamoEndpoint'),
    template: inject('template'),
    tableName: `verification-${Date.now()}`,
    stepFunctionsPort: await freePort(),
    residentIdKey: 'v'.repeat(40),
  });
});
afterAll(() => stack?.stop());

/** The demo people each step acts as, by their `sub` (the local sign-in issues their tokens). */
const demo: Record<string, Actor> = {
  'staff-gexin-01': actors.gexin01Staff,
  'staff-gexin-02': actors.gexin02Staff,
  'staff-jianbei-01': actors.jianbei01Staff,
  'approver-gexin': actors.gexinApprover,
  'approver-city': actors.cityApprover,
  'monitor-city': actors.cityMonitor,
  'auditor-city': { sub: 'auditor-city', role: 'auditor', unit: 'city:shijiazhuang' },
};
const as = (sub: string) => apiAs(stack, demo[sub]);
const get = (sub: string, path: string) => as(sub).get(path);
const post = (sub: string, path: string, body?: unknown) => as(sub).post(path, body);

describe('facts checked against the records that hold them', () => {
  it('flags a person drawing a pension; no approval, single or batch, until the auditor confirms and the approver rejects', async () => {
    const body = asPerson(contractBody('flexible-employment'), 2701);
    stack.exchange.put({ pensions: [{ idNumber: body.applicant.idNumber, from: '2026-05' }] });
    const taken = await post('staff-gexin-01', '/applications', body);
    expect(taken.status).toBe(201);
    const id = taken.body.id as string;
    const seen = await get('approver-gexin', `/applications/${id}`);
    const suspicionId = seen.body.verification.suspicion.id as string;
    expect(seen.body.verification.suspicion.status).toBe('open');

    const approve = await post('approver-gexin', `/applications/${id}/decisions`, {
      decision: 'approve',
      expectedVersion: seen.body.version,
    });
    expect(approve.status).toBe(409);
    expect(JSON.stringify(approve.body)).toContain(suspicionId);
    const batch = await post('approver-gexin', '/decisions/batch', {
      decisions: [{ applicationId: id, expectedVersion: seen.body.version }],
    });
    expect(batch.body.results[0].status).toBe(409);

    // The clerk who took it in may not dispose of it, even as an auditor would; the auditor may.
    const queue = await get('auditor-city', '/verification/flags?unit=city:shijiazhuang&status=open');
    const listed = queue.body.items.find((s: { id: string }) => s.id === suspicionId);
    expect(listed.mismatches.map((m: { check: string }) => m.check)).toContain('drawing-pension');
    const confirmed = await post('auditor-city', `/verification/flags/${suspicionId}/disposition`, {
      outcome: 'confirmed',
      evidence: { kind: 'other-office-letter', reference: '社保函〔2026〕12号' },
      expectedVersion: listed.version,
    });
    expect(confirmed.status).toBe(200);

    const now = await get('approver-gexin', `/applications/${id}`);
    expect(
      (
        await post('approver-gexin', `/applications/${id}/decisions`, {
          decision: 'approve',
          expectedVersion: now.body.version,
        })
      ).status,
    ).toBe(409);
    const rejected = await post('approver-gexin', `/applications/${id}/decisions`, {
      decision: 'reject',
      reason: 'verification-confirmed',
      expectedVersion: now.body.version,
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body.status).toBe('rejected');
  });

  it('refuses a microloan for a deregistered firm at intake, naming the rule and the field', async () => {
    const first17 = '92130102MA0DEREG1';
    const licenceNo = `${first17}${creditCodeCheckChar(first17)}`;
    const body = asPerson(contractBody('microloan-guarantee'), 2702);
    body.details.business.licenceNo = licenceNo;
    stack.exchange.put({
      entities: [
        {
          creditCode: licenceNo,
          name: '已注销早餐店',
          kind: 'individual-business',
          status: 'deregistered',
          deregisteredOn: '2026-03-31',
          legalRepresentativeIdNumber: body.applicant.idNumber,
        },
      ],
    });
    const refused = await post('staff-jianbei-01', '/applications', body);
    expect(refused.status).toBe(422);
    expect(refused.body.type).toBe('/problems/refused-by-verification');
    expect(refused.body.errors).toEqual([
      expect.objectContaining({
        field: 'details.business.licenceNo',
        message: expect.stringContaining('firm-deregistered'),
      }),
    ]);
  });

  it('holds approval while a source is down, and answers the check without anyone acting once it is back', async () => {
    const body = asPerson(contractBody('post-subsidy'), 2703);
    await stack.exchange.stop();
    let id: string;
    try {
      const taken = await post('staff-gexin-02', '/applications', body);
      expect(taken.status).toBe(201);
      id = taken.body.id as string;
      // While the exchange is down the re-runner cannot answer: the application waits on data.
      const waiting = await get('approver-gexin', `/applications/${id}`);
      expect(waiting.body.verification.waitingOnData).toBe(true);
      const held = await post('approver-gexin', `/applications/${id}/decisions`, {
        decision: 'approve',
        expectedVersion: waiting.body.version,
      });
      expect(held.status).toBe(409);
      expect(held.body.title).toBe('Held by verification');
    } finally {
      await stack.exchange.start();
    }
    const answered = await eventually(
      'the re-runner to answer the pending checks',
      async () => {
        const read = await get('approver-gexin', `/applications/${id}`);
        return read.body.verification.waitingOnData ? undefined : read;
      },
      180_000,
    );
    expect(answered.body.verification.results.every((r: { outcome: string }) => r.outcome === 'passed')).toBe(true);
    const approved = await post('approver-gexin', `/applications/${id}/decisions`, {
      decision: 'approve',
      expectedVersion: answered.body.version,
    });
    expect(approved.status).toBe(200);
  });

  it('suspends a grant whose holder died, from the month of the death, at the next monthly run', async () => {
    const body = asPerson(contractBody('flexible-employment'), 2704);
    const months = ['2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11'];
    // Paid as flexibly employed every month: only the death stops the grant.
    stack.exchange.put({
      contributions: months.map((month) => ({ idNumber: body.applicant.idNumber, month, baseFen: 400000, paid: true })),
    });
    const taken = await post('staff-gexin-01', '/applications', body);
    expect(taken.status).toBe(201);
    const id = taken.body.id as string;
    for (const [approver, version] of [
      ['approver-gexin', 1],
      ['approver-city', 2],
    ] as const) {
      const decided = await post(approver, `/applications/${id}/decisions`, {
        decision: 'approve',
        expectedVersion: version,
      });
      expect(decided.status).toBe(200);
    }
    stack.exchange.put({ deaths: [{ idNumber: body.applicant.idNumber, on: '2026-09-14' }] });
    const asked = await post('monitor-city', '/verification/runs', { month: '2026-11' });
    expect([200, 202]).toContain(asked.status);
    const report = await eventually(
      'the monthly run to suspend the grant',
      async () => {
        const read = await get('monitor-city', '/verification/runs/2026-11');
        return read.body?.suspended?.some((s: { applicationId: string }) => s.applicationId === id)
          ? read.body
          : undefined;
      },
      180_000,
    );
    expect(report.suspended.find((s: { applicationId: string }) => s.applicationId === id)).toMatchObject({
      suspendedFrom: '2026-09',
    });
    const history = await get('approver-city', `/applications/${id}`);
    expect(history.body.history.map((e: { action: string }) => e.action)).toContain('grant-suspended');
  });
});
