/**
 * One person's items under `PERSON#<keyed hash of the resident ID>`: the benefit ledger (grants
 * and a head whose version serialises final approvals), the marker naming the person's active
 * application per programme, and the sealed copy of the resident ID. The application repository
 * puts these writes into the same transaction as the change that causes them.
 */

import { GetItemCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import { isFinal } from '../../kernel/domain/application-events.js';
import { programmeIds } from '../../kernel/domain/programmes.js';
import {
  fromItem,
  type Item,
  keys,
  MalformedItemError,
  queryAll,
  type TableContext,
  toItem,
} from '../../kernel/store/table.js';
import type { Grant } from '../domain/benefit-ledger.js';
import type { Application } from '../domain/lifecycle.js';

/** What a final approval read of the person's ledger: the grants and the head's version then. */
export interface PersonLedger {
  personKey: string;
  /** 0 while the person has no head item yet. */
  version: number;
  grants: Grant[];
  /** The person's active application per programme, read with the ledger (their markers sort before it). */
  activeApplications: Map<string, string>;
}

/** The ledger as read, and the grant to record with the approval (none when the application grants no period). */
export interface LedgerEntry {
  ledger: PersonLedger;
  grant?: Grant;
}

/** The person already has an active application for the programme. */
export class ActiveApplicationExistsError extends Error {
  constructor(
    readonly existingApplicationId: string,
    readonly programme: string,
  ) {
    super(`application ${existingApplicationId} for ${programme} is still active for this person`);
    this.name = 'ActiveApplicationExistsError';
  }
}

const activePrefix = keys.activeApplication('', '').sk;

const grantSchema = z.object({
  programme: z.enum(programmeIds),
  start: z.string(),
  months: z.number(),
  applicationId: z.string(),
  grantedFen: z.number(),
});
const headSchema = z.object({ version: z.number() });
const markerSchema = z.object({ applicationId: z.string() });

/** One of the person's items, parsed; a malformed one is a fault of the data, never silently skipped. */
function parsed<S extends z.core.$ZodType>(schema: S, item: Item): z.output<S> {
  const result = z.safeParse(schema, item);
  if (!result.success) throw new MalformedItemError(`ledger item ${String(item.sk)}`, result.error);
  return result.data;
}

export async function readPersonLedger(table: TableContext, personKey: string): Promise<PersonLedger> {
  const ledger: PersonLedger = { personKey, version: 0, grants: [], activeApplications: new Map() };
  const items = await queryAll(table, {
    // ACTIVE#… < GRANT#… < IDENTITY < LEDGER: one range read gets the active markers, the
    // grants and the head (and the small identity item, skipped).
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :head',
    ExpressionAttributeValues: toItem({
      ':pk': keys.person(personKey),
      ':first': activePrefix,
      ':head': keys.ledgerHead(personKey).sk,
    }),
    ConsistentRead: true,
  });
  for (const item of items.map(fromItem)) {
    if (item.sk === keys.ledgerHead(personKey).sk) ledger.version = parsed(headSchema, item).version;
    else if (String(item.sk).startsWith(activePrefix))
      ledger.activeApplications.set(
        String(item.sk).slice(activePrefix.length),
        parsed(markerSchema, item).applicationId,
      );
    else if (String(item.sk).startsWith(keys.grantPrefix)) ledger.grants.push(parsed(grantSchema, item));
  }
  return ledger;
}

/**
 * The bumped head and the grant (the transaction's parts `ledgerHead` and `grant`), both
 * conditional: the head must still be at the version the check read, so a concurrent final
 * approval for the same person makes one of the two fail.
 */
export function ledgerWrites(
  tableName: string,
  { ledger, grant }: LedgerEntry,
  approvedAt: string,
): { ledgerHead: TransactWriteItem; grant?: TransactWriteItem } {
  const head = keys.ledgerHead(ledger.personKey);
  const ledgerHead: TransactWriteItem = {
    Update: {
      TableName: tableName,
      Key: toItem(head),
      UpdateExpression: 'SET #version = :next, #type = :type, updatedAt = :at',
      ConditionExpression: ledger.version === 0 ? 'attribute_not_exists(pk)' : '#version = :read',
      ExpressionAttributeNames: { '#version': 'version', '#type': 'type' },
      ExpressionAttributeValues: toItem({
        ':next': ledger.version + 1,
        ':type': 'ledger-head',
        ':at': approvedAt,
        ...(ledger.version === 0 ? {} : { ':read': ledger.version }),
      }),
    },
  };
  if (!grant) return { ledgerHead };
  return {
    ledgerHead,
    grant: {
      Put: {
        TableName: tableName,
        Item: toItem({
          ...keys.grant(ledger.personKey, grant.programme, grant.start),
          type: 'grant',
          ...grant,
          approvedAt,
        }),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  };
}

const isActive = (application: Application) => !isFinal(application.status);

/** The marker of an application that becomes active (new, or under a corrected resident ID): refused while another holds it. */
export function activeMarkerPut(tableName: string, application: Application): TransactWriteItem {
  return {
    Put: {
      TableName: tableName,
      Item: toItem({
        ...keys.activeApplication(application.applicantKey, application.programme),
        type: 'active-application',
        applicationId: application.id,
        since: application.updatedAt,
      }),
      ConditionExpression: 'attribute_not_exists(pk) OR applicationId = :id',
      ExpressionAttributeValues: toItem({ ':id': application.id }),
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}

/** Whether a change from `prior` to `next` must release the prior person's marker and take the next one's. */
export function markerChanges(prior: Application, next: Application): { release: boolean; take: boolean } {
  const movedPerson = prior.applicantKey !== next.applicantKey;
  return {
    release: isActive(prior) && (!isActive(next) || movedPerson),
    take: isActive(next) && (!isActive(prior) || movedPerson),
  };
}

/** Releases a marker, only if it is still this application's (never another's). */
export function activeMarkerDelete(tableName: string, application: Application): TransactWriteItem {
  return {
    Delete: {
      TableName: tableName,
      Key: toItem(keys.activeApplication(application.applicantKey, application.programme)),
      ConditionExpression: 'applicationId = :id',
      ExpressionAttributeValues: toItem({ ':id': application.id }),
    },
  };
}

/** The application that holds a person's marker for a programme, if any. */
export async function activeApplicationOf(
  { client, tableName }: TableContext,
  personKey: string,
  programme: string,
): Promise<string | undefined> {
  const { Item } = await client.send(
    new GetItemCommand({
      TableName: tableName,
      Key: toItem(keys.activeApplication(personKey, programme)),
      ConsistentRead: true,
    }),
  );
  return Item ? parsed(markerSchema, fromItem(Item)).applicationId : undefined;
}

/** The sealed copy of the person's resident ID (ciphertext only), replaced by each intake that names them. */
export function identityPut(
  tableName: string,
  personKey: string,
  sealedIdNumber: string,
  at: string,
): TransactWriteItem {
  return {
    Put: {
      TableName: tableName,
      Item: toItem({ ...keys.personIdentity(personKey), type: 'person-identity', sealedIdNumber, sealedAt: at }),
    },
  };
}

/**
 * The person's index entry for an application (any state): a person's data on request finds every
 * application with one query. Written by intake, and again when a resubmission corrects the ID.
 */
export function personApplicationPut(tableName: string, application: Application, at: string): TransactWriteItem {
  return {
    Put: {
      TableName: tableName,
      Item: toItem({
        ...keys.personApplication(application.applicantKey, application.id),
        type: 'person-application',
        applicationId: application.id,
        programme: application.programme,
        cityId: application.unitPath[0],
        since: at,
      }),
    },
  };
}

/**
 * Everything held under a person's key that names an application: those indexed under them at
 * intake, and those their grants and active markers name (applications taken in before the index
 * existed), with the ledger itself. A person's data on request starts here.
 */
export async function personHoldings(
  table: TableContext,
  personKey: string,
): Promise<{ applicationIds: string[]; ledger: PersonLedger }> {
  const [indexed, ledger] = await Promise.all([
    queryAll(table, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: toItem({ ':pk': keys.person(personKey), ':prefix': keys.personApplicationPrefix }),
      ConsistentRead: true,
    }),
    readPersonLedger(table, personKey),
  ]);
  const ids = new Set([
    ...indexed.map((item) => parsed(markerSchema, fromItem(item)).applicationId),
    ...ledger.grants.map((grant) => grant.applicationId),
    ...ledger.activeApplications.values(),
  ]);
  return { applicationIds: [...ids].sort(), ledger };
}
