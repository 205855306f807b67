/**
 * The employment ledger's routes (one entry file each, see `routes.ts`): community staff register
 * people and record their status changes; anyone whose unit covers the community reads it, with
 * personal fields only for the community's own staff (`domain/privacy.ts`).
 *
 * Registering: 1. the actor is community staff; 2. the body is checked (422 naming the field);
 * 3. the person's keyed hash and sealed number are made, their working age worked out from the
 * number under the city's policy; 4. the household is new or one of the same community (422 if of
 * another city or community); 5. one transaction records it all, or 409 names the existing entry.
 */

import { randomUUID } from 'node:crypto';
import {
  type ActorResolution,
  type PolicyRepository,
  policyRepository,
  productionActorResolver,
  type UnitRepository,
  unitRepository,
} from '../../administration/index.js';
import {
  maskName,
  type ResidentIdKeyDependency,
  residentIdKeyDependency,
  shownResidentId,
} from '../../applications/index.js';
import { historyMacFromEnvironment } from '../../kernel/adapters/history-mac.js';
import { residentIdVaultFromEnvironment } from '../../kernel/adapters/resident-id-vault.js';
import type { Actor } from '../../kernel/domain/actor.js';
import { shanghaiDate } from '../../kernel/domain/dates.js';
import { ConflictError, ForbiddenError, InvalidRequestError, NotFoundError } from '../../kernel/domain/errors.js';
import type { CityPolicy } from '../../kernel/domain/policy.js';
import { maskResidentId, residentIdFacts, residentIdProblem } from '../../kernel/domain/resident-id.js';
import { residentIdKey } from '../../kernel/domain/resident-id-key.js';
import {
  type HttpEvent,
  HttpProblem,
  httpHandler,
  json,
  jsonBody,
  pathParameter,
  validated,
} from '../../kernel/http/http.js';
import { tableFromEnvironment } from '../../kernel/store/table.js';
import {
  assertChangeDate,
  assertChanges,
  assertRegistrationDate,
  assertSameHousehold,
  entryAfterChange,
  type Household,
  mayRegisterAgain,
  registrationSchema,
  retirementMonthOf,
  statusChangeSchema,
} from '../domain/employment-ledger.js';
import {
  type ChangedLedgerEntry,
  householdView,
  type LedgerEntryPage,
  type LedgerEntryView,
  type LedgerEventView,
  type LedgerList,
  type RegisteredLedgerEntry,
} from '../domain/ledger-views.js';
import {
  AlreadyRegisteredError,
  type EmploymentLedgerRepository,
  employmentLedgerRepository,
  type LedgerEvent,
  LedgerWriteConflictError,
  recordChange,
  type StoredLedgerEntry,
} from '../store/employment-ledger.js';
import { ledgerListQuerySchema } from './request-schemas.js';

export interface LedgerDependencies extends ActorResolution {
  ledger: EmploymentLedgerRepository;
  units: Pick<UnitRepository, 'get'>;
  policies: Pick<PolicyRepository, 'inForce'>;
  now: () => Date;
  newId: () => string;
}

/** Registration also hashes and seals the resident ID: only its function holds the key and the seal. */
export interface LedgerRegistrationDependencies extends LedgerDependencies, ResidentIdKeyDependency {
  sealResidentId: (clear: string) => Promise<string>;
}

export function productionLedgerDependencies(): LedgerDependencies {
  const table = tableFromEnvironment();
  return {
    resolveActor: productionActorResolver(),
    ledger: employmentLedgerRepository(table, historyMacFromEnvironment()),
    units: unitRepository(table),
    policies: policyRepository(table),
    now: () => new Date(),
    newId: randomUUID,
  };
}

export async function productionLedgerRegistrationDependencies(): Promise<LedgerRegistrationDependencies> {
  return {
    ...productionLedgerDependencies(),
    ...(await residentIdKeyDependency()),
    sealResidentId: (clear) => residentIdVaultFromEnvironment()(clear),
  };
}

/** The entry as the actor may see it: the community's own staff see the person; others see them masked. */
/** `forThePerson`: the person's own export (PIPL art. 45), where what is held about them is shown as held. */
export function ledgerEntryView(entry: StoredLedgerEntry, actor: Actor, forThePerson = false): LedgerEntryView {
  const identified = forThePerson || (actor.role === 'community-staff' && actor.unit === entry.communityId);
  // Never the working-age month: with the sex and the city's schedule it narrows the ID towards a birth date.
  const { personKey: _key, headMac: _mac, lastEventHash: _hash, phone, name, workingAgeUntil: _until, ...rest } = entry;
  return {
    ...rest,
    idNumber: shownResidentId(entry.idNumber),
    name: identified ? name : maskName(name),
    ...(identified && phone ? { phone } : {}),
    personalData: identified ? 'identified' : 'masked',
  };
}

/** The evidence and actor of an event are the staff's (no personal data of the person); kept as they are. */
const eventView = (e: LedgerEvent): LedgerEventView => e;

async function unitOf(deps: Pick<LedgerDependencies, 'units'>, id: string) {
  const unit = await deps.units.get(id);
  if (!unit) throw new ForbiddenError(`${id} is not a unit of any city`);
  return unit;
}

function assertCommunityStaff(actor: Actor): void {
  if (actor.role !== 'community-staff')
    throw new ForbiddenError(`the ${actor.role} role does not keep the ledger; community staff do`);
}

/** Reads are for anyone whose unit covers the entry's community. */
function assertCovers(actor: Actor, unitPath: readonly string[]): void {
  if (!unitPath.includes(actor.unit)) throw new ForbiddenError(`the entry is outside ${actor.unit}`);
}

async function policyOf(deps: Pick<LedgerDependencies, 'policies'>, cityId: string, on: string): Promise<CityPolicy> {
  const policy = await deps.policies.inForce(cityId, on);
  if (!policy) throw new InvalidRequestError(`no policy of ${cityId} is in force on ${on}`);
  return policy;
}

export function makeRegisterLedgerEntry(deps: LedgerRegistrationDependencies) {
  return httpHandler(async (event) => {
    const actor = await deps.resolveActor(event);
    assertCommunityStaff(actor);
    const body = validated(registrationSchema, jsonBody(event));
    const idProblem = residentIdProblem(body.idNumber);
    if (idProblem) throw new InvalidRequestError(idProblem, [{ field: 'idNumber', message: idProblem }]);
    const today = shanghaiDate(deps.now());
    assertRegistrationDate(body.registeredOn, today);
    const community = await unitOf(deps, actor.unit);
    const cityId = community.path[0] as string;
    const policy = await policyOf(deps, cityId, today);
    const personKey = residentIdKey(body.idNumber, deps.residentIdSecret);
    const existing = await deps.ledger.registeredEntryOf(personKey, cityId);
    const previous = existing ? await deps.ledger.entry(existing) : undefined;
    if (existing && !(previous && mayRegisterAgain(previous, body.registeredOn))) throw alreadyRegistered(existing);

    let household: Household;
    if ('id' in body.household) {
      const found = await deps.ledger.household(body.household.id);
      if (!found)
        throw new InvalidRequestError(`no household ${body.household.id}`, [
          { field: 'household.id', message: 'no such household' },
        ]);
      assertSameHousehold(found, cityId, community.id);
      household = found;
    } else {
      household = {
        id: deps.newId(),
        cityId,
        communityId: community.id,
        unitPath: community.path,
        ...(body.household.new.label ? { label: body.household.new.label } : {}),
        members: {},
        episodes: [],
        version: 0,
      };
    }
    const at = deps.now().toISOString();
    const entry: StoredLedgerEntry = {
      id: deps.newId(),
      cityId,
      communityId: community.id,
      unitPath: community.path,
      householdId: household.id,
      registeredOn: body.registeredOn,
      status: 'unemployed',
      statusSince: body.registeredOn,
      workingAgeUntil: retirementMonthOf(residentIdFacts(body.idNumber), policy),
      certificateHolder: body.certificateHolder,
      version: 1,
      name: body.name,
      ...(body.phone ? { phone: body.phone } : {}),
      idNumber: maskResidentId(body.idNumber),
      personKey,
      eventSeq: 0,
      lastEventHash: 'GENESIS',
      applications: [],
      updatedAt: at,
      ...(previous ? { previousEntryId: previous.id } : {}),
    };
    try {
      const recorded = await deps.ledger.record({
        entry,
        priorVersion: 0,
        household,
        priorHouseholdVersion: household.version,
        event: {
          at,
          on: body.registeredOn,
          action: 'registered',
          actor,
          status: 'unemployed',
          certificateHolder: body.certificateHolder,
          ...(body.evidence ? { evidence: body.evidence } : {}),
          unitPath: community.path,
          householdId: household.id,
        },
        registration: {
          sealedIdNumber: await deps.sealResidentId(body.idNumber),
          ...(previous ? { replaces: previous.id } : {}),
        },
      });
      return json(201, {
        ...ledgerEntryView(recorded.entry, actor),
        household: householdView(recorded.household),
      } satisfies RegisteredLedgerEntry);
    } catch (error) {
      if (error instanceof AlreadyRegisteredError) throw alreadyRegistered(error.existingEntryId);
      if (error instanceof LedgerWriteConflictError)
        throw new ConflictError('the household changed while the person was registered; try again');
      throw error;
    }
  });
}

const alreadyRegistered = (existingEntryId: string) =>
  new HttpProblem(
    409,
    'Already registered',
    `this person is registered in the city's ledger already, as entry ${existingEntryId}`,
    [{ field: 'idNumber', message: `registered already as ${existingEntryId}` }],
    { existingEntryId },
  );

export function makeChangeLedgerStatus(deps: LedgerDependencies) {
  return httpHandler(async (event) => {
    const actor = await deps.resolveActor(event);
    assertCommunityStaff(actor);
    const id = pathParameter(event, 'id');
    const change = validated(statusChangeSchema, jsonBody(event));
    const today = shanghaiDate(deps.now());
    try {
      const recorded = await recordChange(deps.ledger, id, (entry, household) => {
        if (entry.communityId !== actor.unit) throw new ForbiddenError(`entry ${id} is kept by ${entry.communityId}`);
        if (change.expectedVersion !== undefined && change.expectedVersion !== entry.version)
          throw new ConflictError(`entry ${id} is at version ${entry.version}, not ${change.expectedVersion}`, {
            currentVersion: entry.version,
          });
        assertChanges(entry, change);
        assertChangeDate(entry, change.on, today);
        const next = entryAfterChange(entry, change);
        return {
          entry: { ...next, updatedAt: deps.now().toISOString() },
          priorVersion: entry.version,
          household,
          priorHouseholdVersion: household.version,
          event: {
            at: deps.now().toISOString(),
            on: change.on,
            action: 'status-changed',
            actor,
            statusBefore: entry.status,
            status: change.status,
            ...(change.employment ? { employment: change.employment } : {}),
            certificateHolder: entry.certificateHolder,
            evidence: change.evidence,
            unitPath: entry.unitPath,
            householdId: entry.householdId,
          },
        };
      });
      if (!recorded) throw new NotFoundError(`no ledger entry ${id}`);
      return json(200, {
        ...ledgerEntryView(recorded.entry, actor),
        household: householdView(recorded.household),
        event: eventView(recorded.event),
      } satisfies ChangedLedgerEntry);
    } catch (error) {
      if (error instanceof LedgerWriteConflictError)
        throw new ConflictError(`entry ${id} changed while this change was written; reload it and try again`);
      throw error;
    }
  });
}

export function makeGetLedgerEntry(deps: LedgerDependencies) {
  return httpHandler(async (event) => {
    const actor = await deps.resolveActor(event);
    const id = pathParameter(event, 'id');
    const entry = await deps.ledger.entry(id);
    if (!entry) throw new NotFoundError(`no ledger entry ${id}`);
    assertCovers(actor, entry.unitPath);
    const household = await deps.ledger.household(entry.householdId);
    const history = await deps.ledger.verifiedHistory(entry);
    return json(200, {
      ...ledgerEntryView(entry, actor),
      ...(household ? { household: householdView(household) } : {}),
      history: history.events.map(eventView),
      historyIntact: history.intact,
      ...(history.findings.length ? { historyFindings: history.findings } : {}),
    } satisfies LedgerEntryPage);
  });
}

/** The actor's community, or the one the query names (which the actor's unit must cover). */
async function communityOfQuery(deps: LedgerDependencies, actor: Actor, event: HttpEvent) {
  const query = validated(ledgerListQuerySchema, event.queryStringParameters ?? {});
  const communityId = query.community ?? actor.unit;
  if (!communityId.startsWith('community:'))
    throw new InvalidRequestError('name the community', [
      { field: 'community', message: 'required above community level' },
    ]);
  const community = await unitOf(deps, communityId);
  assertCovers(actor, community.path);
  return { query, community };
}

export function makeListLedgerEntries(deps: LedgerDependencies) {
  return httpHandler(async (event) => {
    const actor = await deps.resolveActor(event);
    const { query, community } = await communityOfQuery(deps, actor, event);
    const { entries, households } = await deps.ledger.community(community.id);
    const byHousehold = new Map(households.map((h) => [h.id, h]));
    const shown = entries
      .filter((e) => !query.status || e.status === query.status)
      .filter((e) => {
        if (!query.zeroEmployment) return true;
        const h = byHousehold.get(e.householdId);
        return query.zeroEmployment === 'open' ? h?.zeroSince !== undefined : (h?.episodes.some((x) => x.to) ?? false);
      })
      .sort((a, b) =>
        a.registeredOn < b.registeredOn ? -1 : a.registeredOn > b.registeredOn ? 1 : a.id < b.id ? -1 : 1,
      );
    return json(200, {
      community: community.id,
      count: shown.length,
      entries: shown.map((e) => ledgerEntryView(e, actor)),
      households: households
        .filter((h) => !query.zeroEmployment || shown.some((e) => e.householdId === h.id))
        .map(householdView),
    } satisfies LedgerList);
  });
}
