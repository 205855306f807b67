/**
 * Webhook endpoints and their deliveries, read and written (their items: `webhook-items.ts`).
 * The delivery log reads in event order, and a second creation of a delivery for the same event
 * is refused by a condition; every save is conditional on the revision it read.
 */
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { fromItem, type Item, keys, queryAll, type TableContext, toItem } from '../../kernel/store/table.js';
import type { WebhookDelivery, WebhookEndpoint } from '../domain/webhook-records.js';
import { deliveryItem, deliveryOf, endpointOf, isEndpointId, parseDeliveryId, webhookDue } from './webhook-items.js';

/** The application already has as many webhook endpoints as its city allows. */
export class EndpointLimitReachedError extends Error {
  constructor(
    readonly applicationId: string,
    readonly limit: number,
  ) {
    super(`application ${applicationId} already has ${limit} webhook endpoints, the most its city allows`);
    this.name = 'EndpointLimitReachedError';
  }
}

/** An endpoint of this id exists, or did (its id stays taken after a delete). */
export class EndpointIdTakenError extends Error {
  constructor(readonly endpointId: string) {
    super(`webhook endpoint id ${endpointId} is taken`);
    this.name = 'EndpointIdTakenError';
  }
}

export function webhookRepository({ client, tableName }: TableContext) {
  const table = { client, tableName };

  async function conditional(run: () => Promise<unknown>): Promise<boolean> {
    try {
      await run();
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  const repository = {
    /**
     * Creates the endpoint unless the application already has `limit` (the count item's condition
     * decides, so two registrations at once cannot both take the last place).
     */
    async createEndpoint(endpoint: WebhookEndpoint, limit: number): Promise<void> {
      try {
        await client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: toItem({
                    ...keys.webhookEndpoint(endpoint.applicationId, endpoint.id),
                    type: 'webhook-endpoint',
                    ...endpoint,
                  }),
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: toItem({
                    ...keys.webhookEndpointPointer(endpoint.id),
                    type: 'webhook-endpoint-pointer',
                    applicationId: endpoint.applicationId,
                  }),
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Update: {
                  TableName: tableName,
                  Key: toItem(keys.webhookEndpointCount(endpoint.applicationId)),
                  UpdateExpression: 'SET endpointCount = if_not_exists(endpointCount, :zero) + :one, #type = :type',
                  ConditionExpression: 'attribute_not_exists(endpointCount) OR endpointCount < :limit',
                  ExpressionAttributeNames: { '#type': 'type' },
                  ExpressionAttributeValues: toItem({
                    ':zero': 0,
                    ':one': 1,
                    ':limit': limit,
                    ':type': 'webhook-endpoint-count',
                  }),
                },
              },
            ],
          }),
        );
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const refused = (n: number) => error.CancellationReasons?.[n]?.Code === 'ConditionalCheckFailed';
        if (refused(0) || refused(1)) throw new EndpointIdTakenError(endpoint.id);
        if (refused(2)) throw new EndpointLimitReachedError(endpoint.applicationId, limit);
        throw error;
      }
    },

    async getEndpoint(endpointId: string): Promise<WebhookEndpoint | undefined> {
      if (!isEndpointId(endpointId)) return undefined;
      const pointer = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: toItem(keys.webhookEndpointPointer(endpointId)),
          ConsistentRead: true,
        }),
      );
      if (!pointer.Item) return undefined;
      const applicationId = String(fromItem(pointer.Item).applicationId);
      const { Item } = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: toItem(keys.webhookEndpoint(applicationId, endpointId)),
          ConsistentRead: true,
        }),
      );
      return Item ? endpointOf(fromItem(Item)) : undefined;
    },

    async endpointsOf(applicationId: string): Promise<WebhookEndpoint[]> {
      const items = await queryAll(table, {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: toItem({
          ':pk': keys.application(applicationId).pk,
          ':prefix': keys.webhookEndpointPrefix,
        }),
        ConsistentRead: true,
      });
      return items.map((item) => endpointOf(fromItem(item)));
    },

    /** Sets fields of an endpoint that still exists; `remove` names fields to drop. */
    async updateEndpoint(
      endpoint: Pick<WebhookEndpoint, 'id' | 'applicationId'>,
      set: Partial<WebhookEndpoint>,
      remove: (keyof WebhookEndpoint)[] = [],
      condition?: { field: keyof WebhookEndpoint; equals: unknown },
    ): Promise<boolean> {
      const names: Record<string, string> = {};
      const values: Item = {};
      const sets = Object.entries(set).map(([field, value], i) => {
        names[`#s${i}`] = field;
        values[`:s${i}`] = value;
        return `#s${i} = :s${i}`;
      });
      const removes = remove.map((field, i) => {
        names[`#r${i}`] = field;
        return `#r${i}`;
      });
      let conditionExpression = 'attribute_exists(pk)';
      if (condition) {
        names['#c'] = condition.field;
        values[':c'] = condition.equals;
        conditionExpression += ' AND #c = :c';
      }
      return conditional(() =>
        client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: toItem(keys.webhookEndpoint(endpoint.applicationId, endpoint.id)),
            UpdateExpression: [
              sets.length ? `SET ${sets.join(', ')}` : '',
              removes.length ? `REMOVE ${removes.join(', ')}` : '',
            ]
              .join(' ')
              .trim(),
            ConditionExpression: conditionExpression,
            ExpressionAttributeNames: names,
            ...(Object.keys(values).length ? { ExpressionAttributeValues: toItem(values) } : {}),
          }),
        ),
      );
    },

    /** Starts a run of failures unless one is already running; answers when it started. */
    async markFailing(endpoint: WebhookEndpoint, now: string): Promise<string> {
      const answer = await client
        .send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: toItem(keys.webhookEndpoint(endpoint.applicationId, endpoint.id)),
            UpdateExpression: 'SET failingSince = if_not_exists(failingSince, :now)',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: toItem({ ':now': now }),
            ReturnValues: 'ALL_NEW',
          }),
        )
        .catch((error: unknown) => {
          if (error instanceof ConditionalCheckFailedException) return undefined;
          throw error;
        });
      return answer?.Attributes ? String(fromItem(answer.Attributes).failingSince) : now;
    },

    async deleteEndpoint(endpoint: WebhookEndpoint): Promise<void> {
      // The count goes down only with a delete that found the endpoint: a repeated delete frees no place.
      try {
        await client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                Delete: {
                  TableName: tableName,
                  Key: toItem(keys.webhookEndpoint(endpoint.applicationId, endpoint.id)),
                  ConditionExpression: 'attribute_exists(pk)',
                },
              },
              {
                Update: {
                  TableName: tableName,
                  Key: toItem(keys.webhookEndpointCount(endpoint.applicationId)),
                  UpdateExpression: 'SET endpointCount = endpointCount - :one',
                  ConditionExpression: 'endpointCount > :zero',
                  ExpressionAttributeValues: toItem({ ':zero': 0, ':one': 1 }),
                },
              },
            ],
          }),
        );
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        // Registered before endpoints were counted (no count to lower): delete it alone.
        if (error.CancellationReasons?.[0]?.Code !== 'ConditionalCheckFailed')
          await client.send(
            new DeleteItemCommand({
              TableName: tableName,
              Key: toItem(keys.webhookEndpoint(endpoint.applicationId, endpoint.id)),
            }),
          );
      }
      // The pointer stays, so the id stays taken: a registration repeated under the Idempotency-Key
      // that made it must not bring the endpoint back, its deliveries' ids already used.
    },

    /** Creates the delivery unless one exists for the same endpoint and event; answers whether it did. */
    async createDelivery(delivery: WebhookDelivery): Promise<boolean> {
      return conditional(() =>
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
      const stored = await conditional(() =>
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
  return repository;
}
export type WebhookRepository = ReturnType<typeof webhookRepository>;
