/**
 * Suspicion (疑点) items: one per suspicion, in its city's verification partition
 * (`keys.suspicion`), so the auditors' queue of a city is one query, newest first. A suspicion is
 * written with the application it holds (the application keeps `verification.suspicion`, which
 * the approval guard reads), in one transaction: at intake (`suspicionParts` in intake's
 * create), by a later check (`raiseSuspicion`), and at its disposition (`dispositionParts` in the
 * application's change). Items read back are parsed, never cast.
 */
import { randomBytes } from 'node:crypto';
import {
  type AttributeValue,
  GetItemCommand,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import {
  InvalidCursorError,
  type PagingCursors,
  pagingCursorKey,
  pagingCursors,
} from '../../kernel/adapters/paging-cursor.js';
import { ConflictError } from '../../kernel/domain/errors.js';
import type { CheckResult } from '../../kernel/domain/verification-results.js';
import { fromItem, type Item, keys, MalformedItemError, type TableContext, toItem } from '../../kernel/store/table.js';
import { cancellationReasonOf, type TransactionParts, transactItemsOf } from '../../kernel/store/transactions.js';
import type { SuspicionStatus } from '../domain/suspicions.js';
import {
  type ApplicationVerification,
  checkResultSchema,
  evidenceKinds,
  type Suspicion,
  suspicionStatuses,
} from '../domain/suspicions.js';

const actorRef = z.object({ sub: z.string(), role: z.string(), unit: z.string() });

const storedSuspicionSchema = z.object({
  id: z.string(),
  applicationId: z.string(),
  cityId: z.string(),
  unitPath: z.array(z.string()),
  programme: z.string(),
  takenInBy: z.string(),
  raisedAt: z.string(),
  mismatches: z.array(checkResultSchema),
  status: z.enum(suspicionStatuses),
  disposition: z.optional(
    z.object({
      outcome: z.enum(['cleared', 'confirmed']),
      evidence: z.optional(z.object({ kind: z.enum(evidenceKinds), reference: z.string() })),
      comment: z.optional(z.string()),
      by: actorRef,
      at: z.string(),
    }),
  ),
  version: z.number(),
});

// Every field of Suspicion is parsed: one missing here would be dropped on read.
const _everyFieldParsed: Record<Exclude<keyof Suspicion, keyof z.output<typeof storedSuspicionSchema>>, never> = {};

function suspicionOf(item: Item): Suspicion {
  const parsed = z.safeParse(storedSuspicionSchema, item);
  if (!parsed.success) throw new MalformedItemError(`suspicion ${String(item.sk)}`, parsed.error);
  return parsed.data;
}

/** Ids sort by the time they were raised (base-36 milliseconds, fixed width) and never collide. */
export function newSuspicionId(now: Date, random: () => string = () => randomBytes(6).toString('hex')): string {
  return `sus_${now.getTime().toString(36).padStart(9, '0')}_${random()}`;
}

/** A new open suspicion about an application, raised by the mismatches its checks found now. */
export function openSuspicion(
  application: { id: string; cityId: string; unitPath: string[]; programme: string; submittedBy: { sub: string } },
  mismatches: CheckResult[],
  now: Date,
): Suspicion {
  return {
    id: newSuspicionId(now),
    applicationId: application.id,
    cityId: application.cityId,
    unitPath: application.unitPath,
    programme: application.programme,
    takenInBy: application.submittedBy.sub,
    raisedAt: now.toISOString(),
    mismatches,
    status: 'open',
    version: 1,
  };
}

export const suspicionIdSchema = z.string().check(z.regex(/^sus_[0-9a-z]{9}_[0-9a-z]{1,32}$/));

const suspicionItem = (suspicion: Suspicion) =>
  toItem({ ...keys.suspicion(suspicion.cityId, suspicion.id), type: 'suspicion', ...suspicion });

/**
 * The put of a new suspicion, for the transaction that takes its application in (intake's create)
 * or records the check that raised it: refused if the id is taken.
 */
export function suspicionParts(
  tableName: string,
  suspicion: Suspicion,
  application: { id: string },
): TransactionParts<'suspicion'> {
  if (suspicion.applicationId !== application.id)
    throw new Error(`suspicion ${suspicion.id} is about ${suspicion.applicationId}, not ${application.id}`);
  return {
    suspicion: {
      Put: { TableName: tableName, Item: suspicionItem(suspicion), ConditionExpression: 'attribute_not_exists(pk)' },
    },
  };
}

/**
 * The update of a suspicion to its disposition (`next`, from `dispositions.ts`), refused unless it
 * is still open at the version the auditor read: two auditors cannot both dispose of it.
 */
export function dispositionParts(
  tableName: string,
  previous: Suspicion,
  next: Suspicion,
): TransactionParts<'suspicion'> {
  return {
    suspicion: {
      Update: {
        TableName: tableName,
        Key: toItem(keys.suspicion(previous.cityId, previous.id)),
        UpdateExpression: 'SET #status = :status, #disposition = :disposition, #version = :next',
        ConditionExpression: '#status = :open AND #version = :version',
        ExpressionAttributeNames: { '#status': 'status', '#disposition': 'disposition', '#version': 'version' },
        ExpressionAttributeValues: toItem({
          ':status': next.status,
          ':disposition': next.disposition,
          ':next': next.version,
          ':open': 'open',
          ':version': previous.version,
        }),
      },
    },
  };
}

/** The application changed (or is gone) since the check read it: read it again and check again. */
export class ApplicationMovedError extends ConflictError {
  constructor(applicationId: string, version: number) {
    super(`application ${applicationId} is no longer at version ${version}: check it again`, { applicationId });
  }
}

/**
 * Raises a suspicion found by a check after intake: the suspicion and the application's
 * verification (`verification`, holding the new suspicion open) in one transaction, only while
 * the application is still at `application.version`. The application's version and history are
 * not moved here (its history is the applications module's); an approval read before this
 * write is refused all the same, because its write is conditioned on the verification it read.
 * Throws `ApplicationMovedError` (409) when the application changed meanwhile; nothing is written.
 */
export async function raiseSuspicion(
  { client, tableName }: TableContext,
  raise: { application: { id: string; version: number }; verification: ApplicationVerification; suspicion: Suspicion },
): Promise<void> {
  const { application, suspicion } = raise;
  const verification: ApplicationVerification = {
    ...raise.verification,
    suspicion: { id: suspicion.id, status: suspicion.status },
  };
  const parts: TransactionParts = {
    ...suspicionParts(tableName, suspicion, application),
    application: {
      Update: {
        TableName: tableName,
        Key: toItem(keys.application(application.id)),
        UpdateExpression: 'SET #verification = :verification',
        ConditionExpression: 'attribute_exists(pk) AND #version = :version',
        ExpressionAttributeNames: { '#verification': 'verification', '#version': 'version' },
        ExpressionAttributeValues: toItem({ ':verification': verification, ':version': application.version }),
      },
    },
  };
  try {
    await client.send(new TransactWriteItemsCommand({ TransactItems: transactItemsOf(parts) }));
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const reason = cancellationReasonOf(error, parts, 'application')?.Code;
    if (reason === 'ConditionalCheckFailed' || reason === 'TransactionConflict')
      throw new ApplicationMovedError(application.id, application.version);
    throw error;
  }
}

export interface SuspicionPage {
  items: Suspicion[];
  /** Opaque; absent on the last page. */
  nextCursor?: string;
}

export function suspicionRepository(table: TableContext, cursors: PagingCursors = pagingCursors(pagingCursorKey)) {
  const { client, tableName } = table;
  return {
    async get(cityId: string, id: string): Promise<Suspicion | undefined> {
      const { Item } = await client.send(
        new GetItemCommand({ TableName: tableName, Key: toItem(keys.suspicion(cityId, id)), ConsistentRead: true }),
      );
      return Item ? suspicionOf(fromItem(Item)) : undefined;
    },

    /**
     * A city's suspicions, newest first, those about applications under `unit` (on their path)
     * and of `status`; `limit` a page. The cursor names the last item returned (not where the
     * filtered read stopped), sealed for this city's partition.
     */
    async list(query: {
      cityId: string;
      unit?: string;
      status?: SuspicionStatus;
      limit: number;
      cursor?: string;
    }): Promise<SuspicionPage> {
      const partition = keys.verificationPartition(query.cityId);
      const scope = `suspicions|${partition}`;
      let startKey: Record<string, AttributeValue> | undefined;
      if (query.cursor) {
        const position = await cursors.open(scope, query.cursor);
        if (position.pk !== partition || !position.sk?.startsWith(keys.suspicionPrefix)) throw new InvalidCursorError();
        startKey = toItem({ pk: position.pk, sk: position.sk });
      }
      const filters: string[] = [];
      const names: Record<string, string> = {};
      const values: Item = { ':pk': partition, ':prefix': keys.suspicionPrefix };
      if (query.status) {
        filters.push('#status = :status');
        names['#status'] = 'status';
        values[':status'] = query.status;
      }
      if (query.unit) {
        filters.push('contains(unitPath, :unit)');
        values[':unit'] = query.unit;
      }
      const items: Suspicion[] = [];
      let last: Item | undefined;
      let more = true;
      while (items.length < query.limit && more) {
        const page = await client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            FilterExpression: filters.length ? filters.join(' AND ') : undefined,
            ExpressionAttributeNames: filters.length && Object.keys(names).length ? names : undefined,
            ExpressionAttributeValues: toItem(values),
            ScanIndexForward: false,
            ExclusiveStartKey: startKey,
            Limit: filters.length ? Math.max(query.limit * 4, 100) : query.limit - items.length,
          }),
        );
        for (const raw of page.Items ?? []) {
          if (items.length === query.limit) break;
          last = fromItem(raw);
          items.push(suspicionOf(last));
        }
        startKey = page.LastEvaluatedKey;
        more = startKey !== undefined;
      }
      const reachedEnd = !more && items.length < query.limit;
      const nextCursor =
        last && !reachedEnd ? await cursors.seal(scope, { pk: String(last.pk), sk: String(last.sk) }) : undefined;
      return { items, nextCursor };
    },
  };
}
export type SuspicionRepository = ReturnType<typeof suspicionRepository>;
