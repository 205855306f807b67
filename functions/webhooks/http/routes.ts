/** The routes of webhook endpoints and their deliveries: read by the API's route table (`functions/api/routes.ts`). */

import { idPathSchema } from '../../kernel/http/request-schemas.js';
import type { ApiRoute } from '../../kernel/http/route.js';
import { registrationSchema, webhookEndpointsQuerySchema } from './request-schemas.js';

export const webhooksRoutes: readonly ApiRoute[] = [
  {
    method: 'POST',
    path: '/webhook-endpoints',
    entry: 'functions/webhooks/http/register-webhook-endpoint.ts',
    name: 'RegisterWebhookEndpoint',
    authorized: true,
    request: { body: registrationSchema, idempotencyKey: true },
    needs: {
      table: { actions: ['GetItem', 'Query', 'PutItem', 'UpdateItem'] },
      webhookSecretKey: true,
      webhookQueue: true,
    },
  },
  {
    method: 'GET',
    path: '/webhook-endpoints',
    entry: 'functions/webhooks/http/list-webhook-endpoints.ts',
    name: 'ListWebhookEndpoints',
    authorized: true,
    request: { query: webhookEndpointsQuerySchema },
    needs: { table: { actions: ['GetItem', 'Query'] } },
  },
  {
    method: 'POST',
    path: '/webhook-endpoints/{id}/pause',
    entry: 'functions/webhooks/http/pause-webhook-endpoint.ts',
    name: 'PauseWebhookEndpoint',
    authorized: true,
    request: { path: idPathSchema },
    needs: { table: { actions: ['GetItem', 'UpdateItem'] } },
  },
  {
    method: 'POST',
    path: '/webhook-endpoints/{id}/resume',
    entry: 'functions/webhooks/http/resume-webhook-endpoint.ts',
    name: 'ResumeWebhookEndpoint',
    authorized: true,
    request: { path: idPathSchema },
    needs: { table: { actions: ['GetItem', 'UpdateItem'] }, webhookQueue: true },
  },
  {
    method: 'POST',
    path: '/webhook-endpoints/{id}/rotate-secret',
    entry: 'functions/webhooks/http/rotate-webhook-secret.ts',
    name: 'RotateWebhookSecret',
    authorized: true,
    request: { path: idPathSchema },
    needs: { table: { actions: ['GetItem', 'UpdateItem'] }, webhookSecretKey: true },
  },
  {
    method: 'DELETE',
    path: '/webhook-endpoints/{id}',
    entry: 'functions/webhooks/http/delete-webhook-endpoint.ts',
    name: 'DeleteWebhookEndpoint',
    authorized: true,
    request: { path: idPathSchema },
    needs: { table: { actions: ['GetItem', 'UpdateItem', 'DeleteItem'] } },
  },
  {
    method: 'GET',
    path: '/webhook-endpoints/{id}/deliveries',
    entry: 'functions/webhooks/http/list-webhook-deliveries.ts',
    name: 'ListWebhookDeliveries',
    authorized: true,
    request: { path: idPathSchema },
    needs: { table: { actions: ['GetItem', 'Query'] } },
  },
  {
    method: 'POST',
    path: '/webhook-deliveries/{id}/replay',
    entry: 'functions/webhooks/http/replay-webhook-delivery.ts',
    name: 'ReplayWebhookDelivery',
    authorized: true,
    request: { path: idPathSchema },
    needs: { table: { actions: ['GetItem', 'PutItem'] }, webhookQueue: true },
  },
];
