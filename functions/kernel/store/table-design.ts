/**
 * The single table's design: its keys, indexes and stream, owned by the store and nowhere else.
 * Plain data, no client: infra and the local runtime create the table from `tableDesign`.
 */
import { verificationKeys } from './verification-keys.js';

export { deadlineDueShards, shardOf, waitingTaskShards } from './shards.js';

/** What an inbox line shows and filters on (`WaitingApplication`), projected into the inbox indexes. */
export const inboxAttributes = [
  'id',
  'stage',
  'programme',
  'applicant',
  'communityId',
  'submittedAt',
  'stageEnteredAt',
  'dueAt',
  'overdue',
  'escalatedTo',
  'returnRound',
  'version',
] as const;

/** What a line of a community's application list shows and filters on (`ListedApplication`). */
export const communityListAttributes = [
  'id',
  'status',
  'stage',
  'programme',
  'applicant',
  'communityId',
  'unitPath',
  'submittedAt',
  'updatedAt',
  'returnRound',
  'version',
] as const;

export const tableDesign = {
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'expiresAt',
  /**
   * Sparse indexes: only open applications (and pending deliveries) carry their keys. Each
   * projects what its readers use and no more: an application item is ~3 KB (the eligibility
   * verdict with its reasons), and every index copy of it is written, and paid for, on each change.
   */
  indexes: {
    /** What waits at one unit's stage, oldest due first: an approver's or a community's inbox. */
    inbox: { indexName: 'inbox', partitionKey: 'inboxPk', sortKey: 'inboxSk', projection: inboxAttributes },
    /**
     * Every application a community took in, open or final, newest first (`<submittedAt>#<id>`):
     * the community's own list, filtered by status, programme and name. Not sparse (a final
     * application stays in its community's list), so it projects only what a list line needs.
     */
    communityApplications: {
      indexName: 'community-applications',
      partitionKey: 'communityPk',
      sortKey: 'communitySk',
      projection: communityListAttributes,
    },
    /** Overdue stages escalated to a supervising unit, oldest due first. */
    escalations: {
      indexName: 'escalations',
      partitionKey: 'escalationPk',
      sortKey: 'escalationSk',
      projection: inboxAttributes,
    },
    /** Everything open at a stage, ordered by unit path: counts for a unit's whole subtree, and the backlog probe. */
    stageBacklog: {
      indexName: 'stage-backlog',
      partitionKey: 'stagePk',
      sortKey: 'stageSk',
      projection: ['stageEnteredAt', 'overdue'],
    },
    /**
     * Open applications by the moment their next deadline event falls due (reminder, overdue),
     * earliest first: the deadline sweep's work list. Keys only: the sweep reads each application
     * it records an event on anyway, and a keys-only copy is written only when the moment moves.
     */
    deadlineDue: { indexName: 'deadline-due', partitionKey: 'deadlinePk', sortKey: 'deadlineSk', projection: 'keys' },
    /** A community's employment ledger: its entries (`ENTRY#…`) and households (`HOUSEHOLD#…`), listed for its staff and counted into scorecards. */
    communityLedger: {
      indexName: 'community-ledger',
      partitionKey: 'ledgerPk',
      sortKey: 'ledgerSk',
      projection: 'all',
    },
    /**
     * Applications with a workflow's callback token recorded, keys only: an execution waits on
     * them, or a person's change has yet to see its release through. With stage-backlog, what the
     * reconciler reads instead of the whole table; written when a wait begins and when it ends.
     */
    waitingTasks: { indexName: 'waiting-tasks', partitionKey: 'waitingPk', sortKey: 'waitingSk', projection: 'keys' },
    /** A city's grants by last payable month (`<YYYY-MM>#<application>`): the monthly re-check's work list (`active-grants.ts`). */
    activeGrants: {
      indexName: 'active-grants',
      partitionKey: 'grantsPk',
      sortKey: 'grantsSk',
      projection: ['programme', 'start', 'months', 'applicationId', 'policyVersion', 'suspendedFrom'],
    },
    /** Webhook deliveries waiting for their next attempt, earliest first: the delivery worker's sweep. */
    webhookDue: { indexName: 'webhook-due', partitionKey: 'duePk', sortKey: 'dueSk', projection: 'all' },
  },
  /**
   * The table's change stream carries each new item as written: history events are the outbox
   * from which webhook deliveries are made, written in the same transaction as the change.
   */
  stream: { viewType: 'NEW_IMAGE' },
} as const;

export const keys = {
  ...verificationKeys,
  application: (id: string) => ({ pk: `APP#${id}`, sk: 'META' }),
  /** History events sort in order: the sequence number is zero-padded. */
  applicationEvent: (id: string, seq: number) => ({ pk: `APP#${id}`, sk: `EVT#${String(seq).padStart(6, '0')}` }),
  applicationEventPrefix: 'EVT#',
  unit: (id: string) => ({ pk: `UNIT#${id}`, sk: 'META' }),
  /** `caller`: the person, the assignment they act under and the route (store/idempotency.ts). */
  idempotency: (caller: string, key: string) => ({ pk: `IDEM#${caller}#${key}`, sk: 'META' }),
  inbox: (stage: string, unitId: string) => `INBOX#${stage}#${unitId}`,
  escalations: (unitId: string) => `ESCALATED#${unitId}`,
  /** The community-applications index's partition of one community; its sort key is `<submittedAt>#<id>`. */
  communityApplications: (communityId: string) => `APPLICATIONS#${communityId}`,
  stageBacklog: (stage: string) => `STAGE#${stage}`,
  waitingTasks: (shard: number) => `WAITING#${shard}`,
  /** A webhook endpoint lives with its application, so the stream consumer finds them with one query. */
  webhookEndpoint: (applicationId: string, endpointId: string) => ({
    pk: `APP#${applicationId}`,
    sk: `WEBHOOK#${endpointId}`,
  }),
  webhookEndpointPrefix: 'WEBHOOK#',
  /** How many endpoints the application has: the register's condition keeps it within the city's cap. */
  webhookEndpointCount: (applicationId: string) => ({ pk: `APP#${applicationId}`, sk: 'WEBHOOK-COUNT' }),
  /** Endpoint id → its application (immutable), for routes addressed by endpoint id. */
  webhookEndpointPointer: (endpointId: string) => ({ pk: `WEBHOOK#${endpointId}`, sk: 'META' }),
  /** One delivery per (endpoint, history event): the delivery log of an endpoint, in event order. */
  webhookDelivery: (endpointId: string, seq: number) => ({
    pk: `WEBHOOK#${endpointId}`,
    sk: `DLV#${String(seq).padStart(6, '0')}`,
  }),
  webhookDeliveryPrefix: 'DLV#',
  /** The deadline-due index's partition of one shard; its sort key is `<due moment>#<application id>`. */
  deadlineDue: (shard: number) => `DEADLINE#${shard}`,
  /** All due deliveries share one partition: at this product's volume (a few per decision) one is plenty. */
  webhookDue: 'DUE',
  /**
   * Throughput counters of one unit, one partition per unit: a row per (programme or `*` for all,
   * day, child unit), so a year of a unit is one range query; and what waits now per (programme, child).
   */
  metricDay: (unitId: string, programme: string, day: string, child: string) => ({
    pk: `METRIC#${unitId}`,
    sk: `DAY#${programme}#${day}#${child}`,
  }),
  metricDayRange: (unitId: string, programme: string, fromDay: string, toDay: string) => ({
    pk: `METRIC#${unitId}`,
    from: `DAY#${programme}#${fromDay}#`,
    // '~' sorts after every character of a unit id, so the last day's rows are all inside.
    to: `DAY#${programme}#${toDay}#~`,
  }),
  metricBacklog: (unitId: string, programme: string, child: string) => ({
    pk: `METRIC#${unitId}`,
    sk: `NOW#${programme}#${child}`,
  }),
  metricBacklogPrefix: (programme: string) => `NOW#${programme}#`,
  metricPrefix: 'METRIC#',
  /**
   * Where a unit's counter items are stored: its logical partition (`METRIC#<unit>`, above) in one
   * generation (a rebuild fills a new one, then switches) and one shard (cities and districts are
   * spread over several, summed on read). See `store/counter-layout.ts`.
   */
  metricShard: (logicalPk: string, generation: number, shard: number) => `${logicalPk}#${generation}#${shard}`,
  /** Which generation of counter items is current, and which a rebuild is filling (`next`). */
  metricGenerations: { pk: 'METRICS', sk: 'GENERATIONS' },
  /** Marks a history event as counted by one consumer, in the transaction that counts it: exactly once per event. */
  countedEvent: (consumer: string, applicationId: string, seq: number) => ({
    pk: `APP#${applicationId}`,
    sk: `COUNTED#${consumer}#${String(seq).padStart(6, '0')}`,
  }),
  countedEventPrefix: 'COUNTED#',
  /**
   * One person in one city, under the city and the keyed hash of their resident ID (never the
   * number): that city's benefit ledger of their grants, its head (a version every final approval
   * in the city bumps, so two approvals for one person cannot both pass the ledger check), a
   * marker per programme naming their active application, the sealed copy of the number, their
   * applications and their registration in the employment ledger. The city is in the key, so no
   * read of one city's ever meets, names or counts another city's.
   */
  person: (cityId: string, personKey: string) => `PERSON#${cityId}#${personKey}`,
  ledgerHead: (cityId: string, personKey: string) => ({ pk: `PERSON#${cityId}#${personKey}`, sk: 'LEDGER' }),
  grant: (cityId: string, personKey: string, programme: string, start: string) => ({
    pk: `PERSON#${cityId}#${personKey}`,
    sk: `GRANT#${programme}#${start}`,
  }),
  grantPrefix: 'GRANT#',
  activeApplication: (cityId: string, personKey: string, programme: string) => ({
    pk: `PERSON#${cityId}#${personKey}`,
    sk: `ACTIVE#${programme}`,
  }),
  personIdentity: (cityId: string, personKey: string) => ({ pk: `PERSON#${cityId}#${personKey}`, sk: 'IDENTITY' }),
  /**
   * The one thing about a person held across cities, for the national rule (one subsidy of a kind
   * at a time): per programme, the periods they hold anywhere and a version every grant bumps, so
   * two cities' approvals for one person serialise on it. No city, no application, no amount:
   * what it lets a city learn is only that a period of another city's overlaps the one asked.
   */
  heldPeriods: (personKey: string, programme: string) => ({ pk: `HOLDER#${personKey}`, sk: `HELD#${programme}` }),
  /** A person of the staff directory, by the `sub` their token proves. */
  staff: (sub: string) => ({ pk: `STAFF#${sub}`, sk: 'META' }),
  /** The same person listed under their city (tenant): `GET /staff` is one query. */
  cityStaff: (cityId: string, sub: string) => ({ pk: `CITY#${cityId}`, sk: `STAFF#${sub}` }),
  cityStaffPrefix: 'STAFF#',
  /** A city's administration log: a head (last seq and hash) and hash-chained entries. */
  adminLogHead: (cityId: string) => ({ pk: `ADMINLOG#${cityId}`, sk: 'HEAD' }),
  adminLogEntry: (cityId: string, seq: number) => ({
    pk: `ADMINLOG#${cityId}`,
    sk: `ENTRY#${String(seq).padStart(8, '0')}`,
  }),
  adminLogEntryPrefix: 'ENTRY#',
  /** A city's unit tree as imported, one item per version; the head names the current one. */
  unitsVersion: (cityId: string, version: number) => ({
    pk: `UNITS#${cityId}`,
    sk: `V#${String(version).padStart(6, '0')}`,
  }),
  unitsHead: (cityId: string) => ({ pk: `UNITS#${cityId}`, sk: 'HEAD' }),
  /** Policy versions a city published through the API (shipped ones live in the code). */
  policy: (cityId: string, version: string) => ({ pk: `POLICY#${cityId}`, sk: `V#${version}` }),
  policyPrefix: 'V#',
  /** Every published policy version, across cities, by its unique name: what an application names. */
  policyByName: (version: string) => ({ pk: `POLICYVERSION#${version}`, sk: 'META' }),
  /**
   * The official holiday schedule of one year as a city holds it (each city keeps its own copy, so
   * no city's administrator changes another's deadlines). One partition for all: a few small items
   * per city and year, so the backlog probe reads every city's reach with one query.
   */
  calendar: (cityId: string, year: number) => ({ pk: 'CALENDAR', sk: `${cityId}#YEAR#${year}` }),
  calendarPrefix: (cityId: string) => `${cityId}#YEAR#`,
  calendars: 'CALENDAR',
  /**
   * The read audit, each entry written twice in one transaction so either question is one range
   * query by time: under the application (or employment-ledger entry) read, and under the reader.
   * Both under the city read, which only its administrator queries. The sort key is `<ISO time>#<nonce>`.
   */
  readAuditOfApplication: (cityId: string, applicationId: string) => `READS#${cityId}#APP#${applicationId}`,
  readAuditOfLedgerEntry: (cityId: string, entryId: string) => `READS#${cityId}#LEDGER#${entryId}`,
  readAuditOfReader: (cityId: string, sub: string) => `READS#${cityId}#SUB#${sub}`,
  /** One person's applications in a city (any state), so a person's data on request is one query: written at intake. */
  personApplication: (cityId: string, personKey: string, applicationId: string) => ({
    pk: `PERSON#${cityId}#${personKey}`,
    sk: `APPLICATION#${applicationId}`,
  }),
  personApplicationPrefix: 'APPLICATION#',
  /**
   * The employment ledger (失业人员台账): an entry and its hash-chained, MACed history under
   * `LEDGER#<entry id>`, with a link item per application whose approval changed it; the marker
   * that the person (by keyed hash) is registered in a city; households; the month counters of
   * each unit (`LEDGERMETRIC#<unit>`); and the city's annual evaluations.
   */
  ledgerEntry: (entryId: string) => ({ pk: `LEDGER#${entryId}`, sk: 'META' }),
  ledgerEvent: (entryId: string, seq: number) => ({
    pk: `LEDGER#${entryId}`,
    sk: `EVT#${String(seq).padStart(6, '0')}`,
  }),
  ledgerEntryPrefix: 'LEDGER#',
  ledgerLink: (entryId: string, applicationId: string) => ({ pk: `LEDGER#${entryId}`, sk: `LINK#${applicationId}` }),
  ledgerRegistration: (cityId: string, personKey: string) => ({
    pk: `PERSON#${cityId}#${personKey}`,
    sk: 'REGISTERED',
  }),
  household: (householdId: string) => ({ pk: `HOUSEHOLD#${householdId}`, sk: 'META' }),
  /** The community-ledger index's partition of one community; sort keys `ENTRY#<id>` and `HOUSEHOLD#<id>`. */
  communityLedger: (communityId: string) => `LEDGER#${communityId}`,
  ledgerMonth: (unitId: string, month: string) => ({ pk: `LEDGERMETRIC#${unitId}`, sk: `MONTH#${month}` }),
  ledgerMetricPrefix: 'LEDGERMETRIC#',
  evaluation: (cityId: string, year: string) => ({ pk: `EVALUATION#${cityId}`, sk: `YEAR#${year}` }),
} as const;

/**
 * On each history event item, beside the hash-chained event (not part of it): the application's
 * programme, unit path and when it arrived at the event's stage, so a stream consumer counts the
 * event without reading anything else.
 */
export const eventContextAttribute = 'applicationContext';

/** A DynamoDB action a function may be granted on the table's own items (IAM's names). */
