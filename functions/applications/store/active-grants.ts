/**
 * A city's grants as the monthly re-check reads them: the sparse `active-grants` index, keyed by
 * city and by each grant's last payable month (`table-design.ts`). The keys are written on the
 * grant item itself, in the final approval's transaction (`listingOf`, used by `ledgerWrites`), so
 * no grant is ever recorded without them; grants recorded before the index existed are given them
 * by `addMissingToActiveGrants` (`npm run grants:backfill`). A suspension moves the last payable
 * month back, in the same conditional update that records it (`suspensionUpdate`).
 */
import type { AttributeValue, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import { lastMonthOf } from '../../kernel/domain/dates.js';
import { programmeIds } from '../../kernel/domain/programmes.js';
import {
  fromItem,
  getAll,
  keys,
  MalformedItemError,
  scanAll,
  type TableContext,
  tableDesign,
  toItem,
} from '../../kernel/store/table.js';
import type { Grant } from '../domain/benefit-ledger.js';
import type { SuspensionReason } from '../domain/grant-recheck.js';
import { storedApplicationSchema } from './application-item.js';
import { recheckKeys } from './recheck-keys.js';

/** A grant as the index lists it, with the person it is under. */
export interface ListedGrant {
  cityId: string;
  personKey: string;
  programme: Grant['programme'];
  start: string;
  months: number;
  applicationId: string;
  policyVersion: string;
  suspendedFrom?: string;
}

const { indexName } = tableDesign.indexes.activeGrants;

/** The last month a grant pays for: its last month, or the month before its suspension. */
const lastPayable = (grant: Pick<Grant, 'start' | 'months' | 'suspendedFrom'>) =>
  grant.suspendedFrom === undefined ? lastMonthOf(grant.start, grant.months) : lastMonthOf(grant.suspendedFrom, 0);

const sortKey = (grant: Pick<Grant, 'start' | 'months' | 'suspendedFrom' | 'applicationId'>) =>
  `${lastPayable(grant)}#${grant.applicationId}`;

/** The index's attributes on a grant item: its city's partition, its sort key and the policy it was granted under. */
export function listingOf(cityId: string, grant: Grant, policyVersion: string) {
  return { grantsPk: recheckKeys.activeGrants(cityId), grantsSk: sortKey(grant), policyVersion };
}

const listedSchema = z.object({
  pk: z.string(),
  programme: z.enum(programmeIds),
  start: z.string(),
  months: z.number(),
  applicationId: z.string(),
  policyVersion: z.string(),
  suspendedFrom: z.optional(z.string()),
});

export interface GrantPage {
  grants: ListedGrant[];
  /** Where the next page starts (DynamoDB's key, as JSON); absent on the last page. */
  next?: string;
}

/**
 * One page of the grants of `cityId` that pay for `month`: those whose last payable month is
 * `month` or later (the key condition) and whose first is not after it (a filter: grants that
 * start later than the month checked are few). Eventually consistent: a grant approved in the last
 * second is the next run's.
 */
export async function activeGrantsPage(
  { client, tableName }: TableContext,
  cityId: string,
  month: string,
  options: { limit: number; cursor?: string },
): Promise<GrantPage> {
  const prefix = keys.person(cityId, '');
  const answer = await client.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: indexName,
      KeyConditionExpression: 'grantsPk = :pk AND grantsSk >= :month',
      FilterExpression: '#start <= :month',
      ExpressionAttributeNames: { '#start': 'start' },
      ExpressionAttributeValues: toItem({ ':pk': recheckKeys.activeGrants(cityId), ':month': month }),
      Limit: options.limit,
      ...(options.cursor ? { ExclusiveStartKey: JSON.parse(options.cursor) as Record<string, AttributeValue> } : {}),
    }),
  );
  const grants = (answer.Items ?? []).map((raw) => {
    const parsed = z.safeParse(listedSchema, fromItem(raw));
    if (!parsed.success) throw new MalformedItemError(`active-grants item ${String(raw.pk?.S)}`, parsed.error);
    const { pk, ...grant } = parsed.data;
    return { ...grant, cityId, personKey: pk.slice(prefix.length) } as ListedGrant;
  });
  return answer.LastEvaluatedKey ? { grants, next: JSON.stringify(answer.LastEvaluatedKey) } : { grants };
}

/**
 * The grant's suspension (a transaction part): from `suspendedFrom`, with the reason and the run
 * that found it, its last payable month moved back. Conditional: a grant already suspended from
 * that month or earlier is not changed (a second run, or a concurrent one, changes nothing).
 */
export function suspensionUpdate(
  tableName: string,
  grant: ListedGrant,
  suspension: { suspendedFrom: string; reason: SuspensionReason; month: string; at: string },
): TransactWriteItem {
  return {
    Update: {
      TableName: tableName,
      Key: toItem(keys.grant(grant.cityId, grant.personKey, grant.programme, grant.start)),
      UpdateExpression: 'SET suspendedFrom = :from, suspension = :reason, grantsSk = :sk',
      ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(suspendedFrom) OR suspendedFrom > :from)',
      ExpressionAttributeValues: toItem({
        ':from': suspension.suspendedFrom,
        ':reason': { ...suspension.reason, monthChecked: suspension.month, at: suspension.at },
        ':sk': sortKey({ ...grant, suspendedFrom: suspension.suspendedFrom }),
      }),
    },
  };
}

/**
 * Gives the grants recorded before the active-grants index existed their keys: a scan (never on a
 * request path), each grant's application read for the policy it was granted under, each write
 * conditional on the keys being still absent. Safe beside live traffic and to run again.
 */
export async function addMissingToActiveGrants(table: TableContext): Promise<number> {
  const grants = (
    await scanAll(table, {
      FilterExpression: 'begins_with(sk, :grant) AND attribute_not_exists(grantsPk)',
      ExpressionAttributeValues: toItem({ ':grant': keys.grantPrefix }),
    })
  ).map(fromItem);
  let added = 0;
  for (let i = 0; i < grants.length; i += 100) {
    const batch = grants.slice(i, i + 100);
    const applications = new Map(
      (await getAll(table, [...new Set(batch.map((g) => String(g.applicationId)))].map(keys.application)))
        .map((raw) => z.safeParse(storedApplicationSchema, fromItem(raw)))
        .filter((parsed) => parsed.success)
        .map((parsed) => [parsed.data.id, parsed.data]),
    );
    for (const item of batch) {
      const application = applications.get(String(item.applicationId));
      if (!application?.unitPath[0]) continue;
      const listing = listingOf(application.unitPath[0], item as unknown as Grant, application.policyVersion);
      const written = await table.client
        .send(
          new UpdateItemCommand({
            TableName: table.tableName,
            Key: toItem({ pk: item.pk, sk: item.sk }),
            UpdateExpression: 'SET grantsPk = :pk, grantsSk = :sk, policyVersion = :policy',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(grantsPk)',
            ExpressionAttributeValues: toItem({
              ':pk': listing.grantsPk,
              ':sk': listing.grantsSk,
              ':policy': listing.policyVersion,
            }),
          }),
        )
        .then(
          () => true,
          (error: unknown) => {
            if ((error as Error).name === 'ConditionalCheckFailedException') return false;
            throw error;
          },
        );
      if (written) added++;
    }
  }
  return added;
}
