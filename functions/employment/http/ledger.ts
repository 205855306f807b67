/**
 * The employment ledger's routes (one entry file each, see `routes.ts`): community staff register
 * people and record their status changes; anyone whose unit covers the community reads it, with
 * personal fields only for the community's own staff (`domain/privacy.ts`).
 *
 * Each write is parse → load → the domain's transition (`domain/registration.ts`,
 * `domain/status-changes.ts`: the rules, and what to record) → one transaction → answer. Only the
 * registering function holds the resident-ID key (the keyed hash) and the vault (the sealed number).
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
import { residentIdKey } from '../../kernel/domain/resident-id-key.js';
import { type HttpEvent, httpHandler, json, jsonBody, pathParameter, validated } from '../../kernel/http/http.js';
import { readAuditRepository } from '../../kernel/store/read-audit.js';
import { tableFromEnvironment } from '../../kernel/store/table.js';
import { type LedgerEvent, registrationSchema, statusChangeSchema } from '../domain/employment-ledger.js';
import { assertKeepsLedger } from '../domain/ledger-lifecycle.js';
import {
  type ChangedLedgerEntry,
  householdView,
  type LedgerAccess,
  type LedgerEntryPage,
  type LedgerEntryView,
  type LedgerEventView,
  type LedgerList,
  type RegisteredLedgerEntry,
} from '../domain/ledger-views.js';
import { checkRegistration, registerPerson } from '../domain/registration.js';
import { changeStatus } from '../domain/status-changes.js';
import {
  type EmploymentLedgerRepository,
  employmentLedgerRepository,
  LedgerWriteConflictError,
  recordChange,
} from '../store/employment-ledger.js';
import type { StoredLedgerEntry } from '../store/ledger-items.js';
import { type LedgerReadDependencies, recordLedgerReads } from './ledger-reads.js';
import { ledgerListQuerySchema } from './request-schemas.js';

export interface LedgerDependencies extends ActorResolution, LedgerReadDependencies {
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
    readAudit: readAuditRepository(table),
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

/** Who sees a community's ledger in clear: its own staff (the privacy matrix's first column); everyone else masked. */
export const ledgerAccess = (actor: Actor, communityId: string): LedgerAccess =>
  actor.role === 'community-staff' && actor.unit === communityId ? 'identified' : 'masked';

/** The entry as the actor may see it: the community's own staff see the person; others see them masked. */
/** `forThePerson`: the person's own export (PIPL art. 45), where what is held about them is shown as held. */
export function ledgerEntryView(entry: StoredLedgerEntry, actor: Actor, forThePerson = false): LedgerEntryView {
  const identified = forThePerson || ledgerAccess(actor, entry.communityId) === 'identified';
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
    assertKeepsLedger(actor);
    const body = validated(registrationSchema, jsonBody(event));
    const today = shanghaiDate(deps.now());
    checkRegistration(body, today);
    const community = await unitOf(deps, actor.unit);
    const cityId = community.path[0] as string;
    const policy = await policyOf(deps, cityId, today);
    const personKey = residentIdKey(body.idNumber, deps.residentIdSecret);
    // What the rules judge, as stored: the entry the person's marker in the city names, the household the body names.
    const registeredEntryId = await deps.ledger.registeredEntryOf(personKey, cityId);
    const registered = registeredEntryId && {
      entryId: registeredEntryId,
      entry: await deps.ledger.entry(registeredEntryId),
    };
    const household = 'id' in body.household ? await deps.ledger.household(body.household.id) : undefined;
    const transition = registerPerson({
      registration: body,
      actor,
      community,
      policy,
      personKey,
      ...(registered ? { registered } : {}),
      household,
      ids: { household: 'id' in body.household ? body.household.id : deps.newId(), entry: deps.newId() },
      at: deps.now().toISOString(),
    });
    try {
      const recorded = await deps.ledger.record(transition, {
        sealedIdNumber: await deps.sealResidentId(body.idNumber),
      });
      return json(201, {
        ...ledgerEntryView(recorded.entry, actor),
        household: householdView(recorded.household, ledgerAccess(actor, recorded.entry.communityId)),
      } satisfies RegisteredLedgerEntry);
    } catch (error) {
      if (error instanceof LedgerWriteConflictError)
        throw new ConflictError('the household changed while the person was registered; try again');
      throw error;
    }
  });
}

export function makeChangeLedgerStatus(deps: LedgerDependencies) {
  return httpHandler(async (event) => {
    const actor = await deps.resolveActor(event);
    assertKeepsLedger(actor);
    const id = pathParameter(event, 'id');
    const change = validated(statusChangeSchema, jsonBody(event));
    const today = shanghaiDate(deps.now());
    // The answer shows the person as stored: recorded before the change is written, so a 503 writes nothing.
    const current = await deps.ledger.entry(id);
    if (current) await recordLedgerReads(deps, actor, 'ledger-change', [ledgerEntryView(current, actor)]);
    try {
      const recorded = await recordChange(deps.ledger, id, (entry, household) =>
        changeStatus(entry, household, change, actor, { today, at: deps.now().toISOString() }),
      );
      if (!recorded) throw new NotFoundError(`no ledger entry ${id}`);
      return json(200, {
        ...ledgerEntryView(recorded.entry, actor),
        household: householdView(recorded.household, ledgerAccess(actor, recorded.entry.communityId)),
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
    // An entry outside the actor's unit is answered as one that does not exist, never a 403 that confirms it.
    if (!entry?.unitPath.includes(actor.unit)) throw new NotFoundError(`no ledger entry ${id}`);
    const household = await deps.ledger.household(entry.householdId);
    const history = await deps.ledger.verifiedHistory(entry);
    const view = ledgerEntryView(entry, actor);
    await recordLedgerReads(deps, actor, 'ledger-entry', [view]);
    return json(200, {
      ...view,
      ...(household ? { household: householdView(household, ledgerAccess(actor, entry.communityId)) } : {}),
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
    const views = shown.map((e) => ledgerEntryView(e, actor));
    await recordLedgerReads(deps, actor, 'ledger-list', views);
    return json(200, {
      community: community.id,
      count: shown.length,
      entries: views,
      households: households
        .filter((h) => !query.zeroEmployment || shown.some((e) => e.householdId === h.id))
        .map((h) => householdView(h, ledgerAccess(actor, community.id))),
    } satisfies LedgerList);
  });
}
