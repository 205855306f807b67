/**
 * Workflow: the approval state machine's tasks (route an application, wait for a person, sweep
 * deadlines), the reconciler that repairs executions, and re-routing every waiting application
 * (after a new holiday calendar). The state machine routes; the applications domain decides.
 *
 * This file is the module's face: other modules import it, and only it.
 */

export { workflowRoutes } from './http/routes.js';
