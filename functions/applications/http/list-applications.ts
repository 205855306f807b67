/**
 * GET /applications — a community's applications, open or final, newest first, filtered by status
 * and programme, and for the community's own staff searchable by the applicant's name. Approvers
 * whose unit covers the community may list it too, names masked, but not search by name.
 */

import { InvalidCursorError } from '../../kernel/adapters/paging-cursor.js';
import { ForbiddenError } from '../../kernel/domain/errors.js';
import { HttpProblem, httpHandler, json, validated } from '../../kernel/http/http.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { type ApplicationList, applicationListLine } from '../domain/list-views.js';
import { mayFindByName, mayListCommunity } from '../domain/privacy.js';
import { type ApiDependencies, productionDependencies } from './dependencies.js';
import { applicationListQuerySchema } from './request-schemas.js';

export function makeListApplications(deps: ApiDependencies) {
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
    return json(200, {
      communityId,
      items: page.items.map((application) => applicationListLine(application, actor)),
      nextCursor: page.nextCursor,
    } satisfies ApplicationList);
  });
}

export const handler = builtOnFirstCall(() => makeListApplications(productionDependencies()));
