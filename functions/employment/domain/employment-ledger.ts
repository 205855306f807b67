/**
 * The ledger of unemployed people a community keeps (失业人员台账, "dynamically managed"): who is
 * registered, in which household, and every change of their status with its date and evidence.
 * Pure: the store reads an entry and its household, this module says whether a change may be
 * recorded and what it does to the household, and the store writes it all in one transaction.
 *
 * 1. A person is registered once per city (the store holds that by a marker under their keyed hash).
 * 2. A change is dated on or after the registration and the last change, and not in the future.
 * 3. A household lives in one community of one city; its members are that community's entries.
 * 4. A household with a working-age member out of work and no member in work is a zero-employment
 *    family (零就业家庭). That is computed from the members' records after every change, never set
 *    by hand; the change that makes or ends it records the date, and the household keeps its episodes.
 */
import * as z from 'zod/mini';
import '../../kernel/domain/validation-messages.js';
import { retirementDate } from '../../kernel/domain/age-and-retirement.js';
import { InvalidRequestError } from '../../kernel/domain/errors.js';
import type { CityPolicy } from '../../kernel/domain/policy.js';
import type { ProgrammeId } from '../../kernel/domain/programmes.js';
import type { ResidentIdFacts } from '../../kernel/domain/resident-id.js';

export const ledgerStatuses = ['unemployed', 'employed', 'left-labour-force', 'moved-away'] as const;
export type LedgerStatus = (typeof ledgerStatuses)[number];

/** How an employed person works: on a public-welfare post, flexibly (registered), on their own account, for an enterprise. */
export const employmentKinds = ['public-welfare-post', 'flexible', 'self-employed', 'enterprise'] as const;
export type EmploymentKind = (typeof employmentKinds)[number];

const isoDate = z.iso.date();
const shortText = z.string().check(z.minLength(1), z.maxLength(200));

/** What a change rests on: a document or record the staff saw (an employment contract, a business licence). */
export const evidenceSchema = z.object({
  kind: z.string().check(z.minLength(1), z.maxLength(64)),
  reference: z.optional(shortText),
});
export type Evidence = z.infer<typeof evidenceSchema>;

/** The body of `POST /ledger/entries/{id}/changes`. */
export const statusChangeSchema = z
  .object({
    on: isoDate,
    status: z.enum(ledgerStatuses),
    employment: z.optional(z.enum(employmentKinds)),
    evidence: evidenceSchema,
    /** `expectedVersion` guards against a change made meanwhile (409), like an application's decisions. */
    expectedVersion: z.optional(z.number().check(z.int(), z.minimum(1))),
  })
  .check(
    z.refine((c) => (c.status === 'employed') === (c.employment !== undefined), {
      message: 'employment is required when (and only when) the status is employed',
      path: ['employment'],
    }),
  );
export type StatusChange = z.infer<typeof statusChangeSchema>;

/** The body of `POST /ledger/entries`: the person as the community registers them. */
export const registrationSchema = z.object({
  idNumber: z.string().check(z.regex(/^\d{17}[\dX]$/, 'must be 18 characters: 17 digits and a digit or X')),
  name: z.string().check(z.minLength(1), z.maxLength(50)),
  phone: z.optional(z.string().check(z.regex(/^1\d{10}$/, 'must be an 11-digit mobile number'))),
  registeredOn: isoDate,
  /** Holds the 《再就业优惠证》. */
  certificateHolder: z._default(z.boolean(), false),
  /** The household to join (`id`), or a new one (`new`, with an optional label such as the address). */
  household: z.union([
    z.object({ id: z.string().check(z.minLength(1), z.maxLength(64)) }),
    z.object({ new: z.object({ label: z.optional(shortText) }) }),
  ]),
  evidence: z.optional(evidenceSchema),
});
export type Registration = z.infer<typeof registrationSchema>;

/** What the household rule needs of each member: their status, and until when they are of working age. */
export interface MemberState {
  status: LedgerStatus;
  /**
   * The month they reach statutory retirement (`YYYY-MM`, from the resident ID and the city's
   * policy at registration). A month, never the day: the day with the city's public schedule gives
   * the birth date, which with the masked ID narrows it to a few numbers (see privacy.ts). A date
   * compares below it while it is before that month.
   */
  workingAgeUntil: string;
}

/** The month a person reaches statutory retirement under the city's policy: what the ledger keeps of their age. */
export function retirementMonthOf(facts: ResidentIdFacts, policy: CityPolicy): string {
  return retirementDate(facts, policy).slice(0, 7);
}

/** One entry of the ledger (the person's personal fields are the store's; this is what the rules read). */
export interface LedgerEntryState {
  id: string;
  cityId: string;
  communityId: string;
  unitPath: string[];
  householdId: string;
  registeredOn: string;
  status: LedgerStatus;
  employment?: EmploymentKind;
  statusSince: string;
  workingAgeUntil: string;
  certificateHolder: boolean;
  version: number;
}

export interface ZeroEmploymentEpisode {
  from: string;
  to?: string;
}

export interface Household {
  id: string;
  cityId: string;
  communityId: string;
  unitPath: string[];
  label?: string;
  members: Record<string, MemberState>;
  /** Set while the household is a zero-employment family: since when. */
  zeroSince?: string;
  episodes: ZeroEmploymentEpisode[];
  version: number;
}

/**
 * The rule: a working-age member out of work (unemployed, not past retirement on `on`) and nobody
 * in work. Members who left the labour force or moved away neither make nor end it.
 */
export function isZeroEmployment(members: readonly MemberState[], on: string): boolean {
  const available = members.some((m) => m.status === 'unemployed' && on < m.workingAgeUntil);
  return available && !members.some((m) => m.status === 'employed');
}

export type HouseholdEffect = 'became-zero' | 'resolved';

/**
 * The household after one member's state changed on `on`, and what that did: made it a
 * zero-employment family, ended one, or nothing. An end is never dated before the start.
 */
export function householdAfter(
  household: Household,
  entryId: string,
  member: MemberState,
  on: string,
): { household: Household; effect?: HouseholdEffect } {
  const members = { ...household.members, [entryId]: member };
  const zero = isZeroEmployment(Object.values(members), on);
  const next: Household = { ...household, members, episodes: [...household.episodes], version: household.version + 1 };
  if (zero && !household.zeroSince) {
    next.zeroSince = on;
    next.episodes.push({ from: on });
    return { household: next, effect: 'became-zero' };
  }
  if (!zero && household.zeroSince) {
    const to = on < household.zeroSince ? household.zeroSince : on;
    delete next.zeroSince;
    next.episodes = next.episodes.map((e) => (e.to === undefined ? { ...e, to } : e));
    return { household: next, effect: 'resolved' };
  }
  return { household: next };
}

/** A change refused by the ledger's rules: 422 naming the field. */
const refuse = (field: string, message: string) => new InvalidRequestError(message, [{ field, message }]);

/** Rule 2: a change dated before the registration, before the last change, or after today is refused. */
export function assertChangeDate(
  entry: Pick<LedgerEntryState, 'registeredOn' | 'statusSince'>,
  on: string,
  today: string,
) {
  if (on > today) throw refuse('on', `${on} is in the future (today is ${today})`);
  if (on < entry.registeredOn) throw refuse('on', `${on} is before the registration on ${entry.registeredOn}`);
  if (on < entry.statusSince) throw refuse('on', `${on} is before the last recorded change on ${entry.statusSince}`);
}

/** A registration dated in the future is refused the same way. */
export function assertRegistrationDate(registeredOn: string, today: string) {
  if (registeredOn > today) throw refuse('registeredOn', `${registeredOn} is in the future (today is ${today})`);
}

/**
 * A person registered in the city already is refused (the 409 names the entry), unless they moved
 * away from that community: then the community they moved to registers them again, not before the
 * day they left, and the new entry names the old one.
 */
export function mayRegisterAgain(
  previous: Pick<LedgerEntryState, 'id' | 'status' | 'statusSince'>,
  registeredOn: string,
): boolean {
  if (previous.status !== 'moved-away') return false;
  if (registeredOn < previous.statusSince)
    throw refuse(
      'registeredOn',
      `the person moved away from their last community on ${previous.statusSince}; register them here on that day or later`,
    );
  return true;
}

/** Rule 3: the household must be of the registering community (and so of its city). */
export function assertSameHousehold(
  household: Pick<Household, 'cityId' | 'communityId'>,
  cityId: string,
  communityId: string,
) {
  if (household.cityId !== cityId)
    throw refuse('household.id', `the household belongs to ${household.cityId}; a household holds people of one city`);
  if (household.communityId !== communityId)
    throw refuse(
      'household.id',
      `the household is kept by ${household.communityId}; a person moving between communities is registered anew there`,
    );
}

/** A change that changes nothing (same status, same kind) is refused: the ledger records changes. */
export function assertChanges(
  entry: Pick<LedgerEntryState, 'status' | 'employment'>,
  change: Pick<StatusChange, 'status' | 'employment'>,
) {
  if (entry.status === change.status && entry.employment === change.employment)
    throw refuse(
      'status',
      `the person is already ${change.status}${change.employment ? ` (${change.employment})` : ''}`,
    );
  if (entry.status === 'moved-away')
    throw refuse('status', 'the person moved away; register them again to change their status');
}

/** What a final approval of each programme tells the ledger about the person. */
export const employmentOfProgramme: Record<ProgrammeId, EmploymentKind> = {
  'post-subsidy': 'public-welfare-post',
  'social-insurance/public-welfare-post': 'public-welfare-post',
  'microloan-guarantee': 'self-employed',
  'social-insurance/flexible-employment': 'flexible',
};

// ── history ──────────────────────────────────────────────────────────────────────────────

export interface LedgerEventBody {
  seq: number;
  /** When it was recorded (UTC instant). */
  at: string;
  /** The date the change took effect (Asia/Shanghai business date). */
  on: string;
  action: 'registered' | 'status-changed';
  actor: { sub: string; role: string; unit: string };
  /** Absent on the registration. */
  statusBefore?: LedgerStatus;
  status: LedgerStatus;
  employment?: EmploymentKind;
  certificateHolder: boolean;
  evidence?: Evidence;
  /** The application whose final approval recorded the change. */
  applicationId?: string;
  /** Where the change counts: the entry's community path. */
  unitPath: string[];
  householdId: string;
  householdEffect?: HouseholdEffect;
  version: number;
}

// ── counting: what one event adds to its month, per unit on its path ─────────────────────

/** Flows in the month and stock changes (summed from the start they give the stock at a month's end). */
export const ledgerCounterNames = [
  'registered',
  'reemployed',
  'unemployedStock',
  'employedStock',
  'zeroFound',
  'zeroResolved',
  'recorded',
] as const;
export type LedgerCounterName = (typeof ledgerCounterNames)[number];

/**
 * Counters as flat numbers: the named ones, and `lag_NN`, how many events were recorded NN days
 * after they took effect (`lag_61` for later still). Fixed buckets merge by adding, and any
 * criterion of up to 60 days reads off them without counting the events again.
 */
export type LedgerCounters = Record<string, number>;
export const maxLagBucket = 61;
export const lagCounter = (days: number) => `lag_${String(Math.min(Math.max(days, 0), maxLagBucket)).padStart(2, '0')}`;

export const emptyLedgerCounters = (): LedgerCounters => Object.fromEntries(ledgerCounterNames.map((n) => [n, 0]));

const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;
/** Whole days from `from` to `to` (ISO dates). */
export const daysBetween = (from: string, to: string) => Math.round(dayNumber(to) - dayNumber(from));

/**
 * What a ledger event adds to the counters of the month it took effect in (`on`); `recordedOn` is
 * the Shanghai date of `at`. `recorded` and the lag buckets count only what staff recorded.
 */
export function ledgerCountsOf(
  event: Pick<LedgerEventBody, 'statusBefore' | 'status' | 'action' | 'householdEffect' | 'on' | 'applicationId'>,
  recordedOn: string,
): LedgerCounters {
  const counts = emptyLedgerCounters();
  // How promptly the community keeps its ledger is judged on what its staff record; a change an
  // approval recorded is dated from the grant's start, which the community could not have recorded then.
  if (!event.applicationId) {
    counts.recorded = 1;
    counts[lagCounter(daysBetween(event.on, recordedOn))] = 1;
  }
  if (event.action === 'registered') counts.registered = 1;
  const stock = (s: LedgerStatus | undefined, sign: number) => {
    if (s === 'unemployed') counts.unemployedStock = (counts.unemployedStock ?? 0) + sign;
    if (s === 'employed') counts.employedStock = (counts.employedStock ?? 0) + sign;
  };
  stock(event.statusBefore, -1);
  stock(event.status, 1);
  if (event.statusBefore === 'unemployed' && event.status === 'employed') counts.reemployed = 1;
  if (event.householdEffect === 'became-zero') counts.zeroFound = 1;
  if (event.householdEffect === 'resolved') counts.zeroResolved = 1;
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n !== 0));
}

export function addLedgerCounters(into: LedgerCounters, more: LedgerCounters): LedgerCounters {
  for (const [name, n] of Object.entries(more)) into[name] = (into[name] ?? 0) + n;
  return into;
}

/** Events recorded more than `days` after they took effect, from the lag buckets. */
export function recordedLaterThan(counters: LedgerCounters, days: number): number {
  let late = 0;
  for (let d = days + 1; d <= maxLagBucket; d++) late += counters[lagCounter(d)] ?? 0;
  return late;
}

/** The entry after a status change on `on` (the rules were checked by the caller). */
export function entryAfterChange<E extends LedgerEntryState>(
  entry: E,
  change: { on: string; status: LedgerStatus; employment?: EmploymentKind },
): E {
  const next = { ...entry, status: change.status, statusSince: change.on, version: entry.version + 1 };
  if (change.employment) next.employment = change.employment;
  else delete next.employment;
  return next;
}

/**
 * The date a final approval puts the person in work: the grant's first day (`start` is its first
 * month), never before what the ledger last recorded nor after today.
 */
export function approvalEffectiveDate(start: string | undefined, approvedOn: string, statusSince: string): string {
  const first = start ? `${start}-01` : approvedOn;
  const notLater = first > approvedOn ? approvedOn : first;
  return notLater < statusSince ? statusSince : notLater;
}
