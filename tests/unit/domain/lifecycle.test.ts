import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../functions/domain/actor.js';
import { ConflictError, ForbiddenError } from '../../../functions/domain/errors.js';
import { decide, flagOverdue, nextStep, resubmit, submitApplication, type Application } from '../../../functions/domain/lifecycle.js';
import { cityPolicySchema, policyInForce, type CityPolicy } from '../../../functions/domain/policy.js';
import { actors } from '../../support/fixtures.js';

const policy = policyInForce('city:shijiazhuang', '2026-11-28') as CityPolicy;
const withDistrict = { ...policy, version: 'with-district', approvalChain: ['street', 'district', 'city'] } as CityPolicy;
const path = ['city:shijiazhuang', 'district:xinhua', 'street:gexin', 'community:gexin-01'];
const t0 = '2026-11-28T02:00:00.000Z';

function submitted(chainPolicy: CityPolicy = policy): Application {
  return submitApplication(
    {
      id: 'app-1',
      programme: 'post-subsidy',
      communityPath: path,
      applicant: { name: '王秀英', idNumber: '1301**********0240', phone: '13800000001', proof: { kind: 'hard-to-employ', number: 'KN-1' } },
      applicantKey: 'key',
      details: {},
      documents: [],
    },
    actors.gexin01Staff,
    chainPolicy,
    t0,
  ).application;
}

const approve = (app: Application, actor: Actor, chainPolicy: CityPolicy = policy) =>
  decide(app, { decision: 'approve', expectedVersion: app.version }, actor, chainPolicy, t0).application;

describe('community intake', () => {
  it('puts a new application in review at the first level of the chain', () => {
    const app = submitted();
    expect(app).toMatchObject({ status: 'in_review', stage: 'street', version: 1, eventSeq: 1, policyVersion: policy.version });
    expect(app.dueAt).toBe('2026-12-13T02:00:00.000Z');
  });

  it('refuses staff of another community and approvers', () => {
    const input = { id: 'x', programme: 'post-subsidy' as const, communityPath: path, applicant: submitted().applicant, applicantKey: 'k', details: {}, documents: [] };
    expect(() => submitApplication(input, actors.gexin02Staff, policy, t0)).toThrow(ForbiddenError);
    expect(() => submitApplication(input, actors.gexinApprover, policy, t0)).toThrow(ForbiddenError);
  });
});

describe('decisions along the approval chain', () => {
  it('moves from street to city to approved', () => {
    const atCity = approve(submitted(), actors.gexinApprover);
    expect(atCity).toMatchObject({ status: 'in_review', stage: 'city', version: 2 });
    const approved = approve(atCity, actors.cityApprover);
    expect(approved).toMatchObject({ status: 'approved', stage: null, version: 3 });
    expect(approved.dueAt).toBeUndefined();
  });

  it('passes through a district level when the city policy adds one', () => {
    const atDistrict = approve(submitted(withDistrict), actors.gexinApprover, withDistrict);
    expect(atDistrict.stage).toBe('district');
    const atCity = approve(atDistrict, { sub: 'd', role: 'district-approver', unit: 'district:xinhua' }, withDistrict);
    expect(atCity.stage).toBe('city');
  });

  it('refuses an approver of another street, and the city before the street has decided', () => {
    expect(() => approve(submitted(), actors.dongfengApprover)).toThrow(ForbiddenError);
    expect(() => approve(submitted(), actors.cityApprover)).toThrow(ForbiddenError);
    expect(() => approve(submitted(), actors.gexin01Staff)).toThrow(ForbiddenError);
  });

  it('refuses a decision on a stale version with a conflict naming the current version', () => {
    const atCity = approve(submitted(), actors.gexinApprover);
    try {
      decide(atCity, { decision: 'approve', expectedVersion: 1 }, actors.gexinApprover, policy, t0);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError).details).toMatchObject({ currentVersion: 2, currentStage: 'city' });
    }
  });

  it('rejects with the reason recorded in the event', () => {
    const { application, event } = decide(submitted(), { decision: 'reject', expectedVersion: 1, reason: 'not registered unemployed' }, actors.gexinApprover, policy, t0);
    expect(application).toMatchObject({ status: 'rejected', stage: null });
    expect(event).toMatchObject({ action: 'rejected', stage: 'street', reason: 'not registered unemployed', actor: { sub: actors.gexinApprover.sub } });
    expect(() => approve(application, actors.cityApprover)).toThrow(ConflictError);
  });

  it('refuses any decision once the application is final', () => {
    const rejected = decide(submitted(), { decision: 'reject', expectedVersion: 1, reason: 'r' }, actors.gexinApprover, policy, t0).application;
    expect(() => decide(rejected, { decision: 'approve', expectedVersion: rejected.version }, actors.gexinApprover, policy, t0)).toThrow(ConflictError);
  });
});

describe('return for revision and resubmission', () => {
  it('returns to the community and comes back to the level that returned it', () => {
    const atCity = approve(submitted(), actors.gexinApprover);
    const returned = decide(atCity, { decision: 'return', expectedVersion: 2, comment: 'attach the contract' }, actors.cityApprover, policy, t0).application;
    expect(returned).toMatchObject({ status: 'returned', stage: 'community', returnedFrom: 'city', returnRound: 1 });
    expect(nextStep(returned)).toEqual({ action: 'await-resubmission', stage: 'community', version: 3 });

    const back = resubmit(returned, { expectedVersion: 3, documents: [{ kind: 'labour-contract', ref: 'doc-9' }] }, actors.gexin01Staff, policy, t0);
    expect(back.application).toMatchObject({ status: 'in_review', stage: 'city', version: 4, documents: [{ kind: 'labour-contract', ref: 'doc-9' }] });
    expect(back.application.returnedFrom).toBeUndefined();
    expect(back.event).toMatchObject({ action: 'resubmitted', stage: 'community', stageAfter: 'city' });
  });

  it('lets only the community that took it in resubmit, and only while returned', () => {
    const returned = decide(submitted(), { decision: 'return', expectedVersion: 1, comment: 'fix' }, actors.gexinApprover, policy, t0).application;
    expect(() => resubmit(returned, { expectedVersion: 2 }, actors.gexin02Staff, policy, t0)).toThrow(ForbiddenError);
    expect(() => resubmit(submitted(), { expectedVersion: 1 }, actors.gexin01Staff, policy, t0)).toThrow(ConflictError);
  });
});

describe('what the workflow does next', () => {
  it('waits for the stage decision, for resubmission, or finishes', () => {
    expect(nextStep(submitted())).toEqual({ action: 'await-decision', stage: 'street', version: 1 });
    const approved = approve(approve(submitted(), actors.gexinApprover), actors.cityApprover);
    expect(nextStep(approved)).toEqual({ action: 'finish', status: 'approved', version: 3 });
  });

  it('flags an overdue stage once, without changing the version people decide on', () => {
    const app = submitted();
    expect(flagOverdue(app, '2026-12-01T00:00:00.000Z')).toBeUndefined();
    const flagged = flagOverdue(app, '2026-12-14T00:00:00.000Z');
    expect(flagged?.application).toMatchObject({ overdue: true, version: 1, eventSeq: 2 });
    expect(flagged?.event).toMatchObject({ action: 'overdue', actor: { sub: 'system' } });
    expect(flagOverdue(flagged!.application, '2026-12-15T00:00:00.000Z')).toBeUndefined();
  });
});

describe('city policy', () => {
  it('refuses a chain that does not end at the city or repeats a level', () => {
    const base = { cityId: 'city:x', version: 'v', effectiveFrom: '2026-01-01', decisionDeadlineDays: 5, resubmissionDeadlineDays: 5 };
    expect(cityPolicySchema.safeParse({ ...base, approvalChain: ['street'] }).success).toBe(false);
    expect(cityPolicySchema.safeParse({ ...base, approvalChain: ['street', 'street', 'city'] }).success).toBe(false);
    expect(cityPolicySchema.safeParse({ ...base, approvalChain: ['street', 'district', 'city'] }).success).toBe(true);
  });

  it('has no policy in force before the first effective date', () => {
    expect(policyInForce('city:shijiazhuang', '2025-12-31')).toBeUndefined();
  });
});
