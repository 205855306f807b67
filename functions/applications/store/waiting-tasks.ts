/**
 * The callback token of the workflow execution waiting on an application, kept on the
 * application item: recorded while the application is still at the version the wait began at,
 * and taken off, conditionally on being that token, after it was released (Step Functions accepts
 * a token once, so two releasers never both move the execution).
 */
import { ConditionalCheckFailedException, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import {
  fromItem,
  keys,
  queryAll,
  type TableContext,
  tableDesign,
  toItem,
  waitingTaskShards,
} from '../../kernel/store/table.js';
import {
  type StoredApplication,
  type WaitingTask,
  waitingFields,
  waitingTaskIndexKeys,
  waitingTaskOf,
} from './application-item.js';
import { applicationsOf, openApplicationIds } from './open-applications.js';

const waitingTasksIndex = tableDesign.indexes.waitingTasks;

export function waitingTasks(table: TableContext) {
  const { client, tableName } = table;
  return {
    /**
     * What the reconciler looks at: the open applications (each must have a live execution) and
     * any application with a token still recorded (a final decision's release may have failed).
     * Two sparse indexes name them, so a run reads what it checks rather than the whole table.
     */
    async listToReconcile(): Promise<StoredApplication[]> {
      const withToken = await Promise.all(
        Array.from({ length: waitingTaskShards }, (_, shard) =>
          queryAll(table, {
            IndexName: waitingTasksIndex.indexName,
            KeyConditionExpression: '#pk = :shard',
            ExpressionAttributeNames: { '#pk': waitingTasksIndex.partitionKey },
            ExpressionAttributeValues: toItem({ ':shard': keys.waitingTasks(shard) }),
          }),
        ),
      );
      const ids = new Set([
        ...(await openApplicationIds(table)),
        ...withToken.flat().map((item) => String(fromItem(item)[waitingTasksIndex.sortKey])),
      ]);
      return applicationsOf(table, [...ids]);
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
            UpdateExpression:
              'SET taskToken = :token, waitingState = :state, waitingInput = :input, waitingVersion = :version, #indexPk = :indexPk, #indexSk = :indexSk',
            ConditionExpression: 'version = :version',
            ExpressionAttributeNames: {
              '#indexPk': waitingTasksIndex.partitionKey,
              '#indexSk': waitingTasksIndex.sortKey,
            },
            ExpressionAttributeValues: toItem({
              ':token': task.token,
              ':state': task.state,
              ':input': task.input,
              ':version': version,
              ':indexPk': waitingTaskIndexKeys(id)[waitingTasksIndex.partitionKey],
              ':indexSk': id,
            }),
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },

    /**
     * Takes a waiting execution's token off the application, on condition that it is still this
     * token, so that only one caller (a person's change or a "route again") ever releases it.
     */
    async takeWaitingTask(id: string, token: string): Promise<boolean> {
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: toItem(keys.application(id)),
            UpdateExpression: `REMOVE ${waitingFields.join(', ')}`,
            ConditionExpression: 'taskToken = :token',
            ExpressionAttributeValues: toItem({ ':token': token }),
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },

    /**
     * A token recorded for a version before `version` (so between a change's read and its write)
     * belongs to a wait the change ended: answered for the caller to release, and left on the item
     * until the caller takes it off after the release (`takeWaitingTask`). Taking it off first
     * would lose it for good when the take was applied but its answer lost: a retried take then
     * finds nothing, and nobody holds the token. A token for the current version belongs to a wait
     * that started after the change and is not answered.
     */
    async lateTask(id: string, version: number): Promise<WaitingTask | undefined> {
      const { Item } = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: toItem(keys.application(id)),
          ConsistentRead: true,
          ProjectionExpression: waitingFields.join(', '),
        }),
      );
      const waiting = Item ? waitingTaskOf(fromItem(Item)) : undefined;
      return waiting && (waiting.version === undefined || waiting.version < version) ? waiting : undefined;
    },
  };
}
