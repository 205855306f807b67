/**
 * History event items: one per event, under the application (`keys.applicationEvent`), written in
 * the same transaction as the change it records and never changed after. Beside the hash-chained
 * event (not part of it) each carries its context: the application's programme, unit path and
 * when it arrived at the event's stage, so a stream consumer counts the event without reading
 * anything else. Items read back (from a query or the table's stream) are parsed, never cast.
 */

import type { AttributeValue, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import { approvalStages } from '../../kernel/domain/actor.js';
import type { HistoryEvent } from '../../kernel/domain/application-events.js';
import { type ProgrammeId, programmeIds } from '../../kernel/domain/programmes.js';
import {
  eventContextAttribute,
  fromItem,
  type Item,
  keys,
  MalformedItemError,
  toItem,
} from '../../kernel/store/table.js';
import type { Application } from '../domain/lifecycle.js';

/** The application as it stood before the event: what a counter of the event needs to know besides it. */
export interface EventContext {
  programme: ProgrammeId;
  unitPath: string[];
  stageEnteredAt: string;
}

export const contextOf = (application: Application): EventContext => ({
  programme: application.programme,
  unitPath: application.unitPath,
  stageEnteredAt: application.stageEnteredAt,
});

const stage = z.enum([...approvalStages, 'community']);

export const historyEventSchema = z.object({
  seq: z.number(),
  at: z.string(),
  action: z.enum([
    'submitted',
    'approved',
    'rejected',
    'returned',
    'resubmitted',
    'withdrawn',
    'reminded',
    'overdue',
    'rescheduled',
    'suspicion-raised',
    'suspicion-cleared',
    'suspicion-confirmed',
    'grant-suspended',
  ]),
  stage,
  actor: z.object({ sub: z.string(), role: z.string(), unit: z.string() }),
  reason: z.optional(z.string()),
  comment: z.optional(z.string()),
  escalatedTo: z.optional(z.string()),
  suspicionId: z.optional(z.string()),
  grantedFen: z.optional(z.number()),
  suspendedFrom: z.optional(z.string()),
  status: z.enum(['in_review', 'returned', 'approved', 'rejected', 'withdrawn']),
  stageAfter: z.nullable(stage),
  version: z.number(),
  prevHash: z.string(),
  hash: z.string(),
});

// Every field of HistoryEvent is parsed (a missing one would silently break the hash chain).
const _everyFieldParsed: Record<Exclude<keyof HistoryEvent, keyof z.output<typeof historyEventSchema>>, never> = {};

const contextSchema = z.object({
  programme: z.enum(programmeIds),
  unitPath: z.array(z.string()),
  stageEnteredAt: z.string(),
});

/** The put of a new event, refused if that sequence number is taken (two writers cannot both append it). */
export function historyEventPut(
  tableName: string,
  applicationId: string,
  event: HistoryEvent,
  context: EventContext,
  mac?: string,
): TransactWriteItem {
  return {
    Put: {
      TableName: tableName,
      Item: toItem({
        ...keys.applicationEvent(applicationId, event.seq),
        type: 'event',
        applicationId,
        ...event,
        [eventContextAttribute]: context,
        ...(mac ? { [eventMacAttribute]: mac } : {}),
      }),
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** The prefix of every item of an application's partition (a scan for history events filters on it). */
export const applicationPartitionPrefix = keys.application('').pk;

/** True for the key of a history event item. */
export function isHistoryEventKey(key: { pk?: unknown; sk?: unknown }): boolean {
  return (
    typeof key.pk === 'string' &&
    key.pk.startsWith(keys.application('').pk) &&
    typeof key.sk === 'string' &&
    key.sk.startsWith(keys.applicationEventPrefix)
  );
}

/** Beside the event, not part of it: its MAC under the history key (`history-mac.ts`). */
export const eventMacAttribute = 'mac';

export interface StoredHistoryEvent {
  applicationId: string;
  event: HistoryEvent;
  /** Absent on an event written before history was keyed, or by someone without the key. */
  mac?: string;
  /** Absent on events written before events carried their context. */
  context?: EventContext;
}

/** The event of a history event item, parsed; undefined for any other item. Throws on a malformed event. */
export function historyEventOf(item: Item): StoredHistoryEvent | undefined {
  if (!isHistoryEventKey(item)) return undefined;
  const event = z.safeParse(historyEventSchema, item);
  if (!event.success) throw new MalformedItemError(`history event ${String(item.pk)} ${String(item.sk)}`, event.error);
  const context = z.safeParse(contextSchema, item[eventContextAttribute]);
  return {
    applicationId: String(item.pk).slice(keys.application('').pk.length),
    event: event.data,
    ...(typeof item[eventMacAttribute] === 'string' ? { mac: item[eventMacAttribute] as string } : {}),
    ...(context.success ? { context: context.data } : {}),
  };
}

/** The same, from a stream record's image (the Lambda event's attribute values have the SDK's shape, typed apart). */
export function historyEventOfImage(image: Record<string, unknown>): StoredHistoryEvent | undefined {
  return historyEventOf(fromItem(image as Record<string, AttributeValue>));
}
