/**
 * Webhook endpoints, read and written (their items: `webhook-items.ts`). An application has at most
 * as many as its city allows, counted by an item whose condition decides; an endpoint's id stays
 * taken after it is deleted; every update is conditional on the endpoint still existing.
 */
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { conditionally } from '../../kernel/store/conditional-write.js';
import { fromItem, type Item, keys, queryAll, type TableContext, toItem } from '../../kernel/store/table.js';
import { cancellationReasonOf, type TransactionParts, transactItemsOf } from '../../kernel/store/transactions.js';
import type { WebhookEndpoint } from '../domain/webhook-records.js';
import { endpointOf, isEndpointId } from './webhook-items.js';

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

export function webhookEndpointStore({ client, tableName }: TableContext) {
  const table = { client, tableName };
  return {
    /**
     * Creates the endpoint unless the application already has `limit` (the count item's condition
     * decides, so two registrations at once cannot both take the last place).
     */
    async createEndpoint(endpoint: WebhookEndpoint, limit: number): Promise<void> {
      const parts = {
        endpoint: {
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
        pointer: {
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
        count: {
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
      } satisfies TransactionParts;
      try {
        await client.send(new TransactWriteItemsCommand({ TransactItems: transactItemsOf(parts) }));
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const refused = (part: keyof typeof parts) =>
          cancellationReasonOf(error, parts, part)?.Code === 'ConditionalCheckFailed';
        if (refused('endpoint') || refused('pointer')) throw new EndpointIdTakenError(endpoint.id);
        if (refused('count')) throw new EndpointLimitReachedError(endpoint.applicationId, limit);
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
      return conditionally(() =>
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
      const parts = {
        endpoint: {
          Delete: {
            TableName: tableName,
            Key: toItem(keys.webhookEndpoint(endpoint.applicationId, endpoint.id)),
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
        count: {
          Update: {
            TableName: tableName,
            Key: toItem(keys.webhookEndpointCount(endpoint.applicationId)),
            UpdateExpression: 'SET endpointCount = endpointCount - :one',
            ConditionExpression: 'endpointCount > :zero',
            ExpressionAttributeValues: toItem({ ':zero': 0, ':one': 1 }),
          },
        },
      } satisfies TransactionParts;
      try {
        await client.send(new TransactWriteItemsCommand({ TransactItems: transactItemsOf(parts) }));
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        // Registered before endpoints were counted (no count to lower): delete it alone.
        if (cancellationReasonOf(error, parts, 'endpoint')?.Code !== 'ConditionalCheckFailed')
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
  };
}
