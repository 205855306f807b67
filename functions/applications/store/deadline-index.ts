/**
 * The deadline-due index: every open application carries, in the same write that changes it, the
 * moment its next deadline event falls due (`deadlineDueAt`). The deadline sweep reads what is
 * due from here and records it; no workflow execution wakes for a deadline.
 */

import { ConditionalCheckFailedException, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { policyVersion } from '../../kernel/domain/policies/index.js';
import type { CityPolicy } from '../../kernel/domain/policy.js';
import {
  deadlineDueShards,
  fromItem,
  type Item,
  keys,
  shardOf,
  type TableContext,
  tableDesign,
  toItem,
} from '../../kernel/store/table.js';
import type { Application } from '../domain/lifecycle.js';
import { deadlineDueAt } from '../domain/next-step.js';

const { deadlineDue } = tableDesign.indexes;

/**
 * The index keys an application item carries: none once nothing more can fall due. The moment
 * depends on the city's policy and calendars, which every production writer passes. A writer
 * without them (a test, a tool) gets the shipped policy of that version; failing that, the
 * application is indexed as due at once, and the sweep, which reads the city's policy, records
 * what is due and writes the right moment.
 */
export function deadlineIndexKeys(application: Application, policy?: CityPolicy): Item {
  const judgedBy = policy ?? policyVersion(application.policyVersion);
  const due = judgedBy ? deadlineDueAt(application, judgedBy) : application.dueAt && application.stageEnteredAt;
  if (!due) return {};
  return {
    [deadlineDue.partitionKey]: keys.deadlineDue(shardOf(application.id, deadlineDueShards)),
    [deadlineDue.sortKey]: `${due}#${application.id}`,
  };
}

/** `<moment>#<application id>`: an ISO moment holds no '#'. */
const idOf = (sortKey: string) => sortKey.slice(sortKey.indexOf('#') + 1);

const shards = Array.from({ length: deadlineDueShards }, (_, shard) => keys.deadlineDue(shard));
/** Sorts after every application id: `<moment>#~` bounds all the keys of that moment. */
const afterEveryId = '~';

export function deadlineIndex({ client, tableName }: TableContext) {
  async function query(shard: string, condition: string, bound: string, limit: number, cursor?: Item) {
    return client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: deadlineDue.indexName,
        KeyConditionExpression: `#pk = :pk AND #sk ${condition} :bound`,
        ExpressionAttributeNames: { '#pk': deadlineDue.partitionKey, '#sk': deadlineDue.sortKey },
        ExpressionAttributeValues: toItem({ ':pk': shard, ':bound': bound }),
        Limit: limit,
        ...(cursor ? { ExclusiveStartKey: toItem(cursor) } : {}),
      }),
    );
  }

  return {
    /** Ids of applications with a deadline event due at or before `now`, earliest first per shard; at most `limit`. */
    async due(now: string, limit: number): Promise<string[]> {
      const ids: string[] = [];
      for (const shard of shards) {
        let cursor: Item | undefined;
        do {
          const page = await query(shard, '<=', `${now}#${afterEveryId}`, Math.min(100, limit - ids.length), cursor);
          for (const item of page.Items ?? []) ids.push(idOf(String(fromItem(item)[deadlineDue.sortKey])));
          cursor = page.LastEvaluatedKey && fromItem(page.LastEvaluatedKey);
        } while (cursor && ids.length < limit);
        if (ids.length >= limit) break;
      }
      return ids;
    },

    /**
     * Writes an application's index keys as they should be, unless it changed meanwhile (whoever
     * changed it wrote them): for applications stored before the index existed, or after a
     * holiday schedule change. Answers whether it wrote.
     */
    async reindex(application: Application, policy?: CityPolicy): Promise<boolean> {
      const indexKeys = deadlineIndexKeys(application, policy);
      const set = Object.keys(indexKeys);
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: toItem(keys.application(application.id)),
            UpdateExpression: set.length ? 'SET #pk = :pk, #sk = :sk' : 'REMOVE #pk, #sk',
            ConditionExpression: 'version = :version AND eventSeq = :seq',
            ExpressionAttributeNames: { '#pk': deadlineDue.partitionKey, '#sk': deadlineDue.sortKey },
            ExpressionAttributeValues: toItem({
              ':version': application.version,
              ':seq': application.eventSeq,
              ...(set.length
                ? { ':pk': indexKeys[deadlineDue.partitionKey], ':sk': indexKeys[deadlineDue.sortKey] }
                : {}),
            }),
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },

    /** The earliest moment after `now` at which a deadline event falls due, if any (a scheduler arms itself by it). */
    async nextDueAfter(now: string): Promise<string | undefined> {
      let earliest: string | undefined;
      for (const shard of shards) {
        const { Items } = await query(shard, '>', `${now}#${afterEveryId}`, 1);
        const key = Items?.[0] && String(fromItem(Items[0])[deadlineDue.sortKey]);
        const moment = key?.slice(0, key.indexOf('#'));
        if (moment && (!earliest || moment < earliest)) earliest = moment;
      }
      return earliest;
    },
  };
}
export type DeadlineIndex = ReturnType<typeof deadlineIndex>;
