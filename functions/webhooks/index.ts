/**
 * Webhooks: applicants and their systems told when an application moves. It owns the endpoints
 * (registration, secrets, pause, replay), the outbox that turns history events into deliveries,
 * signing, the SSRF guard and the delivery worker with its retries.
 *
 * This file is the module's face: other modules import it, and only it.
 */

export { webhooksRoutes } from './http/routes.js';
