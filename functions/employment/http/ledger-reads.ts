/**
 * The read audit of the employment ledger: an entry or a community's list shows the person's name
 * and phone to the community's own staff, so each identified entry answered is recorded first
 * (a list's entries in one call, written 50 to a transaction); when they cannot be recorded the
 * read is refused (503). Masked entries are not recorded: they carry no personal field.
 */

import type { PolicyRepository } from '../../administration/index.js';
import type { Actor } from '../../kernel/domain/actor.js';
import { shanghaiDate } from '../../kernel/domain/dates.js';
import { ledgerReadAuditEntry, type ReadPurpose } from '../../kernel/domain/read-audit.js';
import { recordReads } from '../../kernel/http/record-reads.js';
import type { ReadAuditRepository } from '../../kernel/store/read-audit.js';
import type { LedgerEntryView } from '../domain/ledger-views.js';

/** The personal fields an identified entry shows, as the read audit records them. */
export const ledgerFieldsRead = (view: Pick<LedgerEntryView, 'phone'>): string[] =>
  view.phone ? ['name', 'phone'] : ['name'];

export interface LedgerReadDependencies {
  readAudit: Pick<ReadAuditRepository, 'record'>;
  policies: Pick<PolicyRepository, 'inForce'>;
  now: () => Date;
}

/** Records the identified views among `views` (each with its entry's unit path) before they are answered. */
export async function recordLedgerReads(
  deps: LedgerReadDependencies,
  actor: Actor,
  purpose: ReadPurpose,
  views: readonly (LedgerEntryView & { unitPath: readonly string[] })[],
): Promise<void> {
  const identified = views.filter((view) => view.personalData === 'identified');
  const cityId = identified[0]?.unitPath[0];
  if (!cityId) return;
  const now = deps.now();
  // The ledger keeps no policy version per entry: the city's policy in force says how long.
  const policy = await deps.policies.inForce(cityId, shanghaiDate(now));
  await recordReads(
    deps.readAudit,
    identified.map((view) => ledgerReadAuditEntry(actor, view, purpose, ledgerFieldsRead(view), now, policy)),
  );
}
