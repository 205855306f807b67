/**
 * The suspicion queue's rules, offline: who sees a suspicion and who may dispose of it, what a
 * disposition must say; the approval guard's answers; and the auditor's place among the roles.
 */
import { describe, expect, it } from 'vitest';
import { decide } from '../../../functions/applications/domain/decisions.js';
import type { Application } from '../../../functions/applications/domain/lifecycle.js';
import { type Actor, actorSchema } from '../../../functions/kernel/domain/actor.js';
import { policyInForce } from '../../../functions/kernel/domain/policies/index.js';
import type { CityPolicy } from '../../../functions/kernel/domain/policy.js';
import type { CheckResult } from '../../../functions/verification/domain/checks.js';
import {
  assertMayDispose,
  assertMaySeeSuspicion,
  disposed,
  dispositionSchema,
} from '../../../functions/verification/domain/dispositions.js';
import type { Suspicion } from '../../../functions/verification/domain/suspicions.js';
import { newSuspicionId } from '../../../functions/verification/store/suspicions.js';
import { actors, takenIn } from '../../../tools/support/fixtures.js';

const shijiazhuang2026 = policyInForce('city:shijiazhuang', '2026-11-28') as CityPolicy;
const auditor: Actor = { sub: 'auditor-city', role: 'auditor', unit: 'city:shijiazhuang' };
const path = ['city:shijiazhuang', 'district:xinhua', 'street:gexin', 'community:gexin-01'];
const mismatch: CheckResult = {
  check: 'drawing-pension',
  source: 'pensions',
  outcome: 'mismatch',
  onMismatch: 'flag',
  reason: { zh: '已领取养老金', en: 'Draws a pension' },
  figures: { 领取起始月份: '2026-05' },
};
const suspicion: Suspicion = {
  id: 'sus_000000001_ab',
  applicationId: 'app-1',
  cityId: 'city:shijiazhuang',
  unitPath: path,
  programme: 'post-subsidy',
  takenInBy: 'staff-gexin-01',
  raisedAt: '2026-11-28T02:00:00.000Z',
  mismatches: [mismatch],
  status: 'open',
  version: 1,
};
const nobody = { decidedBy: [], heldAssignments: [] };

describe('the auditor role', () => {
  it('is held at a city or a district, nowhere else', () => {
    const at = (unit: string) => actorSchema.safeParse({ sub: 'a', role: 'auditor', unit }).success;

    expect([at('city:shijiazhuang'), at('district:xinhua'), at('street:gexin'), at('community:gexin-01')]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});

describe('who sees and who disposes', () => {
  it('shows a suspicion to auditors and approvers above it and its community, as absent to others', () => {
    for (const actor of [auditor, actors.gexinApprover, actors.gexin01Staff])
      expect(() => assertMaySeeSuspicion(suspicion, actor)).not.toThrow();
    for (const actor of [actors.gexin02Staff, actors.jianbeiApprover, actors.cityMonitor])
      expect(() => assertMaySeeSuspicion(suspicion, actor)).toThrow(/no suspicion/);
  });

  it('lets an auditor in scope dispose of an open suspicion at the version read', () => {
    expect(() => assertMayDispose(suspicion, auditor, nobody, 1)).not.toThrow();
  });

  it('refuses whoever took it in, decided it, or approves over its units, and anyone not an auditor', () => {
    const clerk: Actor = { sub: 'staff-gexin-01', role: 'auditor', unit: 'district:xinhua' };
    const decider: Actor = { sub: 'approver-gexin', role: 'auditor', unit: 'district:xinhua' };

    expect(() => assertMayDispose(suspicion, clerk, nobody, 1)).toThrow(/took application/);
    expect(() => assertMayDispose(suspicion, decider, { ...nobody, decidedBy: ['approver-gexin'] }, 1)).toThrow(
      /decided/,
    );
    expect(() =>
      assertMayDispose(
        suspicion,
        auditor,
        { ...nobody, heldAssignments: [{ role: 'city-approver', unit: 'city:shijiazhuang' }] },
        1,
      ),
    ).toThrow(/approves for city:shijiazhuang/);
    expect(() => assertMayDispose(suspicion, actors.gexinApprover, nobody, 1)).toThrow(/only an auditor/);
  });

  it('answers a disposed suspicion or another version with a conflict', () => {
    expect(() => assertMayDispose({ ...suspicion, status: 'cleared' }, auditor, nobody, 1)).toThrow(/already cleared/);
    expect(() => assertMayDispose(suspicion, auditor, nobody, 2)).toThrow(/version 1, not 2/);
  });

  it('needs evidence to clear but not to confirm, and screens what is typed', () => {
    const bare = dispositionSchema.safeParse({ outcome: 'cleared', expectedVersion: 1 });
    const formula = dispositionSchema.safeParse({
      outcome: 'cleared',
      evidence: { kind: 'document', reference: '=HYPERLINK("x")' },
      expectedVersion: 1,
    });
    const confirm = dispositionSchema.parse({
      outcome: 'confirmed',
      comment: '电话 13800000001 核实',
      expectedVersion: 1,
    });

    expect(bare.success).toBe(false);
    expect(bare.error?.issues[0]?.path).toEqual(['evidence']);
    expect(formula.success).toBe(false);
    const after = disposed(suspicion, confirm, auditor, '2026-11-28T03:00:00.000Z');
    expect(after).toMatchObject({ status: 'confirmed', version: 2, disposition: { by: { sub: 'auditor-city' } } });
    expect(after.disposition?.comment).not.toContain('13800000001');
  });

  it('gives ids that sort by the time they were raised', () => {
    const earlier = newSuspicionId(new Date('2026-01-01T00:00:00Z'));
    const later = newSuspicionId(new Date('2026-11-28T00:00:00Z'));

    expect(earlier < later).toBe(true);
    expect(earlier).toMatch(/^sus_[0-9a-z]{9}_[0-9a-f]{12}$/);
  });
});

describe('the approval guard', () => {
  const base = takenIn('app-guard', shijiazhuang2026, '2026-11-20T02:00:00.000Z').application;
  const held = (status: 'open' | 'cleared' | 'confirmed', results: CheckResult[] = [mismatch]): Application => ({
    ...base,
    verification: { checkedAt: base.submittedAt, results, suspicion: { id: 'sus_x', status } },
  });
  const by = (application: Application, decision: Parameters<typeof decide>[1]) => () =>
    decide(application, decision, actors.gexinApprover, shijiazhuang2026, '2026-11-28T03:00:00.000Z');

  it('refuses approval while a suspicion is open or confirmed, naming it and its checks', () => {
    expect(by(held('open'), { decision: 'approve', expectedVersion: 1 })).toThrow(/sus_x is open \(drawing-pension/);
    expect(by(held('confirmed'), { decision: 'approve', expectedVersion: 1 })).toThrow(/confirmed/);
    expect(by(held('cleared'), { decision: 'approve', expectedVersion: 1 })).not.toThrow();
  });

  it('refuses approval while a check waits on data, naming the office', () => {
    const pending: CheckResult = { ...mismatch, outcome: 'pending', pendingReason: 'timeout', figures: {} };
    const waiting: Application = { ...base, verification: { checkedAt: base.submittedAt, results: [pending] } };

    expect(by(waiting, { decision: 'approve', expectedVersion: 1 })).toThrow(/waits on data from 养老金领取（社保）/);
  });

  it('after a confirmation, refuses a return and any rejection reason but verification-confirmed', () => {
    const confirmed = held('confirmed');

    expect(by(confirmed, { decision: 'return', expectedVersion: 1, comment: '补充' })).toThrow(/cannot be returned/);
    expect(by(confirmed, { decision: 'reject', expectedVersion: 1, reason: 'duplicate-application' })).toThrow(
      /must say so/,
    );
    expect(by(confirmed, { decision: 'reject', expectedVersion: 1, reason: 'verification-confirmed' })).not.toThrow();
  });
});
