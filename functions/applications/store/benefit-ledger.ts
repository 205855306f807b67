/**
 * One person's items in one city, under `PERSON#<city>#<keyed hash of the resident ID>`: the
 * city's benefit ledger (grants and a head whose version serialises final approvals), the marker
 * naming the person's active application per programme, and the sealed copy of the resident ID;
 * beside them the city-less periods the national rule checks (`held-periods.ts`). The application
 * repository puts these writes into the same transaction as the change that causes them.
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
import { listingOf } from './active-grants.js';
import { type HeldPeriods, heldPeriodsUpdate, readHeldPeriods } from './held-periods.js';

/** A person as one city knows them: every key of theirs carries the city. */
export interface PersonOfCity {
  cityId: string;
  personKey: string;
}

/** The person an application names, in the application's city (the first unit of its path). */
export function personOf(application: Application): PersonOfCity {
  const [cityId] = application.unitPath;
  // Never a city-less key: an application without its path is a fault of the data, not a person of no city.
  if (!cityId) throw new Error(`application ${application.id} has no unit path`);
  return { cityId, personKey: application.applicantKey };
}

/** What a final approval read of the person's ledger: the grants and the head's version then. */
export interface PersonLedger extends PersonOfCity {
  /** 0 while the person has no head item yet. */
  version: number;
  grants: Grant[];
  /** The person's active application per programme, read with the ledger (their markers sort before it). */
  activeApplications: Map<string, string>;
  /** The programme's periods held anywhere (the national rule), read when a final approval asks. */
  held?: HeldPeriods;
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

const activePrefix = keys.activeApplication('', '', '').sk;

const grantSchema = z.object({
  programme: z.enum(programmeIds),
  start: z.string(),
  months: z.number(),
  applicationId: z.string(),
  grantedFen: z.number(),
  suspendedFrom: z.optional(z.string()),
});
const headSchema = z.object({ version: z.number() });
const markerSchema = z.object({ applicationId: z.string() });

/** One of the person's items, parsed; a malformed one is a fault of the data, never silently skipped. */
function parsed<S extends z.core.$ZodType>(schema: S, item: Item): z.output<S> {
  const result = z.safeParse(schema, item);
  if (!result.success) throw new MalformedItemError(`ledger item ${String(item.sk)}`, result.error);
  return result.data;
}

/** The person's ledger in their city; with `programme`, also the periods of it they hold anywhere. */
export async function readPersonLedger(
  table: TableContext,
  person: PersonOfCity,
  programme?: string,
): Promise<PersonLedger> {
  const { cityId, personKey } = person;
  const ledger: PersonLedger = { cityId, personKey, version: 0, grants: [], activeApplications: new Map() };
  const [items, held] = await Promise.all([
    queryAll(table, {
      // ACTIVE#… < GRANT#… < IDENTITY < LEDGER: one range read gets the active markers, the
      // grants and the head (and the small identity item, skipped).
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :head',
      ExpressionAttributeValues: toItem({
        ':pk': keys.person(cityId, personKey),
        ':first': activePrefix,
        ':head': keys.ledgerHead(cityId, personKey).sk,
      }),
      ConsistentRead: true,
    }),
    programme === undefined ? undefined : readHeldPeriods(table, personKey, programme),
  ]);
  if (held) ledger.held = held;
  for (const item of items.map(fromItem)) {
    if (item.sk === keys.ledgerHead(cityId, personKey).sk) ledger.version = parsed(headSchema, item).version;
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
 * The bumped head and the grant (parts `ledgerHead`, `grant`: listed in the city's active grants),
 * and the grant's period among those the person holds nationally (`heldPeriods`), all conditional:
 * head and held periods must still be at the versions read, so a concurrent final approval for the
 * same person (in this city, or of the same programme in any) makes one fail.
 */
export function ledgerWrites(
  tableName: string,
  { ledger, grant }: LedgerEntry,
  approvedAt: string,
  /** The policy version it is granted under: the monthly re-check runs that version's checks. */
  policyVersion: string,
): { ledgerHead: TransactWriteItem; grant?: TransactWriteItem; heldPeriods?: TransactWriteItem } {
  const head = keys.ledgerHead(ledger.cityId, ledger.personKey);
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
  if (!ledger.held || ledger.held.programme !== grant.programme)
    throw new Error(`a grant of ${grant.programme} without the national periods read`);
  return {
    ledgerHead,
    heldPeriods: heldPeriodsUpdate(tableName, ledger.held, grant, approvedAt),
    grant: {
      Put: {
        TableName: tableName,
        Item: toItem({
          ...keys.grant(ledger.cityId, ledger.personKey, grant.programme, grant.start),
          type: 'grant',
          ...grant,
          ...listingOf(ledger.cityId, grant, policyVersion),
          approvedAt,
        }),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  };
}

const isActive = (application: Application) => !isFinal(application.status);

const activeKey = (application: Application) => {
  const { cityId, personKey } = personOf(application);
  return keys.activeApplication(cityId, personKey, application.programme);
};

/** The marker of an application that becomes active (new, or under a corrected resident ID): refused while another holds it. */
export function activeMarkerPut(tableName: string, application: Application): TransactWriteItem {
  return {
    Put: {
      TableName: tableName,
      Item: toItem({
        ...activeKey(application),
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
      Key: toItem(activeKey(application)),
      ConditionExpression: 'applicationId = :id',
      ExpressionAttributeValues: toItem({ ':id': application.id }),
    },
  };
}

/** The application of the person's city that holds their marker for a programme, if any. */
export async function activeApplicationOf(
  { client, tableName }: TableContext,
  { cityId, personKey }: PersonOfCity,
  programme: string,
): Promise<string | undefined> {
  const { Item } = await client.send(
    new GetItemCommand({
      TableName: tableName,
      Key: toItem(keys.activeApplication(cityId, personKey, programme)),
      ConsistentRead: true,
    }),
  );
  return Item ? parsed(markerSchema, fromItem(Item)).applicationId : undefined;
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
        ...keys.personApplication(personOf(application).cityId, application.applicantKey, application.id),
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
 * Everything held under a person's key in one city that names an application: those indexed
 * under them at intake, and those their grants and active markers name, with the city's ledger
 * itself. A person's data on request starts here, and sees only the asking city's.
 */
export async function personHoldings(
  table: TableContext,
  person: PersonOfCity,
): Promise<{ applicationIds: string[]; ledger: PersonLedger }> {
  const [indexed, ledger] = await Promise.all([
    queryAll(table, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: toItem({
        ':pk': keys.person(person.cityId, person.personKey),
        ':prefix': keys.personApplicationPrefix,
      }),
      ConsistentRead: true,
    }),
    readPersonLedger(table, person),
  ]);
  const ids = new Set([
    ...indexed.map((item) => parsed(markerSchema, fromItem(item)).applicationId),
    ...ledger.grants.map((grant) => grant.applicationId),
    ...ledger.activeApplications.values(),
  ]);
  return { applicationIds: [...ids].sort(), ledger };
}
