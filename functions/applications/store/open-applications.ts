/**
 * The applications not finally decided, found through the sparse stage-backlog index (only an
 * open application carries its keys) rather than a scan of the table: what a restart resumes,
 * what "route again" releases and, with the waiting-tasks index, what the reconciler checks.
 * The index is eventually consistent; each application is then read strongly consistent.
 */

import { approvalStages } from '../../kernel/domain/actor.js';
import type { Stage } from '../../kernel/domain/application-events.js';
import { fromItem, getAll, keys, queryAll, type TableContext, tableDesign, toItem } from '../../kernel/store/table.js';
import { type StoredApplication, toApplication } from './application-item.js';

/** Every stage an open application can wait at: the approval stages, and the community's for one returned. */
const openStages: readonly Stage[] = ['community', ...approvalStages];
const applicationPartition = keys.application('').pk;

export async function openApplicationIds(table: TableContext): Promise<string[]> {
  const { stageBacklog } = tableDesign.indexes;
  const pages = await Promise.all(
    openStages.map((stage) =>
      queryAll(table, {
        IndexName: stageBacklog.indexName,
        KeyConditionExpression: '#pk = :stage',
        ProjectionExpression: 'pk',
        ExpressionAttributeNames: { '#pk': stageBacklog.partitionKey },
        ExpressionAttributeValues: toItem({ ':stage': keys.stageBacklog(stage) }),
      }),
    ),
  );
  return pages.flat().map((item) => String(fromItem(item).pk).slice(applicationPartition.length));
}

/** The applications of these ids as stored now; an id with no application is left out. */
export async function applicationsOf(table: TableContext, ids: readonly string[]): Promise<StoredApplication[]> {
  const items = await getAll(
    table,
    ids.map((id) => keys.application(id)),
  );
  return items.map((item) => toApplication(fromItem(item)));
}
