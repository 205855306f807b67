/**
 * GET /inbox — what waits for the caller: at their unit's stage (an approver's queue; for
 * community staff, what was returned to them), oldest due first, with what was escalated to
 * them and the counts open at each stage under their unit; and the notices for them and their
 * unit (a grant they granted or took in was suspended), until acknowledged.
 */

import { InvalidCursorError } from '../../kernel/adapters/paging-cursor.js';
import { ForbiddenError } from '../../kernel/domain/errors.js';
import { HttpProblem, httpHandler, json, validated } from '../../kernel/http/http.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { type Inbox, inboxLine } from '../domain/list-views.js';
import { inboxStageOf } from '../domain/next-step.js';
import { recipientOfCommunity, recipientOfPerson } from '../store/notices.js';
import {
  type ApiDependencies,
  type NoticesDependency,
  productionDependencies,
  productionNotices,
} from './dependencies.js';
import { inboxQuerySchema } from './request-schemas.js';

/** A cursor this inbox did not issue (forged, altered, another inbox's) is the client's mistake: 400 naming it. */
const refuseCursor =
  (field: 'cursor' | 'escalatedCursor') =>
  (error: unknown): never => {
    if (error instanceof InvalidCursorError)
      throw new HttpProblem(400, 'Malformed request', `${field}: ${error.message}`, [
        { field, message: 'not a cursor of this inbox' },
      ]);
    throw error;
  };

export function makeInbox(deps: ApiDependencies & NoticesDependency) {
  return httpHandler(async (event) => {
    const actor = await deps.resolveActor(event);
    const stage = inboxStageOf(actor);
    if (!stage) throw new ForbiddenError(`the ${actor.role} role has no inbox`);
    const query = validated(inboxQuerySchema, event.queryStringParameters ?? {});
    const unit = await deps.units.get(actor.unit);
    if (!unit) throw new ForbiddenError(`${actor.unit} is not a unit of any city`);
    const now = deps.now().toISOString();
    const filters = { programme: query.programme, communityId: query.communityId, limit: query.limit };
    const [waiting, escalated, counts, calendars, notices] = await Promise.all([
      deps.inbox
        .waitingAt({ stage, unitId: actor.unit, ...filters, cursor: query.cursor })
        .catch(refuseCursor('cursor')),
      deps.inbox
        .escalatedTo(actor.unit, { ...filters, cursor: query.escalatedCursor })
        .catch(refuseCursor('escalatedCursor')),
      deps.inbox.countsUnder(unit.path),
      deps.calendars.of(unit.path[0] as string),
      deps.notices.of([recipientOfPerson(actor.sub), recipientOfCommunity(actor.unit)], deps.now()),
    ]);
    return json(200, {
      unit: actor.unit,
      stage,
      counts,
      items: waiting.items.map((a) => inboxLine(a, now, calendars)),
      nextCursor: waiting.nextCursor,
      escalated: {
        items: escalated.items.map((a) => inboxLine(a, now, calendars)),
        nextCursor: escalated.nextCursor,
      },
      notices,
    } satisfies Inbox);
  });
}

export const handler = builtOnFirstCall(() => makeInbox({ ...productionDependencies(), ...productionNotices() }));
