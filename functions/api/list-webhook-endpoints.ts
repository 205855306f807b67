/** GET /webhook-endpoints?applicationId= — an application's endpoints, without their secrets. */
import { assertInScope } from '../domain/lifecycle.js';
import { HttpProblem, actorOf, httpHandler, json, onFirstRequest } from './http.js';
import {
  applicationFor,
  endpointView,
  productionWebhookDependencies,
  type WebhookApiDependencies,
} from './webhook-endpoints.js';

export function makeListWebhookEndpoints(deps: WebhookApiDependencies) {
  return httpHandler(async (event) => {
    const actor = actorOf(event);
    const applicationId = event.queryStringParameters?.applicationId;
    if (!applicationId)
      throw new HttpProblem(422, 'Validation failed', 'some fields are missing or invalid', [
        { field: 'applicationId', message: 'required' },
      ]);
    const application = await applicationFor(deps, applicationId);
    assertInScope(application, actor);
    const endpoints = await deps.webhooks.endpointsOf(application.id);
    return json(200, { items: endpoints.map(endpointView) });
  });
}

export const handler = onFirstRequest(() => makeListWebhookEndpoints(productionWebhookDependencies()));
