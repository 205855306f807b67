/**
 * GET /verification/flags?unit=&status= — the suspicions (疑点) about applications under a unit,
 * newest first: the auditors' queue. Auditors and approvers list their own unit's subtree, a
 * community's staff their community; `unit` defaults to the caller's own. A unit outside the
 * caller's subtree is refused (403: the unit tree is no secret, its suspicions are). The figures
 * of every suspicion on the page are recorded in the read audit, in one write, before answering.
 */

import { InvalidCursorError } from '../../kernel/adapters/paging-cursor.js';
import { ForbiddenError } from '../../kernel/domain/errors.js';
import { HttpProblem, httpHandler, json, validated } from '../../kernel/http/http.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { maySeeSuspicionsUnder, suspicionListQuerySchema } from '../domain/dispositions.js';
import { type SuspicionList, suspicionView } from '../domain/suspicion-views.js';
import {
  auditSuspicionReads,
  pathOf,
  productionSuspicionQueue,
  type SuspicionQueueDependencies,
} from './dependencies.js';

export function makeListFlags(deps: SuspicionQueueDependencies) {
  return httpHandler(async (event) => {
    const actor = await deps.resolveActor(event);
    const query = validated(suspicionListQuerySchema, event.queryStringParameters ?? {});
    const unit = query.unit ?? actor.unit;
    const path = await pathOf(deps, unit).catch(() => {
      throw new HttpProblem(422, 'Validation failed', `unit: no unit ${unit}`, [
        { field: 'unit', message: 'not a unit of this city' },
      ]);
    });
    if (!maySeeSuspicionsUnder(actor, path))
      throw new ForbiddenError(`unit: the ${actor.role} of ${actor.unit} may not see the suspicions under ${unit}`);
    const page = await deps.suspicions
      .list({ cityId: path[0] as string, unit, status: query.status, limit: query.limit, cursor: query.cursor })
      .catch((error: unknown) => {
        if (error instanceof InvalidCursorError)
          throw new HttpProblem(400, 'Malformed request', `cursor: ${error.message}`, [
            { field: 'cursor', message: 'not a cursor of this list' },
          ]);
        throw error;
      });
    await auditSuspicionReads(deps, actor, page.items, 'suspicion-list');
    return json(200, {
      items: page.items.map(suspicionView),
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    } satisfies SuspicionList);
  });
}

export const handler = builtOnFirstCall(() => makeListFlags(productionSuspicionQueue()));
