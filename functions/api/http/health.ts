/** GET /health — answers ok only when the table and the workflow engine both answer. */
import type { ApprovalWorkflow } from '../../kernel/adapters/approval-workflow.js';
import { workflowFromEnvironment } from '../../kernel/adapters/approval-workflow.js';
import { httpHandler, json } from '../../kernel/http/http.js';
import { builtOnFirstCall } from '../../kernel/runtime/lazy-handler.js';
import { tableFromEnvironment, tableIsReachable } from '../../kernel/store/table.js';

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
