/**
 * Registering a person in the ledger (rule 1 of `employment-ledger.ts`): by their community's
 * staff, from the request, or by a final approval of a person the ledger did not hold yet.
 *
 * 1. The resident ID is a real one and the registration is not dated in the future (checked
 *    before anything is read).
 * 2. A person registered in the city already is refused, naming the entry, unless they moved
 *    away: then the community they moved to registers them again, not before the day they left.
 * 3. The household is a new one, or one of the registering community (rule 3).
 * 4. The person is registered unemployed on that day, their working age worked out from the ID
 *    under the city's policy, and the household recomputed (rule 4).
 */
import type { Actor } from '../../kernel/domain/actor.js';
import { DomainError, type FieldError, InvalidRequestError } from '../../kernel/domain/errors.js';
import { screenFreeText } from '../../kernel/domain/free-text.js';
import { genesisHash } from '../../kernel/domain/history-chain.js';
import type { CityPolicy } from '../../kernel/domain/policy.js';
import {
  maskResidentId,
  type ResidentIdFacts,
  residentIdFacts,
  residentIdProblem,
} from '../../kernel/domain/resident-id.js';
import type { Unit } from '../../kernel/domain/units.js';
import {
  type Evidence,
  type Household,
  type LedgerEntry,
  type LedgerEntryState,
  type Registration,
  refusal,
  retirementMonthOf,
  screenedEvidence,
} from './employment-ledger.js';
import { assertSameHousehold, type LedgerPlace, newHousehold } from './households.js';
import { type LedgerTransition, recorded } from './ledger-lifecycle.js';

/** The person is registered in this city already: 409 naming the entry. */
export class AlreadyRegisteredError extends DomainError {
  readonly kind = 'conflict';
  // Its own problem type (`/problems/already-registered`): the client shows the entry it names.
  override readonly title = 'Already registered';
  readonly fieldErrors: FieldError[];
  readonly details: { existingEntryId: string };
  constructor(readonly existingEntryId: string) {
    super(`this person is registered in the city's ledger already, as entry ${existingEntryId}`);
    this.fieldErrors = [{ field: 'idNumber', message: `registered already as ${existingEntryId}` }];
    this.details = { existingEntryId };
  }
}

/** Step 1: what is refused before anything is read (422 naming the field). */
export function checkRegistration(registration: Pick<Registration, 'idNumber' | 'registeredOn'>, today: string) {
  const idProblem = residentIdProblem(registration.idNumber);
  if (idProblem) throw new InvalidRequestError(idProblem, [{ field: 'idNumber', message: idProblem }]);
  if (registration.registeredOn > today)
    throw refusal('registeredOn', `${registration.registeredOn} is in the future (today is ${today})`);
}

/**
 * Step 2: whether a person registered in the city already may be registered again: only once they
 * moved away from that community, and not before the day they left.
 */
export function mayRegisterAgain(
  previous: Pick<LedgerEntryState, 'id' | 'status' | 'statusSince'>,
  registeredOn: string,
): boolean {
  if (previous.status !== 'moved-away') return false;
  if (registeredOn < previous.statusSince)
    throw refusal(
      'registeredOn',
      `the person moved away from their last community on ${previous.statusSince}; register them here on that day or later`,
    );
  return true;
}

/** A person as the ledger holds them: never the clear resident ID. */
export interface LedgerPerson {
  name: string;
  phone?: string;
  /** Masked. */
  idNumber: string;
  personKey: string;
}

/** Registers a new entry, unemployed from `registeredOn`, in `household` (new or the community's). */
function recordRegistration(input: {
  entryId: string;
  place: LedgerPlace;
  household: Household;
  registeredOn: string;
  workingAgeUntil: string;
  certificateHolder: boolean;
  person: LedgerPerson;
  /** The entry the person moved away from, which this one replaces. */
  replaces?: string;
  actor: LedgerTransition['event']['actor'];
  evidence?: Evidence;
  applicationId?: string;
  at: string;
}): LedgerTransition {
  const { place, household, registeredOn, certificateHolder, person, replaces, at } = input;
  const entry: LedgerEntry = {
    id: input.entryId,
    cityId: place.cityId,
    communityId: place.communityId,
    unitPath: place.unitPath,
    householdId: household.id,
    registeredOn,
    status: 'unemployed',
    statusSince: registeredOn,
    workingAgeUntil: input.workingAgeUntil,
    certificateHolder,
    version: 1,
    name: person.name,
    ...(person.phone ? { phone: person.phone } : {}),
    idNumber: person.idNumber,
    personKey: person.personKey,
    eventSeq: 0,
    lastEventHash: genesisHash,
    applications: [],
    updatedAt: at,
    ...(replaces ? { previousEntryId: replaces } : {}),
  };
  return recorded({
    entry,
    priorVersion: 0,
    household,
    event: {
      at,
      on: registeredOn,
      action: 'registered',
      actor: input.actor,
      status: 'unemployed',
      certificateHolder,
      ...(input.evidence ? { evidence: input.evidence } : {}),
      ...(input.applicationId ? { applicationId: input.applicationId } : {}),
      unitPath: place.unitPath,
      householdId: household.id,
    },
    registration: replaces ? { replaces } : {},
  });
}

/** A registration by community staff, as `checkRegistration` passed it, with what it names as stored. */
export interface StaffRegistration {
  registration: Registration;
  /** Community staff of `community` (`assertKeepsLedger`). */
  actor: Actor;
  community: Pick<Unit, 'id' | 'path'>;
  /** The city's policy in force: the person's working age is read under it. */
  policy: CityPolicy;
  /** The keyed hash of the resident ID. */
  personKey: string;
  /** What the city's marker holds for the person: the entry it names, and that entry as stored. */
  registered?: { entryId: string; entry: LedgerEntry | undefined };
  /** The household the registration names, as stored (undefined when it asks for a new one, or none is stored). */
  household: Household | undefined;
  /** The new entry's id, and the new household's (used when the registration asks for one). */
  ids: { entry: string; household: string };
  at: string;
}

/** Steps 2 to 4 for community staff. */
export function registerPerson(input: StaffRegistration): LedgerTransition {
  const { registration: body, community, registered } = input;
  const place = { cityId: community.path[0] as string, communityId: community.id, unitPath: community.path };
  const previous = registered?.entry;
  if (registered && !(previous && mayRegisterAgain(previous, body.registeredOn)))
    throw new AlreadyRegisteredError(registered.entryId);
  let household: Household;
  if ('id' in body.household) {
    if (!input.household)
      throw new InvalidRequestError(`no household ${body.household.id}`, [
        { field: 'household.id', message: 'no such household' },
      ]);
    assertSameHousehold(input.household, place.cityId, place.communityId);
    household = input.household;
  } else {
    // The label (an address, a note) is free text: screened as comments are.
    const label = body.household.new.label;
    household = newHousehold(input.ids.household, place, label === undefined ? undefined : screenFreeText(label));
  }
  return recordRegistration({
    entryId: input.ids.entry,
    place,
    household,
    registeredOn: body.registeredOn,
    workingAgeUntil: retirementMonthOf(residentIdFacts(body.idNumber), input.policy),
    certificateHolder: body.certificateHolder,
    person: {
      name: body.name,
      ...(body.phone ? { phone: body.phone } : {}),
      idNumber: maskResidentId(body.idNumber),
      personKey: input.personKey,
    },
    ...(previous ? { replaces: previous.id } : {}),
    actor: input.actor,
    ...(body.evidence ? { evidence: screenedEvidence(body.evidence) } : {}),
    at: input.at,
  });
}

/** A person a final approval names whom the ledger does not hold (or who moved away): what the application tells. */
export interface ApprovalRegistration {
  application: LedgerPlace & { id: string; person: LedgerPerson; submittedOn: string };
  /** Birth date and sex, when the application holds them; without them working age is assumed. */
  facts: ResidentIdFacts | undefined;
  policy: CityPolicy;
  /** The entry of a community the person moved away from: this one replaces it. */
  movedFrom?: Pick<LedgerEntryState, 'id' | 'statusSince'>;
  /** Who records it: the approval (`approvalActor`). */
  actor: LedgerTransition['event']['actor'];
  ids: { entry: string; household: string };
  at: string;
}

/**
 * Registered by a final approval where the application was taken in, in a household of their own,
 * as unemployed on the day it was submitted (what the subsidy presumed), or the day they left
 * their last community when that was later (an application may precede the move's record).
 */
export function registerByApproval(input: ApprovalRegistration): LedgerTransition {
  const { application, movedFrom } = input;
  const { submittedOn } = application;
  const registeredOn = movedFrom && movedFrom.statusSince > submittedOn ? movedFrom.statusSince : submittedOn;
  const place = { cityId: application.cityId, communityId: application.communityId, unitPath: application.unitPath };
  return recordRegistration({
    entryId: input.ids.entry,
    place,
    household: newHousehold(input.ids.household, place),
    registeredOn,
    // Without the sealed facts (an application older than them) nobody can tell: working age is assumed.
    workingAgeUntil: input.facts ? retirementMonthOf(input.facts, input.policy) : '9999-12',
    certificateHolder: false,
    person: application.person,
    ...(movedFrom ? { replaces: movedFrom.id } : {}),
    actor: input.actor,
    evidence: { kind: 'subsidy-application', reference: application.id },
    applicationId: application.id,
    at: input.at,
  });
}
