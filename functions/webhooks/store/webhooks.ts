/**
 * Webhook endpoints and their deliveries, read and written: one repository over both stores
 * (`webhook-endpoints.ts`, `webhook-deliveries.ts`), what the use cases and the worker are given.
 */
import type { TableContext } from '../../kernel/store/table.js';
import { webhookDeliveryStore } from './webhook-deliveries.js';
import { webhookEndpointStore } from './webhook-endpoints.js';

export function webhookRepository(table: TableContext) {
  return { ...webhookEndpointStore(table), ...webhookDeliveryStore(table) };
}
export type WebhookRepository = ReturnType<typeof webhookRepository>;
