/**
 * POST /people/export `{ idNumber }` — a person's data on request (PIPL art. 45), for the city's
 * administrator: every application held about the person in the administrator's city (the
 * applicant as taken in, details, documents, eligibility, its verified history) and the benefit
 * ledger's grants from them, and the person's employment-ledger entry with its household and
 * verified history. Found by the keyed hash the ledgers use (the number itself is never
 * stored or logged, and travels in the body, not the URL). Each application answered, and the
 * ledger entry, is recorded in the read audit first (one write); a failure to record refuses the
 * export. 422 for a number that is not a resident ID, 404 when nothing is held.
 * Of the household, only what concerns the person: its label and zero-employment episodes, not the
 * other members (their data is theirs to ask for).
 */

import { administeredCity } from '../../administration/index.js';
import {
  type ApiDependencies,
  applicantAsSeen,
  applicationView,
  personalFieldsRead,
  personHoldings,
  productionDependencies,
  productionReadAudit,
  type ReadAuditDependency,
  type ResidentIdKeyDependency,
  residentIdKeyDependency,
} from '../../applications/index.js';
import {
  type EmploymentLedgerRepository,
  employmentLedgerRepository,
  ledgerEntryView,
} from '../../employment/index.js';
import { historyMacFromEnvironment } from '../../kernel/adapters/history-mac.js';
import type { Actor } from '../../kernel/domain/actor.js';
import { NotFoundError } from '../../kernel/domain/errors.js';
import { ledgerReadAuditEntry, readAuditEntry } from '../../kernel/domain/read-audit.js';
import { residentIdKey } from '../../kernel/domain/resident-id-key.js';
import { httpHandler, json, jsonBody, validated } from '../../kernel/http/http.js';
import { recordReads } from '../../kernel/http/record-reads.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { type TableContext, tableFromEnvironment } from '../../kernel/store/table.js';
import { peopleExportBodySchema } from './request-schemas.js';

export interface PeopleExportDependencies
  extends Pick<ApiDependencies, 'resolveActor' | 'applications' | 'policies' | 'now'>,
    ReadAuditDependency,
    ResidentIdKeyDependency {
  /** The person's holdings in the city, under the city and their keyed hash. */
  holdings: (cityId: string, personKey: string) => ReturnType<typeof personHoldings>;
  employmentLedger: Pick<EmploymentLedgerRepository, 'registeredEntryOf' | 'entry' | 'household' | 'verifiedHistory'>;
}

export function makePeopleExport(deps: PeopleExportDependencies) {
  return httpHandler(async (event) => {
    const actor = await deps.resolveActor(event);
    const cityId = administeredCity(actor);
    const { idNumber } = validated(peopleExportBodySchema, jsonBody(event));
    const personKey = residentIdKey(idNumber.toUpperCase(), deps.residentIdSecret);
    const { applicationIds, ledger } = await deps.holdings(cityId, personKey);
    const held = (await Promise.all(applicationIds.map((id) => deps.applications.get(id)))).filter(
      (stored) =>
        stored !== undefined &&
        stored.application.applicantKey === personKey &&
        stored.application.unitPath[0] === cityId,
    );
    const ledgerEntry = await ledgerEntryOf(deps, personKey, cityId);
    if (held.length === 0 && !ledgerEntry) throw new NotFoundError(`nothing is held about this person in ${cityId}`);
    const ownIds = new Set(held.map((stored) => stored?.application.id));
    const fields = personalFieldsRead('identified');
    const now = deps.now();
    const withPolicies = await Promise.all(
      held.flatMap((stored) =>
        stored ? [deps.policies.ofApplication(stored.application).then((policy) => ({ stored, policy }))] : [],
      ),
    );
    await recordReads(deps.readAudit, [
      ...withPolicies.map(({ stored, policy }) =>
        readAuditEntry(actor, stored.application, 'people-export', fields, now, policy),
      ),
      // The ledger's entry shows the name and phone as held: recorded like any application.
      ...(ledgerEntry ? [ledgerReadAuditEntry(actor, ledgerEntry, 'people-export', ['name', 'phone'], now)] : []),
    ]);
    const employmentLedger = ledgerEntry && (await employmentLedgerPart(deps, actor, ledgerEntry));
    const applications = [];
    for (const { stored, policy } of withPolicies) {
      const history = await deps.applications.verifiedHistory(stored);
      applications.push({
        ...applicationView(stored.application, policy, actor, history),
        // What is held, as taken in: the person asked for their own data.
        applicant: applicantAsSeen(stored.application.applicant, 'identified'),
      });
    }
    return json(200, {
      cityId,
      exportedAt: now.toISOString(),
      applications,
      grants: ledger.grants.filter((grant) => ownIds.has(grant.applicationId)),
      ...(employmentLedger ? { employmentLedger } : {}),
    });
  });
}

async function ledgerEntryOf(deps: PeopleExportDependencies, personKey: string, cityId: string) {
  const entryId = await deps.employmentLedger.registeredEntryOf(personKey, cityId);
  return entryId ? await deps.employmentLedger.entry(entryId) : undefined;
}

type HeldLedgerEntry = NonNullable<Awaited<ReturnType<typeof ledgerEntryOf>>>;

async function employmentLedgerPart(deps: PeopleExportDependencies, actor: Actor, entry: HeldLedgerEntry) {
  const household = await deps.employmentLedger.household(entry.householdId);
  const history = await deps.employmentLedger.verifiedHistory(entry);
  return {
    entry: ledgerEntryView(entry, actor, true),
    ...(household
      ? {
          household: {
            id: household.id,
            ...(household.label ? { label: household.label } : {}),
            zeroEmployment: household.zeroSince !== undefined,
            episodes: household.episodes,
          },
        }
      : {}),
    history: history.events,
    historyIntact: history.intact,
  };
}

export const handler = builtOnFirstCall(async () => {
  const table: TableContext = tableFromEnvironment();
  return makePeopleExport({
    ...productionDependencies(),
    ...productionReadAudit(),
    ...(await residentIdKeyDependency()),
    holdings: (cityId, personKey) => personHoldings(table, { cityId, personKey }),
    employmentLedger: employmentLedgerRepository(table, historyMacFromEnvironment()),
  });
});
