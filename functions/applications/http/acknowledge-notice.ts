/**
 * POST /inbox/notices/{id}/acknowledgement — takes a notice off the caller's inbox: their own, or
 * their unit's (a community's notice, once one of its staff has seen to it). Idempotent: a notice
 * already taken off answers the same 204.
 */
import { httpHandler, validated } from '../../kernel/http/http.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { recipientOfCommunity, recipientOfPerson } from '../store/notices.js';
import {
  type ApiDependencies,
  type NoticesDependency,
  productionDependencies,
  productionNotices,
} from './dependencies.js';
import { noticePathSchema } from './request-schemas.js';

export function makeAcknowledgeNotice(deps: Pick<ApiDependencies, 'resolveActor'> & NoticesDependency) {
  return httpHandler(async (event) => {
    const actor = await deps.resolveActor(event);
    const { id } = validated(noticePathSchema, event.pathParameters ?? {});
    await Promise.all([
      deps.notices.acknowledge(recipientOfPerson(actor.sub), id),
      deps.notices.acknowledge(recipientOfCommunity(actor.unit), id),
    ]);
    return { statusCode: 204 };
  });
}

export const handler = builtOnFirstCall(() =>
  makeAcknowledgeNotice({ ...productionDependencies(), ...productionNotices() }),
);
