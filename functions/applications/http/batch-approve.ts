/**
 * POST /decisions/batch — an approver approves up to 50 applications at once. Each one is
 * decided on its own, exactly as a single decision would be; the answer says which succeeded
 * and why each other one did not.
 */

import type { ActorResolution } from '../../administration/index.js';
import { httpHandler, json, jsonBody, problemFor, validated } from '../../kernel/http/http.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { decide } from '../domain/decisions.js';
import { applicationView, type BatchApproval, type BatchResult } from '../domain/views.js';
import { type ChangeDependencies, changeApplication } from './change-application.js';
import { productionDependencies, productionReadAudit, type ReadAuditDependency } from './dependencies.js';
import { auditChangeAnswer } from './read-audits.js';
import { batchSchema } from './request-schemas.js';

export function makeBatchApprove(deps: ChangeDependencies & ActorResolution & ReadAuditDependency) {
  return httpHandler(async (event) => {
    const actor = await deps.resolveActor(event);
    const { decisions } = validated(batchSchema, jsonBody(event));
    const results: BatchResult[] = [];
    // One after another: a batch is small, and the table's write capacity is shared with everyone else.
    for (const item of decisions) {
      try {
        // An item whose answer cannot be audited is refused alone (503), unwritten; the others go on.
        const { application, policy } = await changeApplication(
          deps,
          item.applicationId,
          ({ application }, policy) =>
            decide(
              application,
              { decision: 'approve', expectedVersion: item.expectedVersion, comment: item.comment },
              actor,
              policy,
              deps.now().toISOString(),
            ),
          {},
          auditChangeAnswer(deps, actor),
        );
        results.push({
          applicationId: item.applicationId,
          status: 200,
          application: applicationView(application, policy, actor),
        });
      } catch (error) {
        const refusal = problemFor(error);
        if (!refusal) throw error;
        results.push({
          applicationId: item.applicationId,
          status: refusal.statusCode,
          problem: JSON.parse(refusal.body ?? '{}'),
        });
      }
    }
    const succeeded = results.filter((r) => r.status === 200).length;
    return json(200, { succeeded, failed: results.length - succeeded, results } satisfies BatchApproval);
  });
}

export const handler = builtOnFirstCall(() =>
  makeBatchApprove({ ...productionDependencies(), ...productionReadAudit() }),
);
