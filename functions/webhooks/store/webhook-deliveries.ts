/**
 * Webhook deliveries, read and written (their items: `webhook-items.ts`). The delivery log reads in
 * event order, and a second creation of a delivery for the same event is refused by a condition;
 * every save is conditional on the revision it read.
 */
import { GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { conditionally } from '../../kernel/store/conditional-write.js';
import { fromItem, keys, queryAll, type TableContext, toItem } from '../../kernel/store/table.js';
import type { WebhookDelivery } from '../domain/webhook-records.js';
import { deliveryItem, deliveryOf, parseDeliveryId, webhookDue } from './webhook-items.js';

export function webhookDeliveryStore({ client, tableName }: TableContext) {
  const table = { client, tableName };
  return {
    /** Creates the delivery unless one exists for the same endpoint and event; answers whether it did. */
    async createDelivery(delivery: WebhookDelivery): Promise<boolean> {
      return conditionally(() =>
        client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: deliveryItem(delivery),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
    },

    async getDelivery(id: string): Promise<WebhookDelivery | undefined> {
      const parsed = parseDeliveryId(id);
      if (!parsed) return undefined;
      const { Item } = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: toItem(keys.webhookDelivery(parsed.endpointId, parsed.seq)),
          ConsistentRead: true,
        }),
      );
      return Item ? deliveryOf(fromItem(Item)) : undefined;
    },

    /** The endpoint's delivery log, in event order. */
    async deliveriesOf(endpointId: string): Promise<WebhookDelivery[]> {
      const items = await queryAll(table, {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: toItem({
          ':pk': keys.webhookEndpointPointer(endpointId).pk,
          ':prefix': keys.webhookDeliveryPrefix,
        }),
        ConsistentRead: true,
      });
      return items.map((item) => deliveryOf(fromItem(item)));
    },

    /**
     * Replaces a delivery with its next state, only if it is still at the revision `previous`
     * read: two workers never both claim or record the same attempt.
     */
    async saveDelivery(
      previous: WebhookDelivery,
      next: Omit<WebhookDelivery, 'revision'>,
    ): Promise<WebhookDelivery | undefined> {
      const saved: WebhookDelivery = { ...next, revision: previous.revision + 1 };
      const stored = await conditionally(() =>
        client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: deliveryItem(saved),
            ConditionExpression: 'revision = :revision',
            ExpressionAttributeValues: toItem({ ':revision': previous.revision }),
          }),
        ),
      );
      return stored ? saved : undefined;
    },

    /** Deliveries whose next attempt is due by `now`, earliest first. */
    async due(now: string, limit: number): Promise<WebhookDelivery[]> {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: webhookDue.indexName,
          KeyConditionExpression: '#pk = :pk AND #sk <= :now',
          ExpressionAttributeNames: { '#pk': webhookDue.partitionKey, '#sk': webhookDue.sortKey },
          // '~' sorts after every id character: everything due at `now` itself is included.
          ExpressionAttributeValues: toItem({ ':pk': keys.webhookDue, ':now': `${now}#~` }),
          Limit: limit,
        }),
      );
      return (page.Items ?? []).map((item) => deliveryOf(fromItem(item)));
    },
  };
}
