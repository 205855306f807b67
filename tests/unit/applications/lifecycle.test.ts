import { describe, expect, it } from 'vitest';
import { deadlineEvent } from '../../../functions/applications/domain/deadline-events.js';
import { availableDecisions, decide } from '../../../functions/applications/domain/decisions.js';
import { submitApplication } from '../../../functions/applications/domain/intake.js';
import type { Application } from '../../../functions/applications/domain/lifecycle.js';
import { nextStep } from '../../../functions/applications/domain/next-step.js';
import { resubmit } from '../../../functions/applications/domain/resubmission.js';
import { withdraw } from '../../../functions/applications/domain/withdrawal.js';
import type { Actor } from '../../../functions/kernel/domain/actor.js';
import type { HistoryEvent } from '../../../functions/kernel/domain/application-events.js';
import {
  ConflictError,
  ForbiddenError,
  InvalidRequestError,
  NotFoundError,
} from '../../../functions/kernel/domain/errors.js';
import { historyIsIntact } from '../../../functions/kernel/domain/history-chain.js';
import { policyInForce } from '../../../functions/kernel/domain/policies/index.js';
import { type CityPolicy, cityPolicySchema } from '../../../functions/kernel/domain/policy.js';
import { addWorkingDays } from '../../../functions/kernel/domain/working-days.js';
import { actors, eligibleParts } from '../../../tools/support/fixtures.js';

const policy = policyInForce('city:shijiazhuang', '2026-11-28') as CityPolicy;
const withDistrict = {
  ...policy,
  version: 'with-district',
  approvalChain: ['street', 'district', 'city'],
} as CityPolicy;
const path = ['city:shijiazhuang', 'district:xinhua', 'street:gexin', 'community:gexin-01'];
const t0 = '2026-11-28T02:00:00.000Z';

function submitted(chainPolicy: CityPolicy = policy): Application {
  return submitApplication(
    {
      id: 'app-1',
      programme: 'post-subsidy',
      communityPath: path,
      applicant: {
        name: '王秀英',
        idNumber: '1301**********0240',
        phone: '13800000001',
        proof: { kind: 'hard-to-employ', number: 'KN-1' },
      },
      applicantKey: 'key',
      ...eligibleParts('post-subsidy'),
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
    expect(app).toMatchObject({
      status: 'in_review',
      stage: 'street',
      version: 1,
      eventSeq: 1,
      policyVersion: policy.version,
    });
    // Saturday 28 November: ten working days are Monday 30 November to Friday 11 December, Shanghai time.
    expect(app.dueAt).toBe('2026-12-11T15:59:59.999Z');
  });

  it('refuses staff of another community and approvers', () => {
    const input = {
      id: 'x',
      programme: 'post-subsidy' as const,
      communityPath: path,
      applicant: submitted().applicant,
      applicantKey: 'k',
      ...eligibleParts('post-subsidy'),
    };
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

  it('answers an approver of another street as for an id that does not exist, and refuses the city before the street has decided', () => {
    // Out of scope: the very refusal a nonexistent id gets, so it confirms nothing.
    expect(() => approve(submitted(), actors.dongfengApprover)).toThrow(
      expect.objectContaining({ kind: 'not-found', message: `no application ${submitted().id}` }),
    );
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
    const { application, event } = decide(
      submitted(),
      { decision: 'reject', expectedVersion: 1, reason: 'not-eligible', comment: '未进行失业登记' },
      actors.gexinApprover,
      policy,
      t0,
    );
    expect(application).toMatchObject({ status: 'rejected', stage: null });
    expect(event).toMatchObject({
      action: 'rejected',
      stage: 'street',
      reason: 'not-eligible',
      comment: '未进行失业登记',
      actor: { sub: actors.gexinApprover.sub },
    });
    expect(() => approve(application, actors.cityApprover)).toThrow(ConflictError);
  });

  it('stores a comment screened: no resident ID, mobile or card number typed into it is kept', () => {
    const { event } = decide(
      submitted(),
      { decision: 'return', expectedVersion: 1, comment: '申请人130105197003010115，电话13812345678，请补充合同' },
      actors.gexinApprover,
      policy,
      t0,
    );
    expect(event.comment).toBe('申请人[身份证号已隐去]，电话[手机号已隐去]，请补充合同');
    expect(JSON.stringify(event)).not.toMatch(/130105197003010115|13812345678/);
    const resubmitted = resubmit(
      decide(submitted(), { decision: 'return', expectedVersion: 1, comment: 'x' }, actors.gexinApprover, policy, t0)
        .application,
      { expectedVersion: 2, comment: '已补充，卡号 6222021234567894' },
      actors.gexin01Staff,
      policy,
      t0,
    );
    expect(resubmitted.event.comment).toBe('已补充，卡号 [银行卡号 尾号7894 已隐去]');
  });

  it('refuses any decision once the application is final', () => {
    const rejected = decide(
      submitted(),
      { decision: 'reject', expectedVersion: 1, reason: 'not-eligible' },
      actors.gexinApprover,
      policy,
      t0,
    ).application;
    expect(() =>
      decide(rejected, { decision: 'approve', expectedVersion: rejected.version }, actors.gexinApprover, policy, t0),
    ).toThrow(ConflictError);
  });
});

describe('return for revision and resubmission', () => {
  it('returns to the community and comes back to the level that returned it', () => {
    const atCity = approve(submitted(), actors.gexinApprover);
    const returned = decide(
      atCity,
      { decision: 'return', expectedVersion: 2, comment: 'attach the contract' },
      actors.cityApprover,
      policy,
      t0,
    ).application;
    expect(returned).toMatchObject({ status: 'returned', stage: 'community', returnedFrom: 'city', returnRound: 1 });
    expect(nextStep(returned)).toEqual({ action: 'await-resubmission', stage: 'community', version: 3 });

    const back = resubmit(
      returned,
      { expectedVersion: 3, documents: [{ kind: 'labour-contract', ref: 'doc-9' }] },
      actors.gexin01Staff,
      policy,
      t0,
    );
    expect(back.application).toMatchObject({
      status: 'in_review',
      stage: 'city',
      version: 4,
      documents: [{ kind: 'labour-contract', ref: 'doc-9' }],
    });
    expect(back.application.returnedFrom).toBeUndefined();
    expect(back.event).toMatchObject({ action: 'resubmitted', stage: 'community', stageAfter: 'city' });
  });

  it('lets only the community that took it in resubmit (another community is told the id does not exist), and only while returned', () => {
    const returned = decide(
      submitted(),
      { decision: 'return', expectedVersion: 1, comment: 'fix' },
      actors.gexinApprover,
      policy,
      t0,
    ).application;
    expect(() => resubmit(returned, { expectedVersion: 2 }, actors.gexin02Staff, policy, t0)).toThrow(NotFoundError);
    expect(() => resubmit(submitted(), { expectedVersion: 1 }, actors.gexin01Staff, policy, t0)).toThrow(ConflictError);
  });
});

describe('what the workflow does next', () => {
  it('waits for the stage decision, for resubmission, or finishes', () => {
    expect(nextStep(submitted())).toEqual({ action: 'await-decision', stage: 'street', version: 1 });
    const approved = approve(approve(submitted(), actors.gexinApprover), actors.cityApprover);
    expect(nextStep(approved)).toEqual({ action: 'finish', status: 'approved', version: 3 });
  });
});

describe('rejection reasons and return rounds', () => {
  it('accepts only the city reason codes, and asks for a comment with "other"', () => {
    const reject = (reason: string, comment?: string) =>
      decide(
        submitted(),
        { decision: 'reject', expectedVersion: 1, reason, comment },
        actors.gexinApprover,
        policy,
        t0,
      );
    expect(() => reject('i-do-not-like-it')).toThrow(InvalidRequestError);
    expect(() => reject('other')).toThrow(InvalidRequestError);
    expect(reject('other', '申请人已死亡').event.reason).toBe('other');
  });

  it('stops offering return once the city cap on rounds is reached', () => {
    let app = submitted();
    for (let round = 1; round <= policy.maxReturnRounds; round++) {
      expect(availableDecisions(app, policy)).toContain('return');
      app = decide(
        app,
        { decision: 'return', expectedVersion: app.version, comment: `round ${round}` },
        actors.gexinApprover,
        policy,
        t0,
      ).application;
      app = resubmit(app, { expectedVersion: app.version }, actors.gexin01Staff, policy, t0).application;
    }
    expect(app.returnRound).toBe(policy.maxReturnRounds);
    expect(availableDecisions(app, policy)).toEqual(['approve', 'reject']);
    expect(() =>
      decide(
        app,
        { decision: 'return', expectedVersion: app.version, comment: 'again' },
        actors.gexinApprover,
        policy,
        t0,
      ),
    ).toThrow(InvalidRequestError);
  });
});

describe('segregation of duties', () => {
  it('refuses a decision by the person who took the application in', () => {
    const staffAsApprover = { sub: actors.gexin01Staff.sub, role: 'street-approver' as const, unit: 'street:gexin' };
    expect(() => approve(submitted(), staffAsApprover)).toThrow(/took the application in/);
  });

  it('refuses one person deciding at two levels', () => {
    const atCity = approve(submitted(), actors.gexinApprover);
    const samePersonAtCity = {
      sub: actors.gexinApprover.sub,
      role: 'city-approver' as const,
      unit: 'city:shijiazhuang',
    };
    expect(() => approve(atCity, samePersonAtCity)).toThrow(/already decided/);
  });
});

describe('withdrawal', () => {
  it('lets the community withdraw an open application, in review or returned', () => {
    const withdrawn = withdraw(submitted(), { expectedVersion: 1, comment: '申请人已就业' }, actors.gexin01Staff, t0);
    expect(withdrawn.application).toMatchObject({ status: 'withdrawn', stage: null, version: 2 });
    expect(withdrawn.event).toMatchObject({ action: 'withdrawn', stage: 'street' });
    expect(nextStep(withdrawn.application).action).toBe('finish');

    const returned = decide(
      submitted(),
      { decision: 'return', expectedVersion: 1, comment: 'fix' },
      actors.gexinApprover,
      policy,
      t0,
    ).application;
    expect(withdraw(returned, { expectedVersion: 2 }, actors.gexin01Staff, t0).application.status).toBe('withdrawn');
  });

  it('refuses withdrawal by others (out of scope: as a nonexistent id) and of a final application', () => {
    expect(() => withdraw(submitted(), { expectedVersion: 1 }, actors.gexin02Staff, t0)).toThrow(NotFoundError);
    expect(() => withdraw(submitted(), { expectedVersion: 1 }, actors.gexinApprover, t0)).toThrow(ForbiddenError);
    const approved = approve(approve(submitted(), actors.gexinApprover), actors.cityApprover);
    expect(() => withdraw(approved, { expectedVersion: 3 }, actors.gexin01Staff, t0)).toThrow(ConflictError);
  });
});

describe('deadlines in working days', () => {
  it('reminds once near the deadline, then flags overdue and escalates to the district, without changing the version', () => {
    const app = submitted(); // due Friday 11 December, end of day Shanghai
    expect(deadlineEvent(app, policy, '2026-12-07T02:00:00.000Z')).toBeUndefined();

    const reminder = deadlineEvent(app, policy, '2026-12-09T02:00:00.000Z');
    expect(reminder?.event).toMatchObject({ action: 'reminded', actor: { sub: 'system' }, version: 1 });
    expect(deadlineEvent(reminder!.application, policy, '2026-12-10T02:00:00.000Z')).toBeUndefined();

    const overdue = deadlineEvent(reminder!.application, policy, '2026-12-14T02:00:00.000Z');
    expect(overdue?.application).toMatchObject({
      overdue: true,
      escalatedTo: 'district:xinhua',
      version: 1,
      eventSeq: 3,
    });
    expect(overdue?.event).toMatchObject({ action: 'overdue', escalatedTo: 'district:xinhua' });
    expect(deadlineEvent(overdue!.application, policy, '2026-12-15T02:00:00.000Z')).toBeUndefined();
  });

  it('records only the overdue event, not a late reminder, for an application woken after its deadline', () => {
    const first = deadlineEvent(submitted(), policy, '2026-12-20T02:00:00.000Z');
    expect(first?.event.action).toBe('overdue');
    expect(deadlineEvent(first!.application, policy, '2026-12-20T02:00:00.000Z')).toBeUndefined();
  });

  it('pauses the stage clock while returned and resumes it with the working days that were left', () => {
    // Returned on Thursday 3 December with 6 working days left (Fri 4 … Fri 11).
    const returned = decide(
      submitted(),
      { decision: 'return', expectedVersion: 1, comment: 'fix' },
      actors.gexinApprover,
      policy,
      '2026-12-03T02:00:00.000Z',
    ).application;
    expect(returned.stageDaysLeft).toBe(6);
    expect(deadlineEvent(returned, policy, '2026-12-14T02:00:00.000Z')).toBeUndefined();

    // Resubmitted Monday 14 December: six working days more is Tuesday 22 December.
    const back = resubmit(
      returned,
      { expectedVersion: 2 },
      actors.gexin01Staff,
      policy,
      '2026-12-14T02:00:00.000Z',
    ).application;
    expect(back.dueAt).toBe('2026-12-22T15:59:59.999Z');
    expect(back.overdue).toBe(false);
  });
});

describe('deadlines counted again when the holiday schedules change', () => {
  // Entered the street stage on Monday 28 September 2026 with 10 working days. Counted with no
  // schedule (as a deadline running into a year not yet published is), it fell due Monday 12
  // October, inside the National Day holidays' aftermath; the 2026 schedule makes it Friday 16
  // October (1–7 October off, Saturday 10 October worked).
  const from = '2026-09-28T02:00:00.000Z';
  const countedWithoutSchedule = addWorkingDays(from, 10, []);
  const waitingSinceSeptember = (): Application => ({
    ...submitted(),
    stageEnteredAt: from,
    deadlineClock: { from, workingDays: 10 },
    dueAt: countedWithoutSchedule,
  });

  it('moves the deadline to what the schedules now give, as a system event that leaves the version alone', () => {
    expect(countedWithoutSchedule).toBe('2026-10-12T15:59:59.999Z');
    const app = waitingSinceSeptember();

    // Woken on Tuesday 13 October, past the deadline as first counted.
    const moved = deadlineEvent(app, policy, '2026-10-13T02:00:00.000Z');

    expect(moved?.event).toMatchObject({
      action: 'rescheduled',
      actor: { sub: 'system' },
      version: 1,
      comment: expect.stringContaining('was 2026-10-12'),
    });
    expect(moved?.application).toMatchObject({
      dueAt: '2026-10-16T15:59:59.999Z',
      overdue: false,
      version: 1,
      eventSeq: app.eventSeq + 1,
    });
    // Three working days are left: neither overdue nor due a reminder yet.
    expect(deadlineEvent(moved!.application, policy, '2026-10-13T02:00:00.000Z')).toBeUndefined();
  });

  it('leaves a deadline that counts the same alone, and an overdue stage as it was escalated', () => {
    expect(deadlineEvent(submitted(), policy, '2026-12-01T02:00:00.000Z')).toBeUndefined();
    const escalated = { ...waitingSinceSeptember(), overdue: true, escalatedTo: 'district:xinhua' };
    expect(deadlineEvent(escalated, policy, '2026-10-13T02:00:00.000Z')).toBeUndefined();
  });
});

describe('tamper-evident history', () => {
  function historyOf(...transitions: { event: HistoryEvent }[]) {
    return transitions.map((t) => t.event);
  }

  it('chains every event to the one before, and notices an edited, removed or reordered event', () => {
    const first = submitApplication(
      {
        id: 'h',
        programme: 'post-subsidy',
        communityPath: path,
        applicant: submitted().applicant,
        applicantKey: 'k',
        ...eligibleParts('post-subsidy'),
      },
      actors.gexin01Staff,
      policy,
      t0,
    );
    const second = decide(
      first.application,
      { decision: 'approve', expectedVersion: 1 },
      actors.gexinApprover,
      policy,
      t0,
    );
    const third = decide(
      second.application,
      { decision: 'reject', expectedVersion: 2, reason: 'not-eligible' },
      actors.cityApprover,
      policy,
      t0,
    );
    const history = historyOf(first, second, third);
    expect(historyIsIntact(history)).toBe(true);

    expect(
      historyIsIntact([
        history[0]!,
        { ...history[1]!, actor: { ...history[1]!.actor, sub: 'someone-else' } },
        history[2]!,
      ]),
    ).toBe(false);
    expect(historyIsIntact([history[0]!, history[2]!])).toBe(false);
    expect(historyIsIntact([history[1]!, history[0]!, history[2]!])).toBe(false);
  });
});

describe('city policy', () => {
  it('refuses a chain that does not end at the city or repeats a level', () => {
    const base = {
      cityId: 'city:x',
      version: 'v',
      effectiveFrom: '2026-01-01',
      decisionDeadlineWorkingDays: 5,
      reminderWorkingDaysBefore: 1,
      resubmissionDeadlineWorkingDays: 5,
      rejectionReasons: [
        { code: 'other', zh: '其他', en: 'Other' },
        { code: 'ineligible', zh: '不符合条件', en: 'Ineligible' },
      ],
      retirementAge: policy.retirementAge,
      programmes: policy.programmes,
    };
    expect(cityPolicySchema.safeParse({ ...base, approvalChain: ['street'] }).success).toBe(false);
    expect(cityPolicySchema.safeParse({ ...base, approvalChain: ['street', 'street', 'city'] }).success).toBe(false);
    expect(cityPolicySchema.safeParse({ ...base, approvalChain: ['street', 'district', 'city'] }).success).toBe(true);
  });

  it('has no policy in force before the first effective date', () => {
    expect(policyInForce('city:shijiazhuang', '2025-12-31')).toBeUndefined();
  });
});
