/** POST /applications/{id}/decisions — approve, reject or return, by the approver of the open stage. */

import type { ActorResolution } from '../../administration/index.js';
import { httpHandler, json, jsonBody, pathParameter, validated } from '../../kernel/http/http.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { decide, decisionSchema } from '../domain/decisions.js';
import { applicationView } from '../domain/views.js';
import { type ChangeDependencies, changeApplication } from './change-application.js';
import { productionDependencies, productionReadAudit, type ReadAuditDependency } from './dependencies.js';
import { auditChangeAnswer } from './read-audits.js';

export function makeDecideApplication(deps: ChangeDependencies & ActorResolution & ReadAuditDependency) {
  return httpHandler(async (event) => {
    const actor = await deps.resolveActor(event);
    const id = pathParameter(event, 'id');
    const decision = validated(decisionSchema, jsonBody(event));
    const { application, policy } = await changeApplication(
      deps,
      id,
      ({ application }, policy) => decide(application, decision, actor, policy, deps.now().toISOString()),
      {},
      auditChangeAnswer(deps, actor),
    );
    return json(200, applicationView(application, policy, actor));
  });
}

export const handler = builtOnFirstCall(() =>
  makeDecideApplication({ ...productionDependencies(), ...productionReadAudit() }),
);
