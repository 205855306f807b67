/**
 * Applications and their history. The application item is the truth about where an
 * application stands; every change to it is one conditional transaction that also appends
 * the history event, so the two can never disagree.
 */
import {
  ConditionalCheckFailedException,
  GetItemCommand,
  QueryCommand,
  ScanCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { isFinal, type Application, type HistoryEvent, type Stage, type Transition } from '../domain/lifecycle.js';
import { unitAtLevel } from '../domain/units.js';
import { fromItem, keys, tableDesign, toItem, type Item, type TableContext } from './table.js';

/** A workflow execution waiting on a person: the callback token and where to resume it. */
export interface WaitingTask {
  token: string;
  /** The state machine state that waits, so a restarted local engine can resume there. */
  state: string;
  /** That state's input. */
  input: Item;
}

export interface StoredApplication {
  application: Application;
  waitingTask?: WaitingTask;
}

/** Another writer changed the application between our read and our write. */
export class StaleWriteError extends Error {
  constructor(id: string, options?: { cause?: unknown }) {
    super(`application ${id} changed while it was being written`, options);
    this.name = 'StaleWriteError';
  }
}

/** The same idempotency key was used before; `applicationId` is what it created. */
export class IdempotencyKeyUsedError extends Error {
  constructor(
    readonly applicationId: string,
    readonly requestHash: string,
  ) {
    super('idempotency key already used');
    this.name = 'IdempotencyKeyUsedError';
  }
}

export interface IdempotencyRecord {
  actorSub: string;
  key: string;
  requestHash: string;
  /** Epoch seconds after which the key may be reused. */
  expiresAt: number;
}

const indexFields = Object.values(tableDesign.indexes).flatMap((index) => [index.partitionKey, index.sortKey]);
const internalFields = ['pk', 'sk', 'type', 'taskToken', 'waitingState', 'waitingInput', ...indexFields];

/** The path as a sortable prefix; the trailing slash keeps `street:gexin` from matching `street:gexin-2`. */
export const unitPathPrefix = (path: readonly string[]) => `${path.join('/')}/`;

/**
 * The application item with the keys of the indexes it belongs in while it is open. A final
 * application carries none, so it drops out of every inbox and backlog count by itself.
 */
function applicationItem(application: Application, waitingTask?: WaitingTask) {
  const { inbox, escalations, stageBacklog } = tableDesign.indexes;
  const open = !isFinal(application.status) && application.stage;
  const due = `${application.dueAt ?? ''}#${application.id}`;
  const holder = application.stage === 'community' ? application.communityId : application.stage && unitAtLevel(application.unitPath, application.stage);
  return toItem({
    ...keys.application(application.id),
    type: 'application',
    ...application,
    ...(open && holder ? { [inbox.partitionKey]: keys.inbox(application.stage as Stage, holder), [inbox.sortKey]: due } : {}),
    ...(open && application.escalatedTo
      ? { [escalations.partitionKey]: keys.escalations(application.escalatedTo), [escalations.sortKey]: due }
      : {}),
    ...(open
      ? { [stageBacklog.partitionKey]: keys.stageBacklog(application.stage as Stage), [stageBacklog.sortKey]: `${unitPathPrefix(application.unitPath)}#${due}` }
      : {}),
    ...(waitingTask ? { taskToken: waitingTask.token, waitingState: waitingTask.state, waitingInput: waitingTask.input } : {}),
  });
}

export function toApplication(item: Item): StoredApplication {
  const application = Object.fromEntries(Object.entries(item).filter(([k]) => !internalFields.includes(k))) as Application;
  const waitingTask =
    typeof item.taskToken === 'string'
      ? { token: item.taskToken, state: String(item.waitingState), input: (item.waitingInput ?? {}) as Item }
      : undefined;
  return { application, waitingTask };
}

function eventPut(tableName: string, applicationId: string, event: HistoryEvent): TransactWriteItem {
  return {
    Put: {
      TableName: tableName,
      Item: toItem({ ...keys.applicationEvent(applicationId, event.seq), type: 'event', applicationId, ...event }),
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export function applicationRepository({ client, tableName }: TableContext) {
  async function transact(id: string, items: TransactWriteItem[]): Promise<void> {
    try {
      await client.send(new TransactWriteItemsCommand({ TransactItems: items }));
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const reasons = error.CancellationReasons ?? [];
        if (reasons.some((r) => r.Code === 'ConditionalCheckFailed')) throw new StaleWriteError(id, { cause: error });
        // TransactionConflict: another transaction touched the item at the same moment.
        if (reasons.some((r) => r.Code === 'TransactionConflict')) throw new StaleWriteError(id, { cause: error });
      }
      throw error;
    }
  }

  return {
    /** Stores a new application with its first event, and the idempotency key that asked for it. */
    async create(transition: Transition, idempotency?: IdempotencyRecord): Promise<void> {
      const { application, event } = transition;
      const items: TransactWriteItem[] = [
        { Put: { TableName: tableName, Item: applicationItem(application), ConditionExpression: 'attribute_not_exists(pk)' } },
        eventPut(tableName, application.id, event),
      ];
      if (idempotency) {
        items.push({
          Put: {
            TableName: tableName,
            Item: toItem({
              ...keys.idempotency(idempotency.actorSub, idempotency.key),
              type: 'idempotency',
              requestHash: idempotency.requestHash,
              applicationId: application.id,
              expiresAt: idempotency.expiresAt,
            }),
            ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
            ExpressionAttributeValues: toItem({ ':now': Math.floor(Date.parse(application.submittedAt) / 1000) }),
          },
        });
      }
      try {
        await client.send(new TransactWriteItemsCommand({ TransactItems: items }));
      } catch (error) {
        if (idempotency && error instanceof TransactionCanceledException && error.CancellationReasons?.[2]?.Code === 'ConditionalCheckFailed') {
          const earlier = await this.findIdempotencyKey(idempotency.actorSub, idempotency.key, new Date(application.submittedAt));
          if (earlier) throw new IdempotencyKeyUsedError(earlier.applicationId, earlier.requestHash);
        }
        throw error;
      }
    },

    /** The key's earlier use, unless it has expired by `now` (TTL deletes expired keys only eventually). */
    async findIdempotencyKey(actorSub: string, key: string, now: Date): Promise<{ applicationId: string; requestHash: string } | undefined> {
      const { Item } = await client.send(
        new GetItemCommand({ TableName: tableName, Key: toItem(keys.idempotency(actorSub, key)), ConsistentRead: true }),
      );
      if (!Item) return undefined;
      const record = fromItem(Item);
      if (typeof record.expiresAt === 'number' && record.expiresAt * 1000 < now.getTime()) return undefined;
      return { applicationId: String(record.applicationId), requestHash: String(record.requestHash) };
    },

    async get(id: string): Promise<StoredApplication | undefined> {
      const { Item } = await client.send(
        new GetItemCommand({ TableName: tableName, Key: toItem(keys.application(id)), ConsistentRead: true }),
      );
      return Item ? toApplication(fromItem(Item)) : undefined;
    },

    async history(id: string): Promise<HistoryEvent[]> {
      const events: HistoryEvent[] = [];
      let cursor: Record<string, import('@aws-sdk/client-dynamodb').AttributeValue> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :evt)',
            ExpressionAttributeValues: toItem({ ':pk': keys.application(id).pk, ':evt': keys.applicationEventPrefix }),
            ConsistentRead: true,
            ExclusiveStartKey: cursor,
          }),
        );
        for (const item of page.Items ?? []) {
          const { pk: _pk, sk: _sk, type: _type, applicationId: _id, ...event } = fromItem(item);
          events.push(event as HistoryEvent);
        }
        cursor = page.LastEvaluatedKey;
      } while (cursor);
      return events;
    },

    /**
     * Writes a transition computed from `previous`, only if nothing changed since it was read:
     * same version, same last event, same waiting task. The waiting task is cleared, because
     * the execution that waited will be told to move on.
     */
    async commit(previous: StoredApplication, transition: Transition): Promise<void> {
      const { application, event } = transition;
      const prior = previous.application;
      const tokenCondition = previous.waitingTask ? 'taskToken = :token' : 'attribute_not_exists(taskToken)';
      const stillWaiting = previous.waitingTask && application.version === prior.version;
      await transact(application.id, [
        {
          Put: {
            TableName: tableName,
            // A change that is not a person's (a deadline event) leaves the execution waiting.
            Item: applicationItem(application, stillWaiting ? previous.waitingTask : undefined),
            ConditionExpression: `version = :version AND eventSeq = :seq AND ${tokenCondition}`,
            ExpressionAttributeValues: toItem({
              ':version': prior.version,
              ':seq': prior.eventSeq,
              ...(previous.waitingTask ? { ':token': previous.waitingTask.token } : {}),
            }),
          },
        },
        eventPut(tableName, application.id, event),
      ]);
    },

    /**
     * Records the execution's callback token while the application is still at `version`.
     * Answers false when the application moved on first: the caller must then release the
     * execution itself, since no one else holds its token.
     */
    async recordWaitingTask(id: string, version: number, task: WaitingTask): Promise<boolean> {
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: toItem(keys.application(id)),
            UpdateExpression: 'SET taskToken = :token, waitingState = :state, waitingInput = :input',
            ConditionExpression: 'version = :version',
            ExpressionAttributeValues: toItem({ ':token': task.token, ':state': task.state, ':input': task.input, ':version': version }),
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },

    /** Applications not finally decided: the local engine resumes their executions after a restart. */
    async listOpen(): Promise<StoredApplication[]> {
      const open: StoredApplication[] = [];
      let cursor: Record<string, import('@aws-sdk/client-dynamodb').AttributeValue> | undefined;
      do {
        const page = await client.send(
          new ScanCommand({
            TableName: tableName,
            FilterExpression: '#type = :application AND #status IN (:in_review, :returned)',
            ExpressionAttributeNames: { '#type': 'type', '#status': 'status' },
            ExpressionAttributeValues: toItem({ ':application': 'application', ':in_review': 'in_review', ':returned': 'returned' }),
            ExclusiveStartKey: cursor,
          }),
        );
        open.push(...(page.Items ?? []).map((item) => toApplication(fromItem(item))));
        cursor = page.LastEvaluatedKey;
      } while (cursor);
      return open;
    },
  };
}
export type ApplicationRepository = ReturnType<typeof applicationRepository>;
