/**
 * Webhook endpoints and their deliveries. An endpoint lives beside its application
 * (`APP#<id>`/`WEBHOOK#<endpoint>`), with a pointer from its own id; each delivery is one item
 * per (endpoint, history event) under the endpoint, so the delivery log reads in event order and
 * a second creation for the same event is refused by a condition. A delivery waiting for its
 * next attempt carries the keys of the sparse `webhook-due` index.
 */
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { fromItem, type Item, keys, queryAll, type TableContext, tableDesign, toItem } from './table.js';

export type EndpointStatus = 'active' | 'paused' | 'disabled';

export interface SealedSecret {
  /** The secret, encrypted under WEBHOOK_SECRET_KEY. */
  sealed: string;
  /** A replaced secret keeps signing until then (24 h after rotation); the current one has none. */
  expiresAt?: string;
}

export interface WebhookEndpoint {
  id: string;
  applicationId: string;
  url: string;
  events: string[];
  status: EndpointStatus;
  /** Why it was disabled, for its owner. */
  disabledReason?: string;
  disabledAt?: string;
  /** Current secret first. */
  secrets: SealedSecret[];
  /** Start of the current run of failed attempts; cleared by a success. */
  failingSince?: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'held';

export interface DeliveryAttempt {
  at: string;
  statusCode?: number;
  durationMs: number;
  error?: string;
  /** When it is tried again after this attempt, if it is. */
  nextRetryAt?: string;
}

export interface WebhookDelivery {
  /** The `webhook-id`: the same on every attempt and on replay, so receivers can deduplicate. */
  id: string;
  endpointId: string;
  applicationId: string;
  /** The history event's sequence number. */
  seq: number;
  eventType: string;
  /** Bumped by every save; a save is conditional on the revision it read. */
  revision: number;
  /** The exact body sent on every attempt. */
  body: string;
  status: DeliveryStatus;
  attempts: DeliveryAttempt[];
  /** Failed attempts since it was created or last replayed: the position in the retry schedule. */
  failuresThisRound: number;
  nextAttemptAt?: string;
  /** Set while it waits behind an earlier event of the same endpoint (that event's seq). */
  waitingFor?: number;
  /** Why it stopped, when it did without success. */
  reason?: string;
  createdAt: string;
}

const deliveryIdPattern = /^msg_([0-9a-f]{24})_(\d+)$/;
const endpointIdPattern = /^ep_([0-9a-f]{24})$/;

/** `msg_<endpoint>_<seq>`: derived from what makes a delivery unique, so a repeat creation collides. */
export function deliveryIdOf(endpointId: string, seq: number): string {
  const match = endpointIdPattern.exec(endpointId);
  if (!match) throw new Error(`not an endpoint id: ${endpointId}`);
  return `msg_${match[1]}_${seq}`;
}

export function parseDeliveryId(id: string): { endpointId: string; seq: number } | undefined {
  const match = deliveryIdPattern.exec(id);
  return match ? { endpointId: `ep_${match[1]}`, seq: Number(match[2]) } : undefined;
}

export const isEndpointId = (id: string) => endpointIdPattern.test(id);

const { webhookDue } = tableDesign.indexes;
const dueSortKey = (at: string, id: string) => `${at}#${id}`;
const internal = new Set(['pk', 'sk', 'type', webhookDue.partitionKey, webhookDue.sortKey]);
const strip = (item: Item) => Object.fromEntries(Object.entries(item).filter(([k]) => !internal.has(k)));

function deliveryItem(delivery: WebhookDelivery) {
  return toItem({
    ...keys.webhookDelivery(delivery.endpointId, delivery.seq),
    type: 'webhook-delivery',
    ...delivery,
    ...(delivery.status === 'pending' && delivery.nextAttemptAt
      ? {
          [webhookDue.partitionKey]: keys.webhookDue,
          [webhookDue.sortKey]: dueSortKey(delivery.nextAttemptAt, delivery.id),
        }
      : {}),
  });
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
    async createEndpoint(endpoint: WebhookEndpoint): Promise<void> {
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
          ],
        }),
      );
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
      return Item ? (strip(fromItem(Item)) as WebhookEndpoint) : undefined;
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
      return items.map((item) => strip(fromItem(item)) as WebhookEndpoint);
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
      await client.send(
        new DeleteItemCommand({
          TableName: tableName,
          Key: toItem(keys.webhookEndpoint(endpoint.applicationId, endpoint.id)),
        }),
      );
      await client.send(
        new DeleteItemCommand({ TableName: tableName, Key: toItem(keys.webhookEndpointPointer(endpoint.id)) }),
      );
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
      return Item ? (strip(fromItem(Item)) as WebhookDelivery) : undefined;
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
      return items.map((item) => strip(fromItem(item)) as WebhookDelivery);
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
      return (page.Items ?? []).map((item) => strip(fromItem(item)) as WebhookDelivery);
    },
  };
  return repository;
}
export type WebhookRepository = ReturnType<typeof webhookRepository>;
