/**
 * Applications whose checks wait on data, and why: kept until a re-run answers every check, so a
 * source that comes back is asked again without anyone acting, and a decision never goes ahead
 * on checks too old to trust.
 */
import { DeleteItemCommand, PutItemCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { conditionally } from '../../kernel/store/conditional-write.js';
import { fromItem, keys, queryAll, type TableContext, toItem } from '../../kernel/store/table.js';

export type PendingWhy = 'source-unavailable' | 'stale';

export interface PendingCheck {
  cityId: string;
  applicationId: string;
  why: PendingWhy;
  since: string;
  /** Re-runs so far: the re-runner backs off on an application whose source stays down. */
  attempts: number;
  lastAttemptAt?: string;
}

const itemOf = (pending: PendingCheck) => ({
  ...keys.pendingChecks(pending.cityId, pending.applicationId),
  type: 'pending-checks',
  ...pending,
});

/** The marker, as a part of the transaction that stores what is pending (intake's). */
export function pendingChecksPut(tableName: string, pending: PendingCheck): TransactWriteItem {
  return { Put: { TableName: tableName, Item: toItem(itemOf(pending)) } };
}

export function pendingChecksRepository({ client, tableName }: TableContext) {
  return {
    /** Marks an application for a re-run; a mark already there (and its attempts) is kept. */
    async mark(pending: Omit<PendingCheck, 'attempts'>): Promise<boolean> {
      return conditionally(() =>
        client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: toItem(itemOf({ ...pending, attempts: 0 })),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
    },
    /** Every application waiting, oldest first within each city. */
    async list(): Promise<PendingCheck[]> {
      const items = await queryAll(
        { client, tableName },
        {
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: toItem({ ':pk': keys.pendingChecksPartition }),
        },
      );
      return items.map(fromItem).map(({ pk: _pk, sk: _sk, type: _type, ...rest }) => rest as PendingCheck);
    },
    async attempted(pending: PendingCheck, at: string): Promise<void> {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: toItem(itemOf({ ...pending, attempts: pending.attempts + 1, lastAttemptAt: at })),
        }),
      );
    },
    async clear(cityId: string, applicationId: string): Promise<void> {
      await client.send(
        new DeleteItemCommand({ TableName: tableName, Key: toItem(keys.pendingChecks(cityId, applicationId)) }),
      );
    },
  };
}
export type PendingChecksRepository = ReturnType<typeof pendingChecksRepository>;
