/**
 * The ledger's transitions: each takes the entry and household as stored and the request, and
 * answers what to record (the entry and household after it, the event chained onto the history)
 * or refuses with the kernel's domain errors, before anything is written.
 */
import { describe, expect, it } from 'vitest';
import type { Household, LedgerEntry, Registration } from '../../../functions/employment/domain/employment-ledger.js';
import { assertKeepsLedger } from '../../../functions/employment/domain/ledger-lifecycle.js';
import {
  AlreadyRegisteredError,
  checkRegistration,
  registerByApproval,
  registerPerson,
  type StaffRegistration,
} from '../../../functions/employment/domain/registration.js';
import { changeStatus, putInWorkByApproval } from '../../../functions/employment/domain/status-changes.js';
import type { Actor } from '../../../functions/kernel/domain/actor.js';
import { ConflictError, ForbiddenError, InvalidRequestError } from '../../../functions/kernel/domain/errors.js';
import { genesisHash, historyIsIntact } from '../../../functions/kernel/domain/history-chain.js';
import { policyInForce } from '../../../functions/kernel/domain/policies/index.js';
import type { CityPolicy } from '../../../functions/kernel/domain/policy.js';
import { residentIdCheckChar } from '../../../functions/kernel/domain/resident-id.js';

const policy = policyInForce('city:shijiazhuang', '2026-03-01') as CityPolicy;
const path = ['city:shijiazhuang', 'district:xinhua', 'street:gexin', 'community:gexin-01'];
const community = { id: 'community:gexin-01', path };
const staff: Actor = { sub: 'staff-1', role: 'community-staff', unit: 'community:gexin-01' };
const at = '2026-03-10T02:00:00.000Z';
const today = '2026-03-10';
/** A man born 1990-07-07: of working age for decades. */
const first17 = '13010219900707001';
const idNumber = `${first17}${residentIdCheckChar(first17)}`;

const request = (overrides: Partial<Registration> = {}): Registration => ({
  idNumber,
  name: '张伟',
  registeredOn: '2026-03-01',
  certificateHolder: false,
  household: { new: { label: '革新街 1 号' } },
  ...overrides,
});

const staffRegistration = (overrides: Partial<StaffRegistration> = {}): StaffRegistration => ({
  registration: request(),
  actor: staff,
  community,
  policy,
  personKey: 'key-1',
  household: undefined,
  ids: { entry: 'e-1', household: 'h-1' },
  at,
  ...overrides,
});

/** A registered person, unemployed, alone in a zero-employment household (what `registerPerson` records). */
const registered = () => registerPerson(staffRegistration());

describe('registering a person', () => {
  it('records them unemployed from the registration day, masked, in a new household that is a zero-employment family', () => {
    const transition = registered();

    expect(transition.entry).toMatchObject({
      id: 'e-1',
      status: 'unemployed',
      statusSince: '2026-03-01',
      idNumber: '1301**************',
      version: 1,
      eventSeq: 1,
      lastEventHash: transition.event.hash,
    });
    expect(transition.entry.workingAgeUntil > '2040-01').toBe(true);
    expect(transition.household).toMatchObject({
      id: 'h-1',
      label: '革新街 1 号',
      zeroSince: '2026-03-01',
      version: 1,
    });
    expect(transition.event).toMatchObject({ seq: 1, action: 'registered', householdEffect: 'became-zero' });
    expect(transition.event.prevHash).toBe(genesisHash);
    expect(transition).toMatchObject({ priorVersion: 0, priorHouseholdVersion: 0, registration: {} });
  });

  it('refuses a person registered in the city already, naming their entry', () => {
    const { entry } = registered();

    const registeringAgain = () => registerPerson(staffRegistration({ registered: { entryId: entry.id, entry } }));

    expect(registeringAgain).toThrow(AlreadyRegisteredError);
    expect(registeringAgain).toThrow(expect.objectContaining({ kind: 'conflict', existingEntryId: 'e-1' }));
  });

  it('registers again a person who moved away, not before the day they left, naming the entry they held', () => {
    const movedAway: LedgerEntry = { ...registered().entry, status: 'moved-away', statusSince: '2026-03-05' };
    const previously = { entryId: movedAway.id, entry: movedAway };

    const tooEarly = () =>
      registerPerson(
        staffRegistration({ registered: previously, registration: request({ registeredOn: '2026-03-04' }) }),
      );
    const again = registerPerson(
      staffRegistration({
        registered: previously,
        registration: request({ registeredOn: '2026-03-05' }),
        ids: { entry: 'e-2', household: 'h-2' },
      }),
    );

    expect(tooEarly).toThrow(InvalidRequestError);
    expect(again.entry.previousEntryId).toBe('e-1');
    expect(again.registration).toEqual({ replaces: 'e-1' });
  });

  it('refuses a household that is not stored, or is kept by another community', () => {
    const elsewhere: Household = { ...registered().household, communityId: 'community:gexin-02' };

    const missing = () => registerPerson(staffRegistration({ registration: request({ household: { id: 'h-9' } }) }));
    const another = () =>
      registerPerson(staffRegistration({ registration: request({ household: { id: 'h-1' } }), household: elsewhere }));

    expect(missing).toThrow(
      expect.objectContaining({ fieldErrors: [{ field: 'household.id', message: 'no such household' }] }),
    );
    expect(another).toThrow(/kept by community:gexin-02/);
  });

  it('refuses a wrong check digit and a date in the future before anything is read', () => {
    const wrongDigit = `${first17}${residentIdCheckChar(first17) === '1' ? '2' : '1'}`;

    expect(() => checkRegistration({ idNumber: wrongDigit, registeredOn: today }, today)).toThrow(InvalidRequestError);
    expect(() => checkRegistration({ idNumber, registeredOn: '2026-03-11' }, today)).toThrow(/in the future/);
    expect(() => checkRegistration({ idNumber, registeredOn: today }, today)).not.toThrow();
  });

  it('leaves the ledger to community staff', () => {
    const monitor: Actor = { sub: 'monitor-1', role: 'city-monitor', unit: 'city:shijiazhuang' };

    expect(() => assertKeepsLedger(monitor)).toThrow(ForbiddenError);
    expect(() => assertKeepsLedger(staff)).not.toThrow();
  });
});

describe('changing a status', () => {
  const employed = {
    on: '2026-03-08',
    status: 'employed',
    employment: 'enterprise',
    evidence: { kind: 'employment-contract' },
  } as const;

  it('records the change from its day, chained after the last event, and resolves the family', () => {
    const { entry, household, event: first } = registered();

    const transition = changeStatus(entry, household, employed, staff, { today, at });

    expect(transition.entry).toMatchObject({
      status: 'employed',
      employment: 'enterprise',
      statusSince: '2026-03-08',
      version: 2,
    });
    expect(transition.event).toMatchObject({
      seq: 2,
      statusBefore: 'unemployed',
      householdEffect: 'resolved',
      version: 2,
    });
    expect(historyIsIntact([first, transition.event])).toBe(true);
    expect(transition.household.episodes).toEqual([{ from: '2026-03-01', to: '2026-03-08' }]);
    expect(transition).toMatchObject({ priorVersion: 1, priorHouseholdVersion: 1 });
  });

  it('refuses a change made on a version that moved on, naming the current one', () => {
    const { entry, household } = registered();

    const stale = () => changeStatus(entry, household, { ...employed, expectedVersion: 3 }, staff, { today, at });

    expect(stale).toThrow(ConflictError);
    expect(stale).toThrow(expect.objectContaining({ details: { currentVersion: 1 } }));
  });

  it("answers another community's staff as for an entry that does not exist, and refuses a change that changes nothing and a date before the last change", () => {
    const { entry, household } = registered();
    const otherStaff: Actor = { ...staff, unit: 'community:gexin-02' };

    expect(() => changeStatus(entry, household, employed, otherStaff, { today, at })).toThrow(
      expect.objectContaining({ kind: 'not-found', message: `no ledger entry ${entry.id}` }),
    );
    expect(() =>
      changeStatus(entry, household, { on: '2026-03-08', status: 'unemployed', evidence: { kind: 'x' } }, staff, {
        today,
        at,
      }),
    ).toThrow(/already unemployed/);
    expect(() => changeStatus(entry, household, { ...employed, on: '2026-02-28' }, staff, { today, at })).toThrow(
      /before the registration/,
    );
  });
});

describe('a final approval', () => {
  const approval = {
    applicationId: 'app-1',
    programme: 'microloan-guarantee',
    communityId: 'community:gexin-01',
    start: '2026-03',
    approvedOn: '2026-03-09',
  } as const;

  it('puts the person in work from the grant start, linking the application, as the system', () => {
    const { entry, household } = registered();

    const transition = putInWorkByApproval(entry, household, approval, at);

    expect(transition?.entry).toMatchObject({
      status: 'employed',
      employment: 'self-employed',
      applications: ['app-1'],
    });
    expect(transition?.event).toMatchObject({
      on: '2026-03-01',
      actor: { sub: 'system:final-approval', role: 'system', unit: 'community:gexin-01' },
      applicationId: 'app-1',
    });
    expect(transition?.linkedApplication).toBe('app-1');
  });

  it('records nothing for a person who moved away', () => {
    const { entry, household } = registered();

    const transition = putInWorkByApproval({ ...entry, status: 'moved-away' }, household, approval, at);

    expect(transition).toBeUndefined();
  });

  it('registers a person the ledger does not hold on the day the application was submitted, of working age when the facts are unknown', () => {
    const transition = registerByApproval({
      application: {
        id: 'app-1',
        cityId: 'city:shijiazhuang',
        communityId: 'community:gexin-01',
        unitPath: path,
        person: { name: '张伟', idNumber: '1301**************', personKey: 'key-1' },
        submittedOn: '2026-02-20',
      },
      facts: undefined,
      policy,
      actor: { sub: 'system:final-approval', role: 'system', unit: 'community:gexin-01' },
      ids: { entry: 'e-3', household: 'h-3' },
      at,
    });

    expect(transition.entry).toMatchObject({
      registeredOn: '2026-02-20',
      workingAgeUntil: '9999-12',
      householdId: 'h-3',
    });
    expect(transition.event).toMatchObject({
      evidence: { kind: 'subsidy-application', reference: 'app-1' },
      applicationId: 'app-1',
    });
    expect(transition.linkedApplication).toBeUndefined();
  });
});
