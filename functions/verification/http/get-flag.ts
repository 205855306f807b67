/**
 * GET /verification/flags/{id} — one suspicion (疑点), for whoever may see suspicions under its
 * application's community; to anyone else it does not exist (404, as an absent id). Its figures
 * are recorded in the read audit before answering.
 */
import { NotFoundError } from '../../kernel/domain/errors.js';
import { httpHandler, json, pathParameter } from '../../kernel/http/http.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { assertMaySeeSuspicion } from '../domain/dispositions.js';
import { suspicionView } from '../domain/suspicion-views.js';
import { suspicionIdSchema } from '../store/suspicions.js';
import {
  auditSuspicionReads,
  pathOf,
  productionSuspicionQueue,
  type SuspicionQueueDependencies,
} from './dependencies.js';

export function makeGetFlag(deps: SuspicionQueueDependencies) {
  return httpHandler(async (event) => {
    const actor = await deps.resolveActor(event);
    const id = pathParameter(event, 'id');
    if (!suspicionIdSchema.safeParse(id).success) throw new NotFoundError(`no suspicion ${id}`);
    // Suspicions live in their city's partition: the caller's city is the only one they could see.
    const [cityId] = await pathOf(deps, actor.unit);
    const suspicion = cityId ? await deps.suspicions.get(cityId, id) : undefined;
    if (!suspicion) throw new NotFoundError(`no suspicion ${id}`);
    assertMaySeeSuspicion(suspicion, actor);
    await auditSuspicionReads(deps, actor, [suspicion], 'suspicion-detail');
    return json(200, suspicionView(suspicion));
  });
}

export const handler = builtOnFirstCall(() => makeGetFlag(productionSuspicionQueue()));
