/** POST /applications/{id}/withdraw — community staff withdraw an application not yet finally decided; its execution ends. */
import { withdraw, withdrawalSchema } from '../domain/withdrawal.js';
import { builtOnFirstCall } from '../shared/lazy-handler.js';
import type { ActorResolution } from './actor-resolver.js';
import { type ChangeDependencies, changeApplication } from './change-application.js';
import { productionDependencies } from './dependencies.js';
import { httpHandler, json, jsonBody, pathParameter, validated } from './http.js';
import { applicationView } from './views.js';

export function makeWithdrawApplication(deps: ChangeDependencies & ActorResolution) {
  return httpHandler(async (event) => {
    const actor = await deps.resolveActor(event);
    const id = pathParameter(event, 'id');
    const withdrawal = validated(withdrawalSchema, jsonBody(event));
    const { application, policy } = await changeApplication(deps, id, ({ application }) =>
      withdraw(application, withdrawal, actor, deps.now().toISOString()),
    );
    return json(200, applicationView(application, policy, actor));
  });
}

export const handler = builtOnFirstCall(() => makeWithdrawApplication(productionDependencies()));
