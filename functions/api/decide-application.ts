/** POST /applications/{id}/decisions — approve, reject or return, by the approver of the open stage. */
import { decide, decisionSchema } from '../domain/decisions.js';
import { builtOnFirstCall } from '../shared/lazy-handler.js';
import type { ActorResolution } from './actor-resolver.js';
import { type ChangeDependencies, changeApplication } from './change-application.js';
import { productionDependencies } from './dependencies.js';
import { httpHandler, json, jsonBody, pathParameter, validated } from './http.js';
import { applicationView } from './views.js';

export function makeDecideApplication(deps: ChangeDependencies & ActorResolution) {
  return httpHandler(async (event) => {
    const actor = await deps.resolveActor(event);
    const id = pathParameter(event, 'id');
    const decision = validated(decisionSchema, jsonBody(event));
    const { application, policy } = await changeApplication(deps, id, ({ application }, policy) =>
      decide(application, decision, actor, policy, deps.now().toISOString()),
    );
    return json(200, applicationView(application, policy, actor));
  });
}

export const handler = builtOnFirstCall(() => makeDecideApplication(productionDependencies()));
