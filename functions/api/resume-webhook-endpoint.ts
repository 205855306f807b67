/**
 * POST /webhook-endpoints/{id}/resume — a paused (or disabled, once its owner fixed the
 * receiver) endpoint is active again; every delivery held meanwhile is due now, in event order.
 */
import { actorOf, httpHandler, json, onFirstRequest, pathParameter } from './http.js';
import {
  endpointFor,
  endpointView,
  productionWebhookDependencies,
  type WebhookApiDependencies,
} from './webhook-endpoints.js';

export function makeResumeWebhookEndpoint(deps: WebhookApiDependencies) {
  return httpHandler(async (event) => {
    const { endpoint } = await endpointFor(deps, pathParameter(event, 'id'), actorOf(event), 'manage');
    const now = deps.now().toISOString();
    await deps.webhooks.updateEndpoint(endpoint, { status: 'active', updatedAt: now }, [
      'disabledReason',
      'disabledAt',
      'failingSince',
    ]);
    const woken: string[] = [];
    for (const delivery of await deps.webhooks.deliveriesOf(endpoint.id)) {
      if (delivery.status !== 'held') continue;
      const saved = await deps.webhooks.saveDelivery(delivery, {
        ...delivery,
        status: 'pending',
        failuresThisRound: 0,
        nextAttemptAt: now,
        reason: undefined,
      });
      if (saved) woken.push(saved.id);
    }
    if (woken.length) await deps.queue?.enqueue(woken.map((deliveryId) => ({ deliveryId, delaySeconds: 0 })));
    const { disabledReason: _r, disabledAt: _a, failingSince: _f, ...rest } = endpoint;
    return json(200, endpointView({ ...rest, status: 'active', updatedAt: now }));
  });
}

export const handler = onFirstRequest(() => makeResumeWebhookEndpoint(productionWebhookDependencies()));
