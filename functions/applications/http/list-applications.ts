/**
 * GET /applications — a community's applications, open or final, newest first, filtered by status
 * and programme, and for the community's own staff searchable by the applicant's name. Approvers
 * whose unit covers the community may list it too, names masked, but not search by name.
 * Every line that shows a name in full (the community's staff, the approver of the open stage) is
 * recorded in the read audit before the page is answered, the page's entries in one write; when
 * they cannot be recorded the page is refused (503).
 */

import { InvalidCursorError } from '../../kernel/adapters/paging-cursor.js';
import { ForbiddenError } from '../../kernel/domain/errors.js';
import { readAuditEntry } from '../../kernel/domain/read-audit.js';
import { HttpProblem, httpHandler, json, validated } from '../../kernel/http/http.js';
import { recordReads } from '../../kernel/http/record-reads.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { type ApplicationList, applicationListLine, listedFieldsRead } from '../domain/list-views.js';
import { applicantAccess, mayFindByName, mayListCommunity } from '../domain/privacy.js';
import {
  type ApiDependencies,
  productionDependencies,
  productionReadAudit,
  type ReadAuditDependency,
} from './dependencies.js';
import { auditedPolicy } from './read-audits.js';
import { applicationListQuerySchema } from './request-schemas.js';

export function makeListApplications(deps: ApiDependencies & ReadAuditDependency) {
  return httpHandler(async (event) => {
    const actor = await deps.resolveActor(event);
    const query = validated(applicationListQuerySchema, event.queryStringParameters ?? {});
    const communityId = query.communityId ?? (actor.role === 'community-staff' ? actor.unit : undefined);
    if (!communityId)
      throw new HttpProblem(422, 'Validation failed', 'communityId: required for this role', [
        { field: 'communityId', message: 'required: only community staff have a community of their own' },
      ]);
    const community = await deps.units.get(communityId);
    if (!community || !mayListCommunity(actor, community.path))
      throw new ForbiddenError(`the ${actor.role} of ${actor.unit} may not list the applications of ${communityId}`);
    if (query.q !== undefined && !mayFindByName(actor, communityId))
      throw new ForbiddenError(`q: only the staff of ${communityId} may search its applicants by name`);
    const page = await deps.inbox
      .ofCommunity({
        communityId,
        status: query.status,
        programme: query.programme,
        nameContains: query.q,
        limit: query.limit,
        cursor: query.cursor,
      })
      .catch((error: unknown) => {
        if (error instanceof InvalidCursorError)
          throw new HttpProblem(400, 'Malformed request', `cursor: ${error.message}`, [
            { field: 'cursor', message: 'not a cursor of this list' },
          ]);
        throw error;
      });
    const identified = page.items.filter((application) => applicantAccess(application, actor) === 'identified');
    if (identified.length > 0) {
      const now = deps.now();
      const policy = await auditedPolicy(deps, community.path, now);
      await recordReads(
        deps.readAudit,
        identified.map((application) =>
          readAuditEntry(actor, application, 'application-list', listedFieldsRead, now, policy),
        ),
      );
    }
    return json(200, {
      communityId,
      items: page.items.map((application) => applicationListLine(application, actor)),
      nextCursor: page.nextCursor,
    } satisfies ApplicationList);
  });
}

export const handler = builtOnFirstCall(() =>
  makeListApplications({ ...productionDependencies(), ...productionReadAudit() }),
);
