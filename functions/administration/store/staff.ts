/**
 * The staff directory in the table: a person's record under their `sub`, and a copy under their
 * city so a city's administrator lists their staff with one query. Both are written in one
 * transaction with the administration log's entry (see `admin-log.ts`).
 */
import { GetItemCommand, type TransactWriteItem, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import { fromItem, keys, queryAll, type TableContext, toItem } from '../../kernel/store/table.js';
import { assignmentSchema, type StaffRecord } from '../domain/staff.js';
import type { AdminLogRepository } from './admin-log.js';

const recordSchema = z.object({
  sub: z.string(),
  cityId: z.string(),
  name: z.string(),
  assignments: z.array(assignmentSchema),
  version: z.number(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});

function parseRecord(item: Parameters<typeof fromItem>[0]): StaffRecord {
  const { pk: _pk, sk: _sk, type: _type, ...record } = fromItem(item);
  return recordSchema.parse(record);
}

export function staffRepository(table: TableContext) {
  const { client, tableName } = table;

  async function get(sub: string, consistent = false): Promise<StaffRecord | undefined> {
    const { Item } = await client.send(
      new GetItemCommand({ TableName: tableName, Key: toItem(keys.staff(sub)), ConsistentRead: consistent }),
    );
    return Item ? parseRecord(Item) : undefined;
  }

  /** The writes that replace `prior` (or create the person) with `next`; conditional on the version read. */
  function writesFor(prior: StaffRecord | undefined, next: StaffRecord): TransactWriteItem[] {
    const condition = prior
      ? { ConditionExpression: 'version = :v', ExpressionAttributeValues: toItem({ ':v': prior.version }) }
      : { ConditionExpression: 'attribute_not_exists(pk)' };
    const writes: TransactWriteItem[] = [
      {
        Put: { TableName: tableName, Item: toItem({ ...keys.staff(next.sub), type: 'staff', ...next }), ...condition },
      },
      {
        Put: {
          TableName: tableName,
          Item: toItem({ ...keys.cityStaff(next.cityId, next.sub), type: 'city-staff', ...next }),
        },
      },
    ];
    if (prior && prior.cityId !== next.cityId)
      writes.push({ Delete: { TableName: tableName, Key: toItem(keys.cityStaff(prior.cityId, prior.sub)) } });
    return writes;
  }

  return {
    get,

    async listOfCity(cityId: string): Promise<StaffRecord[]> {
      const items = await queryAll(table, {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: toItem({ ':pk': keys.cityStaff(cityId, '').pk, ':prefix': keys.cityStaffPrefix }),
      });
      return items.map(parseRecord);
    },

    /**
     * Replaces a person's record with what `decide` makes of the current one, logged in the city's
     * administration log in the same transaction. `decide` returns undefined when nothing changes.
     */
    async change(
      log: AdminLogRepository,
      sub: string,
      cityId: string,
      decide: (prior: StaffRecord | undefined) => { next: StaffRecord; by: string; at: string } | undefined,
    ): Promise<StaffRecord | undefined> {
      return log.commit(cityId, async () => {
        const prior = await get(sub, true);
        const decided = decide(prior);
        if (!decided) return { entry: undefined, writes: [], result: prior };
        const { next, by, at } = decided;
        return {
          entry: {
            at,
            by,
            action: 'staff.put',
            target: sub,
            ...(prior ? { before: { name: prior.name, assignments: prior.assignments } } : {}),
            after: { name: next.name, assignments: next.assignments },
          },
          writes: writesFor(prior, next),
          result: next,
        };
      });
    },

    /** Local seeding only (`npm start`, `npm run token`): writes a record without a log entry. */
    async seed(record: StaffRecord): Promise<void> {
      const prior = await get(record.sub, true);
      if (prior && prior.cityId !== record.cityId)
        await client.send(
          new TransactWriteItemsCommand({
            TransactItems: [{ Delete: { TableName: tableName, Key: toItem(keys.cityStaff(prior.cityId, prior.sub)) } }],
          }),
        );
      await client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: tableName, Item: toItem({ ...keys.staff(record.sub), type: 'staff', ...record }) } },
            {
              Put: {
                TableName: tableName,
                Item: toItem({ ...keys.cityStaff(record.cityId, record.sub), type: 'city-staff', ...record }),
              },
            },
          ],
        }),
      );
    },
  };
}
export type StaffRepository = ReturnType<typeof staffRepository>;
