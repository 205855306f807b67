/** POST /applications/{id}/withdraw — community staff withdraw an application not yet finally decided; its execution ends. */

import type { ActorResolution } from '../../administration/index.js';
import { httpHandler, json, jsonBody, pathParameter, validated } from '../../kernel/http/http.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { applicationView } from '../domain/views.js';
import { withdraw, withdrawalSchema } from '../domain/withdrawal.js';
import { type ChangeDependencies, changeApplication } from './change-application.js';
import { productionDependencies, productionReadAudit, type ReadAuditDependency } from './dependencies.js';
import { auditChangeAnswer } from './read-audits.js';

export function makeWithdrawApplication(deps: ChangeDependencies & ActorResolution & ReadAuditDependency) {
  return httpHandler(async (event) => {
    const actor = await deps.resolveActor(event);
    const id = pathParameter(event, 'id');
    const withdrawal = validated(withdrawalSchema, jsonBody(event));
    const { application, policy } = await changeApplication(
      deps,
      id,
      ({ application }) => withdraw(application, withdrawal, actor, deps.now().toISOString()),
      {},
      auditChangeAnswer(deps, actor),
    );
    return json(200, applicationView(application, policy, actor));
  });
}

export const handler = builtOnFirstCall(() =>
  makeWithdrawApplication({ ...productionDependencies(), ...productionReadAudit() }),
);
