/** DELETE /webhook-endpoints/{id} — nothing more is sent to it; its pending deliveries end as failed. */
import { actorOf, httpHandler, onFirstRequest, pathParameter } from './http.js';
import { endpointFor, productionWebhookDependencies, type WebhookApiDependencies } from './webhook-endpoints.js';

export function makeDeleteWebhookEndpoint(deps: WebhookApiDependencies) {
  return httpHandler(async (event) => {
    const { endpoint } = await endpointFor(deps, pathParameter(event, 'id'), actorOf(event), 'manage');
    await deps.webhooks.deleteEndpoint(endpoint);
    return { statusCode: 204 };
  });
}

export const handler = onFirstRequest(() => makeDeleteWebhookEndpoint(productionWebhookDependencies()));
