/**
 * The application item: the application as stored, with the keys of the indexes it belongs in
 * while open and the callback token of the execution waiting on it. Items read back are parsed
 * with `storedApplicationSchema` (what the store wrote, whatever version wrote it), never cast.
 */

import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import { approvalStages } from '../../kernel/domain/actor.js';
import { applicationStatuses, isFinal, type Stage } from '../../kernel/domain/application-events.js';
import type { CityPolicy } from '../../kernel/domain/policy.js';
import { programmeIds } from '../../kernel/domain/programmes.js';
import { unitAtLevel } from '../../kernel/domain/units.js';
import {
  type Item,
  keys,
  MalformedItemError,
  shardOf,
  tableDesign,
  toItem,
  waitingTaskShards,
} from '../../kernel/store/table.js';
import { storedVerificationSchema } from '../../verification/index.js';
import type { Application } from '../domain/lifecycle.js';
import { deadlineIndexKeys } from './deadline-index.js';

/** A workflow execution waiting on a person: the callback token and where to resume it. */
export interface WaitingTask {
  token: string;
  /** The state machine state that waits, so a restarted local engine can resume there. */
  state: string;
  /** That state's input. */
  input: Item;
  /**
   * The application's version when the wait began. Older than the application's own: a person's
   * change was written but its release did not get through (the reconciler releases it).
   */
  version?: number;
}

export interface StoredApplication {
  application: Application;
  waitingTask?: WaitingTask;
  /** The MAC of the application's head under the history key (`domain/history-check.ts`). */
  headMac?: string;
}

export const headMacAttribute = 'headMac';

const stage = z.enum([...approvalStages, 'community']);
const approvalStage = z.enum(approvalStages as ['street', 'district', 'city']);
const actorRef = z.object({ sub: z.string(), role: z.string(), unit: z.string() });
const document = z.object({ kind: z.string(), ref: z.string() });

/** The application as the store keeps it; fields added over time are optional or defaulted. */
export const storedApplicationSchema = z.object({
  id: z.string(),
  programme: z.enum(programmeIds),
  cityId: z.string(),
  communityId: z.string(),
  unitPath: z.array(z.string()),
  policyVersion: z.string(),
  status: z.enum(applicationStatuses),
  stage: z.nullable(stage),
  returnedFrom: z.optional(approvalStage),
  returnRound: z._default(z.number(), 0),
  version: z.number(),
  eventSeq: z.number(),
  lastEventHash: z.string(),
  applicant: z.object({
    name: z.string(),
    idNumber: z.string(),
    phone: z.string(),
    proof: z.object({ kind: z.string(), number: z.string() }),
    household: z.optional(z.object({ kind: z.string(), registeredIn: z.string() })),
  }),
  applicantKey: z.string(),
  details: z.record(z.string(), z.unknown()),
  documents: z.array(document),
  submittedBy: actorRef,
  submittedAt: z.string(),
  updatedAt: z.string(),
  stageEnteredAt: z.string(),
  dueAt: z.optional(z.string()),
  deadlineClock: z.optional(z.object({ from: z.string(), workingDays: z.number() })),
  stageDaysLeft: z.optional(z.number()),
  remindedAt: z.optional(z.string()),
  overdue: z._default(z.boolean(), false),
  escalatedTo: z.optional(z.string()),
  decidedBy: z._default(z.partialRecord(approvalStage, z.string()), {}),
  // Taken in before eligibility existed: no facts, no verdict (resubmission then goes on unjudged).
  applicantFacts: z.optional(z.object({ birthDate: z.string(), sex: z.enum(['female', 'male']) })),
  sealedFacts: z.optional(z.string()),
  eligibility: z._default(
    z.array(
      z.object({
        ruleId: z.string(),
        passed: z.boolean(),
        reason: z.object({ zh: z.string(), en: z.string() }),
        figures: z.record(z.string(), z.union([z.number(), z.string()])),
      }),
    ),
    [],
  ),
  entitlement: z.optional(
    z.object({
      start: z.string(),
      months: z.number(),
      monthlyFen: z.optional(z.number()),
      grantedFen: z.number(),
      maxMonthsLifetime: z.number(),
    }),
  ),
  verification: z.optional(storedVerificationSchema),
});

const waitingTaskSchema = z.object({
  taskToken: z.string(),
  waitingState: z.string(),
  waitingInput: z._default(z.record(z.string(), z.unknown()), {}),
  waitingVersion: z.optional(z.number()),
});

// Every field of Application is parsed: one missing from the schema would be dropped on read, then
// removed by the next write. This line stops the build when the two part.
const _everyFieldParsed: Record<Exclude<keyof Application, keyof z.output<typeof storedApplicationSchema>>, never> = {};

/** What a recorded wait adds to the item, its waiting-tasks index keys included: all taken off together. */
export const waitingFields = [
  'taskToken',
  'waitingState',
  'waitingInput',
  'waitingVersion',
  tableDesign.indexes.waitingTasks.partitionKey,
  tableDesign.indexes.waitingTasks.sortKey,
];

/** The waiting-tasks index keys an application carries while a token is recorded on it. */
export function waitingTaskIndexKeys(applicationId: string) {
  const { waitingTasks } = tableDesign.indexes;
  return {
    [waitingTasks.partitionKey]: keys.waitingTasks(shardOf(applicationId, waitingTaskShards)),
    [waitingTasks.sortKey]: applicationId,
  };
}

/** The path as a sortable prefix; the trailing slash keeps `street:gexin` from matching `street:gexin-2`. */
export const unitPathPrefix = (path: readonly string[]) => `${path.join('/')}/`;

/** Where an application sits in its community's list (every application, open or final): newest first by `submittedAt`. */
export function communityListKeys(application: Pick<Application, 'communityId' | 'submittedAt' | 'id'>) {
  const { communityApplications } = tableDesign.indexes;
  return {
    [communityApplications.partitionKey]: keys.communityApplications(application.communityId),
    [communityApplications.sortKey]: `${application.submittedAt}#${application.id}`,
  };
}

/**
 * The application item with the keys of the indexes it belongs in while it is open. A final
 * application carries none, so it drops out of every inbox and backlog count by itself.
 */
export function applicationItem(application: Application, waitingTask?: WaitingTask, policy?: CityPolicy) {
  const { inbox, escalations, stageBacklog } = tableDesign.indexes;
  const open = !isFinal(application.status) && application.stage;
  const due = `${application.dueAt ?? ''}#${application.id}`;
  const holder =
    application.stage === 'community'
      ? application.communityId
      : application.stage && unitAtLevel(application.unitPath, application.stage);
  return toItem({
    ...keys.application(application.id),
    type: 'application',
    ...application,
    ...communityListKeys(application),
    ...(open && holder
      ? { [inbox.partitionKey]: keys.inbox(application.stage as Stage, holder), [inbox.sortKey]: due }
      : {}),
    ...(open && application.escalatedTo
      ? { [escalations.partitionKey]: keys.escalations(application.escalatedTo), [escalations.sortKey]: due }
      : {}),
    ...(open
      ? {
          [stageBacklog.partitionKey]: keys.stageBacklog(application.stage as Stage),
          [stageBacklog.sortKey]: `${unitPathPrefix(application.unitPath)}#${due}`,
          ...deadlineIndexKeys(application, policy),
        }
      : {}),
    ...(waitingTask
      ? {
          taskToken: waitingTask.token,
          waitingState: waitingTask.state,
          waitingInput: waitingTask.input,
          ...waitingTaskIndexKeys(application.id),
        }
      : {}),
  });
}

/** The waiting execution's task recorded on an application item, if any. */
export function waitingTaskOf(item: Item): WaitingTask | undefined {
  const waiting = z.safeParse(waitingTaskSchema, item);
  if (!waiting.success) return undefined;
  return {
    token: waiting.data.taskToken,
    state: waiting.data.waitingState,
    input: waiting.data.waitingInput,
    ...(waiting.data.waitingVersion !== undefined ? { version: waiting.data.waitingVersion } : {}),
  };
}

/** The application and its waiting task from a stored item, parsed; index keys and item bookkeeping dropped. */
export function toApplication(item: Item): StoredApplication {
  const parsed = z.safeParse(storedApplicationSchema, item);
  if (!parsed.success) throw new MalformedItemError(`application item ${String(item.pk)}`, parsed.error);
  const waitingTask = waitingTaskOf(item);
  const headMac = typeof item[headMacAttribute] === 'string' ? (item[headMacAttribute] as string) : undefined;
  return { application: parsed.data, waitingTask, ...(headMac ? { headMac } : {}) };
}

/**
 * The application item rewritten as an update rather than a put: every attribute of `application`
 * set, every one `prior` had and it lacks removed, and the waiting task's fields left alone unless
 * `clearWaiting`. A put would erase a token the workflow recorded after we read the item.
 */
export function applicationUpdate(
  prior: Application,
  application: Application,
  clearWaiting: boolean,
  policy?: CityPolicy,
) {
  const next = applicationItem(application, undefined, policy);
  const keyNames = new Set(Object.keys(keys.application(application.id)));
  const set = Object.keys(next).filter((name) => !keyNames.has(name));
  const remove = Object.keys(applicationItem(prior, undefined, policy)).filter(
    (name) => !(name in next) && !keyNames.has(name),
  );
  if (clearWaiting) remove.push(...waitingFields);
  const names: Record<string, string> = {};
  const values: Record<string, AttributeValue> = {};
  set.forEach((name, i) => {
    names[`#s${i}`] = name;
    values[`:s${i}`] = next[name] as AttributeValue;
  });
  remove.forEach((name, i) => {
    names[`#r${i}`] = name;
  });
  const removal = remove.length ? ` REMOVE ${remove.map((_, i) => `#r${i}`).join(', ')}` : '';
  return { expression: `SET ${set.map((_, i) => `#s${i} = :s${i}`).join(', ')}${removal}`, names, values };
}
