/**
 * What the routes that answer an application's personal fields share to record the read: the
 * retention of a read that names no one policy version (a page of a community's list), and the
 * record made before a change's answer is written.
 */

import type { PolicyRepository } from '../../administration/index.js';
import type { Actor } from '../../kernel/domain/actor.js';
import { shanghaiDate } from '../../kernel/domain/dates.js';
import type { CityPolicy } from '../../kernel/domain/policy.js';
import { readAuditEntry } from '../../kernel/domain/read-audit.js';
import { recordReads } from '../../kernel/http/record-reads.js';
import type { Application } from '../domain/lifecycle.js';
import { viewFieldsRead } from '../domain/privacy.js';
import type { ReadAuditDependency } from './dependencies.js';

/**
 * The city's policy in force today, for the retention of a page's entries (the lines of a page
 * come from many policy versions; the one in force is the city's current word). Without one, the
 * entries are kept the domain's minimum.
 */
export async function auditedPolicy(
  deps: { policies: Pick<PolicyRepository, 'inForce'> },
  unitPath: readonly string[],
  now: Date,
): Promise<{ readAuditRetentionDays: number } | undefined> {
  const cityId = unitPath[0];
  return cityId ? deps.policies.inForce(cityId, shanghaiDate(now)) : undefined;
}

/**
 * Before a change is written, the read its answer will be: recorded when the answer shows
 * `actor` the applicant's personal fields. Recorded first so a failed record (503) leaves the
 * change unwritten and the request safe to send again; a change then refused writes an entry for
 * an answer not given, which errs on the side of the person.
 */
export function auditChangeAnswer(deps: ReadAuditDependency & { now: () => Date }, actor: Actor) {
  let recorded = false;
  return async (next: Application, policy: CityPolicy): Promise<void> => {
    // Once per request: a write retried against a background change reads the same person again.
    const fields = viewFieldsRead(next, actor);
    if (recorded || fields.length === 0) return;
    await recordReads(deps.readAudit, [readAuditEntry(actor, next, 'application-change', fields, deps.now(), policy)]);
    recorded = true;
  };
}
