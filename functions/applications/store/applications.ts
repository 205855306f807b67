/**
 * Applications and their history. The application item is the truth about where an
 * application stands; every change to it is one conditional transaction that also appends
 * the history event, so the two can never disagree.
 */

import { GetItemCommand, TransactionCanceledException, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { type HistoryMac, historyMacFromEnvironment } from '../../kernel/adapters/history-mac.js';
import { isFinal } from '../../kernel/domain/application-events.js';
import type { CityPolicy } from '../../kernel/domain/policy.js';
import { fromItem, keys, type TableContext, toItem } from '../../kernel/store/table.js';
import { cancellationReasonOf, type TransactionParts, transactItemsOf } from '../../kernel/store/transactions.js';
import { pendingChecksPut, type Suspicion, suspicionParts } from '../../verification/index.js';
import type { Application, Transition } from '../domain/lifecycle.js';
import { applicationHistory } from './application-history.js';
import {
  applicationItem,
  applicationUpdate,
  headMacAttribute,
  type StoredApplication,
  toApplication,
  type WaitingTask,
} from './application-item.js';
import {
  ActiveApplicationExistsError,
  activeApplicationOf,
  activeMarkerDelete,
  activeMarkerPut,
  type LedgerEntry,
  ledgerWrites,
  markerChanges,
  type PersonLedger,
  type PersonOfCity,
  personApplicationPut,
  personOf,
  readPersonLedger,
} from './benefit-ledger.js';
import { contextOf, historyEventPut } from './history-events.js';
import { findIdempotencyKey, IdempotencyKeyUsedError, type IdempotencyRecord, idempotencyPut } from './idempotency.js';
import { applicationsOf, openApplicationIds } from './open-applications.js';
import { identityPut } from './person-identity.js';
import { verificationUnchanged, waitsOnData } from './verification-conditions.js';
import { waitingTasks } from './waiting-tasks.js';

/** Another writer changed the application between our read and our write. */
export class StaleWriteError extends Error {
  constructor(id: string, options?: { cause?: unknown }) {
    super(`application ${id} changed while it was being written`, options);
    this.name = 'StaleWriteError';
  }
}

/** What else a change writes in its transaction, beside the application and its event. */
export interface CommitExtras {
  /** Required with a final approval: the person's ledger as the check read it, and the grant to record. */
  ledger?: LedgerEntry;
  /** The city's policy the application is judged by: its deadline-due moment is counted with it. */
  policy?: CityPolicy;
  /** The sealed copy of a corrected resident ID, stored under the person it now names. */
  sealedIdNumber?: string;
  /** Another module's items written in the same transaction (a suspicion's disposition); refused with it. */
  parts?: TransactionParts;
  /** What a system event writes with it, all or nothing (a grant's suspension: the grant, the run's record, notices). */
  alongside?: TransactionParts;
}

export function applicationRepository(
  { client, tableName }: TableContext,
  historyMac: HistoryMac = historyMacFromEnvironment(),
) {
  const table = { client, tableName };
  const waiting = waitingTasks(table);
  const { macsOf, history, verifiedHistory } = applicationHistory(table, historyMac);

  /** When the person's marker write (the part named `marker`) was refused: the application that holds it. */
  async function markerHolder(
    error: TransactionCanceledException,
    parts: TransactionParts,
    application: Application,
  ): Promise<string | undefined> {
    const reason = cancellationReasonOf(error, parts, 'marker');
    if (reason?.Code !== 'ConditionalCheckFailed') return undefined;
    const holder = reason.Item
      ? fromItem(reason.Item).applicationId
      : await activeApplicationOf(table, personOf(application), application.programme);
    return typeof holder === 'string' ? holder : undefined;
  }

  /** Writes a change's parts; a refused `marker` part names the application that holds it. */
  async function transact(application: Application, parts: TransactionParts): Promise<void> {
    const { id } = application;
    try {
      await client.send(new TransactWriteItemsCommand({ TransactItems: transactItemsOf(parts) }));
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const reasons = error.CancellationReasons ?? [];
        const holder = await markerHolder(error, parts, application);
        if (holder) throw new ActiveApplicationExistsError(holder, application.programme);
        if (reasons.some((r) => r.Code === 'ConditionalCheckFailed')) throw new StaleWriteError(id, { cause: error });
        // TransactionConflict: another transaction touched the item at the same moment.
        if (reasons.some((r) => r.Code === 'TransactionConflict')) throw new StaleWriteError(id, { cause: error });
      }
      throw error;
    }
  }

  return {
    /**
     * Stores a new application with its first event, the idempotency key that asked for it, the
     * person's marker for the programme (refused while another application of theirs is active)
     * and the sealed copy of their resident ID.
     */
    async create(
      transition: Transition,
      idempotency?: IdempotencyRecord,
      sealedIdNumber?: string,
      policy?: CityPolicy,
      /** The suspicion intake's checks raised: in the auditors' queue exactly when the application is stored. */
      suspicion?: Suspicion,
    ): Promise<void> {
      const { application, event } = transition;
      const { eventMac, headMac } = await macsOf(transition);
      const at = application.submittedAt;
      const parts: TransactionParts = {
        application: {
          Put: {
            TableName: tableName,
            Item: { ...applicationItem(application, undefined, policy), ...toItem({ [headMacAttribute]: headMac }) },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        event: historyEventPut(tableName, application.id, event, contextOf(application), eventMac),
        ...(idempotency ? { idempotency: idempotencyPut(tableName, idempotency, application.id, at) } : {}),
        // An application rejected at intake (ineligible) is not active and takes no marker.
        ...(isFinal(application.status) ? {} : { marker: activeMarkerPut(tableName, application) }),
        ...(sealedIdNumber ? { identity: identityPut(tableName, personOf(application), sealedIdNumber, at) } : {}),
        personApplication: personApplicationPut(tableName, application, at),
        ...(suspicion ? suspicionParts(tableName, suspicion, application) : {}),
        // Checks that wait on data are re-run by the re-runner, which finds them by this mark.
        ...(waitsOnData(application)
          ? {
              pendingChecks: pendingChecksPut(tableName, {
                cityId: application.cityId,
                applicationId: application.id,
                why: 'source-unavailable',
                since: at,
                attempts: 0,
              }),
            }
          : {}),
      };
      try {
        await client.send(new TransactWriteItemsCommand({ TransactItems: transactItemsOf(parts) }));
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        // A replayed key is answered as its first request, even though its application now holds the marker.
        if (idempotency && cancellationReasonOf(error, parts, 'idempotency')?.Code === 'ConditionalCheckFailed') {
          const earlier = await this.findIdempotencyKey(
            idempotency.caller,
            idempotency.key,
            new Date(application.submittedAt),
          );
          if (earlier) throw new IdempotencyKeyUsedError(earlier);
        }
        const holder = await markerHolder(error, parts, application);
        if (holder) throw new ActiveApplicationExistsError(holder, application.programme);
        throw error;
      }
    },

    /** The person's benefit ledger, read consistently: a final approval checks against it and bumps its head. */
    async personLedger(person: PersonOfCity, programme?: string): Promise<PersonLedger> {
      return readPersonLedger(table, person, programme);
    },

    /** The key's earlier use, unless it has expired by `now` (TTL deletes expired keys only eventually). */
    findIdempotencyKey(caller: string, key: string, now: Date) {
      return findIdempotencyKey(table, caller, key, now);
    },

    async get(id: string): Promise<StoredApplication | undefined> {
      const { Item } = await client.send(
        new GetItemCommand({ TableName: tableName, Key: toItem(keys.application(id)), ConsistentRead: true }),
      );
      return Item ? toApplication(fromItem(Item)) : undefined;
    },

    history,
    /** The history with its check against a writer of the table (`application-history.ts`). */
    verifiedHistory,

    /**
     * Writes a transition computed from `previous`, only if no one else changed the application
     * since it was read: same version, same last event (and, when we read a waiting task, the
     * same one). Answers the waiting task the caller must release, if any: after a person's
     * change the execution that waited must move on. That is the task we read, or one the
     * workflow recorded between our read and our write, which the write left in place (the
     * workflow's bookkeeping is not a reason to refuse an approver's decision) and which is
     * read back here. Either stays on the item until the caller released it and took it off.
     */
    async commit(
      previous: StoredApplication,
      transition: Transition,
      extras: CommitExtras = {},
    ): Promise<WaitingTask | undefined> {
      const { application, event } = transition;
      const prior = previous.application;
      const approvesFinally = application.status === 'approved' && prior.status !== 'approved';
      // No path may approve past the ledger: the check and the grant travel with the approval.
      if (approvesFinally && !extras.ledger)
        throw new Error(`final approval of ${application.id} without the benefit ledger check`);
      // A change that is not a person's (a deadline event) leaves the execution waiting.
      const personsChange = application.version !== prior.version;
      const handsBackWaiting = previous.waitingTask !== undefined && personsChange;
      const markers = markerChanges(prior, application);
      // Only this application's marker is released: one taken before markers existed may belong to another.
      // A final approval read the markers with the ledger; anything else reads it now.
      const readWithLedger =
        extras.ledger?.ledger.personKey === prior.applicantKey ? extras.ledger.ledger.activeApplications : undefined;
      const holder = readWithLedger
        ? readWithLedger.get(prior.programme)
        : markers.release && (await activeApplicationOf(table, personOf(prior), prior.programme));
      const { sealedIdNumber } = extras;
      const personWrites: TransactionParts = {
        ...(markers.release && holder === prior.id ? { releasedMarker: activeMarkerDelete(tableName, prior) } : {}),
        ...(markers.take ? { marker: activeMarkerPut(tableName, application) } : {}),
        ...(extras.ledger ? ledgerWrites(tableName, extras.ledger, event.at, application.policyVersion) : {}),
        ...(sealedIdNumber
          ? { identity: identityPut(tableName, personOf(application), sealedIdNumber, event.at) }
          : {}),
        ...(application.applicantKey !== prior.applicantKey
          ? { personApplication: personApplicationPut(tableName, application, event.at) }
          : {}),
        // Checks that now wait (a resubmission corrected what they asked about) go to the re-runner.
        ...(waitsOnData(application) && !waitsOnData(prior)
          ? {
              pendingChecks: pendingChecksPut(tableName, {
                cityId: application.cityId,
                applicationId: application.id,
                why: 'stale',
                since: event.at,
                attempts: 0,
              }),
            }
          : {}),
      };
      // The token stays on the item until the caller has released it (`releaseTaken`): if the
      // release fails, the reconciler finds it recorded for an older version and releases it.
      const update = applicationUpdate(prior, application, false, extras.policy);
      const { eventMac, headMac } = await macsOf(transition);
      const verification = verificationUnchanged(prior);
      await transact(application, {
        ...extras.parts,
        application: {
          Update: {
            TableName: tableName,
            Key: toItem(keys.application(application.id)),
            UpdateExpression: update.expression.replace(/^SET /, 'SET #headMac = :headMac, '),
            ConditionExpression: `version = :version AND eventSeq = :seq AND ${verification.condition}${previous.waitingTask ? ' AND taskToken = :token' : ''}`,
            ExpressionAttributeNames: { ...update.names, '#headMac': headMacAttribute, ...verification.names },
            ExpressionAttributeValues: {
              ...update.values,
              ...toItem({
                ...verification.values,
                ':version': prior.version,
                ':seq': prior.eventSeq,
                ':headMac': headMac,
                ...(previous.waitingTask ? { ':token': previous.waitingTask.token } : {}),
              }),
            },
          },
        },
        event: historyEventPut(tableName, application.id, event, contextOf(prior), eventMac),
        ...personWrites,
        ...extras.alongside,
      });
      if (handsBackWaiting) return previous.waitingTask;
      return personsChange && !previous.waitingTask ? waiting.lateTask(application.id, application.version) : undefined;
    },

    /** Records the execution's callback token while the application is still at `version` (see waiting-tasks.ts). */
    recordWaitingTask: waiting.recordWaitingTask,
    /** Takes a waiting execution's token off the application, only if it is still that token. */
    takeWaitingTask: waiting.takeWaitingTask,
    /** Open applications and those with a token recorded: what the reconciler checks. */
    listToReconcile: waiting.listToReconcile,

    /** Applications not finally decided: the local engine resumes their executions after a restart. */
    async listOpen(): Promise<StoredApplication[]> {
      const open = await applicationsOf(table, await openApplicationIds(table));
      // Read after the index: one decided meanwhile is no longer open.
      return open.filter(({ application }) => !isFinal(application.status));
    },
  };
}
export type ApplicationRepository = ReturnType<typeof applicationRepository>;
