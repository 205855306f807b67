/**
 * GET /applications/{id} — the application with its full timeline, for anyone whose unit covers it.
 * A view that carries the applicant's personal fields (the taking-in community, the deciding
 * approver) is recorded in the read audit before it is answered; when the audit cannot be written
 * the read is refused (503), so no personal data is ever read unaudited.
 */

import { NotFoundError } from '../../kernel/domain/errors.js';
import { readAuditEntry } from '../../kernel/domain/read-audit.js';
import { httpHandler, json, pathParameter } from '../../kernel/http/http.js';
import { recordReads } from '../../kernel/http/record-reads.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { assertInScope } from '../domain/lifecycle.js';
import { viewFieldsRead } from '../domain/privacy.js';
import { applicationView } from '../domain/views.js';
import {
  type ApiDependencies,
  productionDependencies,
  productionReadAudit,
  type ReadAuditDependency,
} from './dependencies.js';

export function makeGetApplication(deps: ApiDependencies & ReadAuditDependency) {
  return httpHandler(async (event) => {
    const actor = await deps.resolveActor(event);
    const id = pathParameter(event, 'id');
    const stored = await deps.applications.get(id);
    if (!stored) throw new NotFoundError(`no application ${id}`);
    assertInScope(stored.application, actor);
    // An auditor sees the applications a suspicion concerns, no others: to them the rest do not exist.
    if (actor.role === 'auditor' && !stored.application.verification?.suspicion)
      throw new NotFoundError(`no application ${id}`);
    // Checked on every read: chain, MACs, count and head (a writer of the table cannot pass it).
    const history = await deps.applications.verifiedHistory(stored);
    const policy = await deps.policies.ofApplication(stored.application);
    const fields = viewFieldsRead(stored.application, actor);
    if (fields.length > 0)
      await recordReads(deps.readAudit, [
        readAuditEntry(actor, stored.application, 'application-detail', fields, deps.now(), policy),
      ]);
    return json(200, applicationView(stored.application, policy, actor, history));
  });
}

export const handler = builtOnFirstCall(() =>
  makeGetApplication({ ...productionDependencies(), ...productionReadAudit() }),
);
