/** POST /webhook-endpoints/{id}/pause — stop sending; what happens meanwhile is held and sent on resume. */
import { actorOf, httpHandler, json, onFirstRequest, pathParameter } from './http.js';
import {
  endpointFor,
  endpointView,
  productionWebhookDependencies,
  type WebhookApiDependencies,
} from './webhook-endpoints.js';

export function makePauseWebhookEndpoint(deps: WebhookApiDependencies) {
  return httpHandler(async (event) => {
    const { endpoint } = await endpointFor(deps, pathParameter(event, 'id'), actorOf(event), 'manage');
    const updatedAt = deps.now().toISOString();
    if (endpoint.status === 'active') await deps.webhooks.updateEndpoint(endpoint, { status: 'paused', updatedAt });
    const paused = endpoint.status === 'active' ? { ...endpoint, status: 'paused' as const, updatedAt } : endpoint;
    return json(200, endpointView(paused));
  });
}

export const handler = onFirstRequest(() => makePauseWebhookEndpoint(productionWebhookDependencies()));
