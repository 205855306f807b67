/**
 * The callback token of the workflow execution waiting on an application, kept on the
 * application item: recorded while the application is still at the version the wait began at,
 * and taken off, conditionally on being that token, after it was released (Step Functions accepts
 * a token once, so two releasers never both move the execution).
 */
import { ConditionalCheckFailedException, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import {
  type StoredApplication,
  toApplication,
  type WaitingTask,
  waitingFields,
  waitingTaskOf,
} from './application-item.js';
import { fromItem, keys, scanAll, type TableContext, toItem } from './table.js';

export function waitingTasks(table: TableContext) {
  const { client, tableName } = table;
  return {
    /**
     * What the reconciler looks at: the open applications (each must have a live execution) and
     * any application with a token still recorded (a final decision's release may have failed).
     * A scan, as `listOpen`: docs/architecture.md (the reconciler) says what it costs and what would replace it.
     */
    async listToReconcile(): Promise<StoredApplication[]> {
      const items = await scanAll(table, {
        FilterExpression:
          '#type = :application AND (#status IN (:in_review, :returned) OR attribute_exists(taskToken))',
        ExpressionAttributeNames: { '#type': 'type', '#status': 'status' },
        ExpressionAttributeValues: toItem({
          ':application': 'application',
          ':in_review': 'in_review',
          ':returned': 'returned',
        }),
      });
      return items.map((item) => toApplication(fromItem(item)));
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
              'SET taskToken = :token, waitingState = :state, waitingInput = :input, waitingVersion = :version',
            ConditionExpression: 'version = :version',
            ExpressionAttributeValues: toItem({
              ':token': task.token,
              ':state': task.state,
              ':input': task.input,
              ':version': version,
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
