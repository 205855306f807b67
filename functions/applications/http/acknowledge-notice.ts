/**
 * POST /inbox/notices/{id}/acknowledgement — takes a notice off the caller's inbox: their own, or
 * their unit's (a community's notice, once one of its staff has seen to it). A notice that is not
 * in the caller's inbox answers 404, whether it was already taken off, is someone else's (another
 * unit's, another city's) or never was: the same answer, so an id of another inbox confirms nothing.
 */
import { NotFoundError } from '../../kernel/domain/errors.js';
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
    const taken = await Promise.all([
      deps.notices.acknowledge(recipientOfPerson(actor.sub), id),
      deps.notices.acknowledge(recipientOfCommunity(actor.unit), id),
    ]);
    if (!taken.includes(true)) throw new NotFoundError(`no notice ${id} in your inbox`);
    return { statusCode: 204 };
  });
}

export const handler = builtOnFirstCall(() =>
  makeAcknowledgeNotice({ ...productionDependencies(), ...productionNotices() }),
);
