/**
 * POST /webhook-deliveries/{id}/replay — deliver a message again, whatever became of it, with
 * the same `webhook-id` (it is the same message: a receiver that has it may ignore it) and a
 * fresh retry schedule. Its earlier attempts stay in the log.
 */
import { ConflictError, NotFoundError } from '../domain/errors.js';
import { actorOf, httpHandler, json, onFirstRequest, pathParameter } from './http.js';
import {
  deliveryView,
  endpointFor,
  productionWebhookDependencies,
  type WebhookApiDependencies,
} from './webhook-endpoints.js';

export function makeReplayWebhookDelivery(deps: WebhookApiDependencies) {
  return httpHandler(async (event) => {
    const actor = actorOf(event);
    const delivery = await deps.webhooks.getDelivery(pathParameter(event, 'id'));
    if (!delivery) throw new NotFoundError(`no webhook delivery ${pathParameter(event, 'id')}`);
    const { endpoint } = await endpointFor(deps, delivery.endpointId, actor, 'manage');
    if (endpoint.status !== 'active')
      throw new ConflictError(`webhook endpoint ${endpoint.id} is ${endpoint.status}: resume it first`, {
        endpointStatus: endpoint.status,
      });
    const now = deps.now().toISOString();
    const replayed = await deps.webhooks.saveDelivery(delivery, {
      ...delivery,
      status: 'pending',
      failuresThisRound: 0,
      nextAttemptAt: now,
      reason: undefined,
    });
    if (!replayed)
      throw new ConflictError(`webhook delivery ${delivery.id} is being sent right now; look at its log and try again`);
    await deps.queue?.enqueue([{ deliveryId: replayed.id, delaySeconds: 0 }]);
    return json(202, deliveryView(replayed));
  });
}

export const handler = onFirstRequest(() => makeReplayWebhookDelivery(productionWebhookDependencies()));
