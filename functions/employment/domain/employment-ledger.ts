/**
 * The ledger of unemployed people a community keeps (失业人员台账, "dynamically managed"): who is
 * registered, in which household, and every change of their status with its date and evidence.
 * This file is its vocabulary (the requests, the entry, the household, the event); the rules are
 * the transitions (`registration.ts`, `status-changes.ts`, sharing `ledger-lifecycle.ts`): each
 * takes the entry and household as stored and the request, and answers what to record, which the
 * store writes in one transaction.
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
import { notFormula, screenFreeText } from '../../kernel/domain/free-text.js';
import type { CityPolicy } from '../../kernel/domain/policy.js';
import type { ResidentIdFacts } from '../../kernel/domain/resident-id.js';

export const ledgerStatuses = ['unemployed', 'employed', 'left-labour-force', 'moved-away'] as const;
export type LedgerStatus = (typeof ledgerStatuses)[number];

/** How an employed person works: on a public-welfare post, flexibly (registered), on their own account, for an enterprise. */
export const employmentKinds = ['public-welfare-post', 'flexible', 'self-employed', 'enterprise'] as const;
export type EmploymentKind = (typeof employmentKinds)[number];

const isoDate = z.iso.date();
const shortText = z.string().check(z.minLength(1), z.maxLength(200), notFormula());

/** What a change rests on: a document or record the staff saw (an employment contract, a business licence). */
export const evidenceSchema = z.object({
  kind: z.string().check(z.minLength(1), z.maxLength(64), notFormula()),
  reference: z.optional(shortText),
});
export type Evidence = z.infer<typeof evidenceSchema>;

/**
 * Evidence as it is recorded: its text screened as comments are (`free-text.ts`), so a resident
 * ID, mobile or card number typed into a reference never reaches the history or a view.
 */
export const screenedEvidence = (evidence: Evidence): Evidence => ({
  kind: screenFreeText(evidence.kind),
  ...(evidence.reference === undefined ? {} : { reference: screenFreeText(evidence.reference) }),
});

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
  name: z.string().check(z.minLength(1), z.maxLength(50), notFormula()),
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

/** What the rules read of an entry. */
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

/** One entry of the ledger: the rules' state, the person's fields (shown by role, never logged) and its history's head. */
export interface LedgerEntry extends LedgerEntryState {
  name: string;
  phone?: string;
  /** Masked (the city's four characters); the clear number is only sealed, under PERSON#…/IDENTITY. */
  idNumber: string;
  /** The keyed hash of the resident ID: finds the person's entry without the number. */
  personKey: string;
  /** Sequence number and hash of the last event, which the next one chains from. */
  eventSeq: number;
  lastEventHash: string;
  /** The applications whose final approval was recorded on the entry. */
  applications: string[];
  updatedAt: string;
  /** The entry the person held in another community of the city before they moved here. */
  previousEntryId?: string;
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

/** What a change did to the member's household: made it a zero-employment family, or ended one. */
export type HouseholdEffect = 'became-zero' | 'resolved';

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

/** An event as recorded: chained onto the entry's history. */
export type LedgerEvent = LedgerEventBody & { prevHash: string; hash: string };

/** A change refused by the ledger's rules: 422 naming the field. */
export const refusal = (field: string, message: string) => new InvalidRequestError(message, [{ field, message }]);
