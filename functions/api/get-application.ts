/** GET /applications/{id} — the application with its full timeline, for anyone whose unit covers it. */
import { NotFoundError } from '../domain/errors.js';
import { assertInScope } from '../domain/lifecycle.js';
import { builtOnFirstCall } from '../shared/lazy-handler.js';
import { type ApiDependencies, productionDependencies } from './dependencies.js';
import { httpHandler, json, pathParameter } from './http.js';
import { applicationView } from './views.js';

export function makeGetApplication(deps: ApiDependencies) {
  return httpHandler(async (event) => {
    const actor = await deps.resolveActor(event);
    const id = pathParameter(event, 'id');
    const stored = await deps.applications.get(id);
    if (!stored) throw new NotFoundError(`no application ${id}`);
    assertInScope(stored.application, actor);
    // Checked on every read: chain, MACs, count and head (a writer of the table cannot pass it).
    const history = await deps.applications.verifiedHistory(stored);
    const policy = await deps.policies.ofApplication(stored.application);
    return json(200, applicationView(stored.application, policy, actor, history));
  });
}

export const handler = builtOnFirstCall(() => makeGetApplication(productionDependencies()));
