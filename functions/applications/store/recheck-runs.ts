/**
 * The monthly re-check's runs: one item per city and month, created by whoever asks first (the
 * schedule, or `POST /verification/runs`), listed under `RECHECK-DUE` until finished, which the
 * fact checker reads to pick up what was asked for or left half done (keys: `recheck-keys.ts`).
 *
 * One invocation works a run at a time, under a lease (`claim`); a page at a time (`advance`: the
 * next cursor and the page's counts in one update conditional on the page read, so a page whose
 * advance a crash lost is worked again and counted once); `release` lets it go or finishes it. A
 * finished run that left checks pending is opened again by a new request (`request`) for another
 * round: what the first suspended stays suspended and is not listed again.
 */
import {
  GetItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import { conditionally } from '../../kernel/store/conditional-write.js';
import { fromItem, MalformedItemError, queryAll, type TableContext, toItem } from '../../kernel/store/table.js';
import { recheckKeys } from './recheck-keys.js';

const runSchema = z.object({
  cityId: z.string(),
  month: z.string(),
  status: z.enum(['requested', 'running', 'finished']),
  requestedBy: z.string(),
  requestedAt: z.string(),
  /** 1, and one more each time a finished run with pending checks is asked for again. */
  round: z.number(),
  /** Pages advanced this round; the next advance is conditional on it. */
  page: z.number(),
  cursor: z.optional(z.string()),
  startedAt: z.optional(z.string()),
  finishedAt: z.optional(z.string()),
  leaseOwner: z.optional(z.string()),
  leaseUntil: z.optional(z.string()),
  /** Grants re-checked this round (the suspended included). */
  checked: z.number(),
  /** Grants this round suspended. */
  suspended: z.number(),
  /** Grants left with a check pending (a source that could not answer), and the checks so left. */
  pendingGrants: z.number(),
  pendingChecks: z.number(),
});
export type RecheckRun = z.infer<typeof runSchema>;

/** What one page of grants came to. */
export type PageCounts = Pick<RecheckRun, 'checked' | 'suspended' | 'pendingGrants' | 'pendingChecks'>;

function parsed<S extends z.core.$ZodType>(schema: S, item: Record<string, unknown>, what: string): z.output<S> {
  const result = z.safeParse(schema, item);
  if (!result.success) throw new MalformedItemError(what, result.error);
  return result.data;
}

const zeroCounts = { checked: 0, suspended: 0, pendingGrants: 0, pendingChecks: 0 };

export function recheckRunRepository(table: TableContext) {
  const { client, tableName } = table;
  const runKey = (run: Pick<RecheckRun, 'cityId' | 'month'>) => toItem(recheckKeys.recheckRun(run.cityId, run.month));
  const dueKey = (run: Pick<RecheckRun, 'cityId' | 'month'>) => toItem(recheckKeys.recheckDue(run.cityId, run.month));

  async function get(cityId: string, month: string): Promise<RecheckRun | undefined> {
    const { Item } = await client.send(
      new GetItemCommand({ TableName: tableName, Key: runKey({ cityId, month }), ConsistentRead: true }),
    );
    return Item ? parsed(runSchema, fromItem(Item), `re-check run ${cityId} ${month}`) : undefined;
  }

  return {
    get,

    /**
     * The run of a city and month, created if none exists (and listed as due). An existing run is
     * answered as it is, unless `reopenPending` and it finished with checks pending: then it is
     * opened again for another round. `created` says whether this call made (or reopened) it.
     */
    async request(
      cityId: string,
      month: string,
      by: string,
      at: string,
      reopenPending = false,
    ): Promise<{ run: RecheckRun; created: boolean }> {
      const run: RecheckRun = {
        cityId,
        month,
        status: 'requested',
        requestedBy: by,
        requestedAt: at,
        round: 1,
        page: 0,
        ...zeroCounts,
      };
      try {
        await client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: toItem({ ...recheckKeys.recheckRun(cityId, month), type: 'recheck-run', ...run }),
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: toItem({ ...recheckKeys.recheckDue(cityId, month), type: 'recheck-due' }),
                },
              },
            ],
          }),
        );
        return { run, created: true };
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
      }
      const existing = await get(cityId, month);
      if (!existing) throw new Error(`re-check run ${cityId} ${month} was refused but is not there`);
      if (!reopenPending || existing.status !== 'finished' || existing.pendingGrants === 0)
        return { run: existing, created: false };
      const reopened: RecheckRun = {
        ...existing,
        ...zeroCounts,
        status: 'requested',
        requestedBy: by,
        requestedAt: at,
        round: existing.round + 1,
        page: 0,
      };
      delete reopened.cursor;
      delete reopened.finishedAt;
      try {
        await client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: toItem({ ...recheckKeys.recheckRun(cityId, month), type: 'recheck-run', ...reopened }),
                  ConditionExpression: '#status = :finished AND round = :round',
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: toItem({ ':finished': 'finished', ':round': existing.round }),
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: toItem({ ...recheckKeys.recheckDue(cityId, month), type: 'recheck-due' }),
                },
              },
            ],
          }),
        );
        return { run: reopened, created: true };
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        // Someone else reopened it at the same moment: theirs is the round.
        return { run: (await get(cityId, month)) ?? existing, created: false };
      }
    },

    /** The runs not finished: asked for, or left by an invocation that stopped before the end. */
    async due(): Promise<{ cityId: string; month: string }[]> {
      const items = await queryAll(table, {
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: toItem({ ':pk': recheckKeys.recheckDuePartition }),
        ConsistentRead: true,
      });
      // The sort key is `<city>#<YYYY-MM>`: a city id may hold '#', a month never does.
      return items.map(fromItem).map((item) => {
        const sk = String(item.sk);
        return { cityId: sk.slice(0, -8), month: sk.slice(-7) };
      });
    },

    /** Takes the run for `owner` until `until`, unless it is finished or another holds an unexpired lease. */
    async claim(
      cityId: string,
      month: string,
      owner: string,
      now: string,
      until: string,
    ): Promise<RecheckRun | undefined> {
      let claimed: RecheckRun | undefined;
      await conditionally(async () => {
        const { Attributes } = await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: runKey({ cityId, month }),
            UpdateExpression:
              'SET #status = :running, leaseOwner = :owner, leaseUntil = :until, startedAt = if_not_exists(startedAt, :now)',
            ConditionExpression: '#status <> :finished AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: toItem({
              ':running': 'running',
              ':finished': 'finished',
              ':owner': owner,
              ':until': until,
              ':now': now,
            }),
            ReturnValues: 'ALL_NEW',
          }),
        );
        if (Attributes) claimed = parsed(runSchema, fromItem(Attributes), `re-check run ${cityId} ${month}`);
      });
      return claimed;
    },

    /**
     * Records a worked page: the cursor of the next (none: the round is done), the page's counts
     * added, the lease extended. Conditional on the lease and the page read: an invocation whose
     * lease was taken over records nothing (and stops).
     */
    async advance(
      run: RecheckRun,
      owner: string,
      next: string | undefined,
      counts: PageCounts,
      until: string,
    ): Promise<boolean> {
      return conditionally(() =>
        client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: runKey(run),
            UpdateExpression: `SET page = :next, leaseUntil = :until${next ? ', #cursor = :cursor' : ''} ADD checked :checked, suspended :suspended, pendingGrants :pendingGrants, pendingChecks :pendingChecks${next ? '' : ' REMOVE #cursor'}`,
            ConditionExpression: 'leaseOwner = :owner AND page = :page AND round = :round',
            ExpressionAttributeNames: { '#cursor': 'cursor' },
            ExpressionAttributeValues: toItem({
              ':next': run.page + 1,
              ':page': run.page,
              ':round': run.round,
              ':owner': owner,
              ':until': until,
              ...(next ? { ':cursor': next } : {}),
              ':checked': counts.checked,
              ':suspended': counts.suspended,
              ':pendingGrants': counts.pendingGrants,
              ':pendingChecks': counts.pendingChecks,
            }),
          }),
        ),
      );
    },

    /** Ends the run's round and takes it off the due list; or, `finished: false`, only lets the lease go. */
    async release(run: RecheckRun, owner: string, at: string, finished: boolean): Promise<void> {
      const condition = {
        ConditionExpression: 'leaseOwner = :owner AND round = :round',
        ExpressionAttributeValues: toItem({
          ':owner': owner,
          ':round': run.round,
          ...(finished ? { ':finished': 'finished', ':at': at } : {}),
        }),
      };
      // Refused: another invocation took the run over meanwhile; the run is its to release.
      if (!finished) {
        await conditionally(() =>
          client.send(
            new UpdateItemCommand({
              TableName: tableName,
              Key: runKey(run),
              UpdateExpression: 'REMOVE leaseOwner, leaseUntil',
              ...condition,
            }),
          ),
        );
        return;
      }
      try {
        await client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                Update: {
                  TableName: tableName,
                  Key: runKey(run),
                  UpdateExpression: 'SET #status = :finished, finishedAt = :at REMOVE leaseOwner, leaseUntil',
                  ExpressionAttributeNames: { '#status': 'status' },
                  ...condition,
                },
              },
              { Delete: { TableName: tableName, Key: dueKey(run) } },
            ],
          }),
        );
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
      }
    },
  };
}
export type RecheckRunRepository = ReturnType<typeof recheckRunRepository>;
