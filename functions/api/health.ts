/** GET /health — answers ok only when the table and the workflow engine both answer. */
import type { ApprovalWorkflow } from '../sfn/executions.js';
import { workflowFromEnvironment } from '../sfn/executions.js';
import { builtOnFirstCall } from '../shared/lazy-handler.js';
import { tableFromEnvironment, tableIsReachable } from '../store/table.js';
import { httpHandler, json } from './http.js';

export function makeHealth(deps: { tableIsReachable: () => Promise<boolean>; workflow: ApprovalWorkflow }) {
  return httpHandler(async () => {
    const [store, workflow] = await Promise.all([deps.tableIsReachable(), deps.workflow.isReachable()]);
    const ok = store && workflow;
    return json(ok ? 200 : 503, {
      status: ok ? 'ok' : 'unavailable',
      store: store ? 'ok' : 'unavailable',
      workflow: workflow ? 'ok' : 'unavailable',
    });
  });
}

export const handler = builtOnFirstCall(() => {
  const table = tableFromEnvironment();
  return makeHealth({
    tableIsReachable: () => tableIsReachable(table),
    workflow: workflowFromEnvironment('addresses-machine'),
  });
});
