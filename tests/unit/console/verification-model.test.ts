/**
 * What the console makes of the checks against other offices' records: what holds an approval,
 * which 409 is the verification's, the fields a refusal marks, the disposition's body and the
 * monthly re-check's figures.
 */
import { describe, expect, it } from 'vitest';
import type { ApplicationVerificationView, Problem, ShownCheck } from '../../../console/src/api.js';
import {
  approvalHold,
  checkSentence,
  dispositionBody,
  isHeldByVerification,
  monthJustEnded,
  pendingGrants,
  pendingSources,
  presetRejectionReason,
  refusedByVerification,
  refusingChecks,
  suspensionReason,
  verificationFieldErrors,
} from '../../../console/src/verification-model.js';

const check = (over: Partial<ShownCheck> & Pick<ShownCheck, 'check' | 'source'>): ShownCheck => ({
  outcome: 'passed',
  onMismatch: 'flag',
  asOf: '2026-11-27',
  reason: { zh: '理由', en: 'reason' },
  figures: {},
  ...over,
});

const verification = (over: Partial<ApplicationVerificationView> = {}): ApplicationVerificationView => ({
  checkedAt: '2026-11-28T02:00:00Z',
  results: [check({ check: 'deceased', source: 'deaths' })],
  ...over,
});

describe('what holds an approval', () => {
  it('is nothing when every check passed and no suspicion stands', () => {
    expect(approvalHold({ verification: verification() })).toBeUndefined();
    expect(approvalHold({})).toBeUndefined();
  });

  it('is an open or a confirmed suspicion, before anything waiting on data', () => {
    const results = [check({ check: 'drawing-pension', source: 'pensions', outcome: 'pending' })];
    expect(approvalHold({ verification: verification({ results, suspicion: { id: 's-1', status: 'open' } }) })).toEqual(
      { kind: 'suspicion-open', suspicionId: 's-1' },
    );
    expect(approvalHold({ verification: verification({ suspicion: { id: 's-1', status: 'confirmed' } }) })).toEqual({
      kind: 'suspicion-confirmed',
      suspicionId: 's-1',
    });
    expect(approvalHold({ verification: verification({ suspicion: { id: 's-1', status: 'cleared' } }) })).toBe(
      undefined,
    );
  });

  it('names each source a pending check waits on, once', () => {
    const results = [
      check({ check: 'drawing-pension', source: 'pensions', outcome: 'pending' }),
      check({ check: 'contributions-stopped', source: 'contributions', outcome: 'pending' }),
      check({ check: 'other-employer-contributions', source: 'contributions', outcome: 'pending' }),
      check({ check: 'deceased', source: 'deaths' }),
    ];
    expect(pendingSources({ results })).toEqual(['pensions', 'contributions']);
    expect(approvalHold({ verification: verification({ results }) })).toEqual({
      kind: 'waiting',
      sources: ['pensions', 'contributions'],
    });
  });

  it('takes the view’s word that it waits on data, even without the pending checks', () => {
    expect(approvalHold({ verification: verification(), waitingOnData: true })).toEqual({
      kind: 'waiting',
      sources: [],
    });
  });

  it('presets the rejection reason only after a confirmed suspicion', () => {
    expect(presetRejectionReason({ verification: verification({ suspicion: { id: 's', status: 'confirmed' } }) })).toBe(
      'verification-confirmed',
    );
    expect(presetRejectionReason({ verification: verification({ suspicion: { id: 's', status: 'open' } }) })).toBe(
      undefined,
    );
  });
});

describe('a 409', () => {
  it('is the verification’s when its type, its suspicion or its pending checks say so', () => {
    expect(isHeldByVerification({ status: 409, type: '/problems/held-by-verification' }, 3)).toBe(true);
    expect(isHeldByVerification({ status: 409, suspicionId: 's-1', currentVersion: 4 }, 3)).toBe(true);
    expect(isHeldByVerification({ status: 409, pendingChecks: [], currentVersion: 4 }, 3)).toBe(true);
  });

  it('is the verification’s when the version has not moved', () => {
    expect(isHeldByVerification({ status: 409, type: '/problems/conflict', currentVersion: 3 }, 3)).toBe(true);
  });

  it('is someone else’s decision when the version moved on, and nothing else is a 409', () => {
    expect(isHeldByVerification({ status: 409, type: '/problems/conflict', currentVersion: 4 }, 3)).toBe(false);
    expect(isHeldByVerification({ status: 422, suspicionId: 's' }, 3)).toBe(false);
    expect(isHeldByVerification(undefined, 3)).toBe(false);
  });
});

describe('a refusal by the checks', () => {
  const deregistered = check({
    check: 'firm-deregistered',
    source: 'entities',
    outcome: 'mismatch',
    onMismatch: 'refuse',
    asOf: '2026-11-27',
    figures: { 注销日期: '2026-06-30' },
  });
  const elsewhere = check({
    check: 'grant-elsewhere',
    source: 'grantsElsewhere',
    outcome: 'mismatch',
    onMismatch: 'refuse',
  });
  const problem: Problem = {
    status: 422,
    type: '/problems/refused-by-verification',
    errors: [
      { field: 'details.business.licenceNo', message: 'firm-deregistered: The firm is deregistered — 市场主体登记' },
      { field: 'details.period', message: 'grant-elsewhere: Granted elsewhere — 省内其他城市补贴' },
    ],
    verification: [deregistered, elsewhere, check({ check: 'deceased', source: 'deaths' })],
  };

  it('is told from another 422 by its type', () => {
    expect(refusedByVerification(problem)).toHaveLength(3);
    expect(refusedByVerification({ status: 422, type: '/problems/the-request-breaks-a-rule' })).toBeUndefined();
    expect(refusingChecks(refusedByVerification(problem) ?? []).map((r) => r.check)).toEqual([
      'firm-deregistered',
      'grant-elsewhere',
    ]);
  });

  it('marks the fields the checks judged, in Chinese, on the form’s own paths', () => {
    const errors = verificationFieldErrors(problem, 'zh', [
      'details.business.licenceNo',
      'details.period.start',
      'details.period.months',
    ]);
    expect(errors).toEqual({
      'details.business.licenceNo': '市场主体已注销或查无登记（市场主体登记，数据截至 2026-11-27）',
      'details.period.start': '省内其他城市已享受同类补贴（省内其他城市补贴，数据截至 2026-11-27）',
    });
  });

  it('says a check in English with the source named as asked', () => {
    expect(checkSentence(deregistered, 'en', () => 'Market-entity registry')).toBe(
      'The firm is deregistered or not registered — Market-entity registry, as of 2026-11-27',
    );
  });

  it('marks nothing for any other refusal', () => {
    expect(verificationFieldErrors({ status: 422, errors: problem.errors }, 'zh', [])).toEqual({});
  });
});

describe('a disposition', () => {
  it('clears only with the evidence and its reference', () => {
    expect(dispositionBody({ outcome: 'cleared', reference: '  ', comment: '' }, 2)).toBeUndefined();
    expect(
      dispositionBody(
        { outcome: 'cleared', evidenceKind: 'on-site-visit', reference: ' 走访-0012 ', comment: ' 本人在岗 ' },
        2,
      ),
    ).toEqual({
      outcome: 'cleared',
      evidence: { kind: 'on-site-visit', reference: '走访-0012' },
      comment: '本人在岗',
      expectedVersion: 2,
    });
  });

  it('confirms on the records alone, and waits for an outcome', () => {
    expect(dispositionBody({ outcome: 'confirmed', reference: '', comment: '' }, 5)).toEqual({
      outcome: 'confirmed',
      expectedVersion: 5,
    });
    expect(dispositionBody({ evidenceKind: 'document', reference: 'x', comment: '' }, 5)).toBeUndefined();
  });
});

describe('the monthly re-check', () => {
  it('counts the grants waiting on data, however the report gives them', () => {
    expect(pendingGrants(3)).toBe(3);
    expect(pendingGrants({ grants: 2, checks: 5 })).toBe(2);
  });

  it('says why a grant was suspended', () => {
    expect(suspensionReason({ check: 'deceased', figures: { 死亡日期: '2026-09-03' } }, 'zh')).toBe(
      '本人已死亡（死亡日期: 2026-09-03）',
    );
    expect(suspensionReason({ check: 'drawing-pension' }, 'en')).toBe('Draws a pension');
    expect(suspensionReason({ zh: '已死亡', en: 'Died' }, 'en')).toBe('Died');
    expect(suspensionReason('deceased', 'zh')).toBe('deceased');
  });

  it('starts with the month just ended in Shanghai', () => {
    expect(monthJustEnded(new Date('2026-12-01T10:00:00Z'))).toBe('2026-11');
    expect(monthJustEnded(new Date('2026-11-30T17:00:00Z'))).toBe('2026-11');
    expect(monthJustEnded(new Date('2027-01-15T00:00:00Z'))).toBe('2026-12');
  });
});
