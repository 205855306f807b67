/**
 * City policy as versioned data: each city's documents (one per version, with the date it takes
 * effect) say who qualifies for each programme, how much they get and for how long, and how an
 * application is routed and decided. The documents themselves are data in `./policies/`, whose
 * index answers which version applies; this module validates them. An application records the version
 * it was submitted under and is judged by it to the end.
 */
import * as z from 'zod/mini';
import { boundedDate, boundedMonth } from './bounds.js';
import './validation-messages.js';
import type { ApprovalStage } from './actor.js';
import { type ProgrammeId, programmeIds, proofKinds } from './programmes.js';
import { minimumReadAuditRetentionDays } from './read-audit.js';
import {
  flagsAnything,
  noVerification,
  verificationPolicySchema,
  verificationRejectionReason,
} from './verification-policy.js';
import { chinaHolidayCalendars, type HolidayCalendar } from './working-days.js';

/** The rejection reason eligibility gives by itself when a rule fails. */
export const ineligibleReason = 'ineligible';

const count = (min: number, max: number) => z.number().check(z.int(), z.minimum(min), z.maximum(max));
/** Amounts of money are integer fen (分). */
const fen = z.number().check(z.int('must be whole fen'), z.nonnegative());
const yearMonth = boundedMonth;

const rejectionReasonSchema = z.object({
  code: z.string().check(z.regex(/^[a-z][a-z0-9-]*$/)),
  zh: z.string().check(z.minLength(1)),
  en: z.string().check(z.minLength(1)),
  /** Whether the approver must explain in free text (the catch-all "other"). */
  needsComment: z._default(z.boolean(), false),
});

/**
 * Statutory retirement age for one sex under the 2025 gradual reform: people born before
 * `reformFromBirthMonth` retire at `baseYears`; from that cohort on, one month is added for every
 * `birthMonthsPerExtraMonth` months of birth, up to `targetYears`. A simplification: the city
 * chooses one schedule per sex (e.g. the 55 → 58 schedule for women rather than the 50 → 55 one
 * for women workers), and early or deferred retirement is not modelled.
 */
const retirementScheduleSchema = z.object({
  baseYears: count(40, 70),
  targetYears: count(40, 70),
  reformFromBirthMonth: yearMonth,
  birthMonthsPerExtraMonth: count(1, 12),
});
export type RetirementSchedule = z.infer<typeof retirementScheduleSchema>;

const bySex = <T extends z.core.$ZodType>(schema: T) => z.object({ female: schema, male: schema });

/** Rules every programme has: proof of status, documents, duration caps and exclusions. */
const programmeRuleFields = {
  /** The proofs of status (就业困难 etc.) this programme accepts. */
  proofKinds: z.array(z.enum(proofKinds)).check(z.minLength(1)),
  /** Document kinds that must be attached (`documents[].kind`). */
  requiredDocuments: z._default(z.array(z.string().check(z.minLength(1), z.maxLength(64))), []),
  /** The most months one person may be granted under this programme in a lifetime. */
  maxMonthsLifetime: count(1, 600),
  /** Within this many years of statutory retirement the cap extends up to retirement. */
  extendedToRetirementWithinYears: z.optional(count(1, 20)),
  /** Programmes whose grants may not cover the same months as this one's. */
  exclusiveWith: z._default(z.array(z.enum(programmeIds)), []),
};

/** A share of a contribution paid back, in basis points (10000 = all of it), capped per month. */
const contributionSubsidyFields = {
  subsidyRateBasisPoints: count(1, 10_000),
  monthlyCapFen: fen,
};

const loanCapSchema = z.object({
  maxLoanFen: fen,
  maxTermMonths: count(1, 120),
  /** Jobs the business must create beside the founder's own. */
  minJobsCreated: z._default(count(0, 10_000), 0),
});

const programmeRulesSchema = z.object({
  'social-insurance/public-welfare-post': z.object({
    ...programmeRuleFields,
    ...contributionSubsidyFields,
    /** The shortest labour contract that qualifies, in months (default one year). */
    minContractMonths: z._default(count(1, 120), 12),
  }),
  'social-insurance/flexible-employment': z.object({
    ...programmeRuleFields,
    ...contributionSubsidyFields,
    /** "4050": the age reached on the application date (default women 40, men 50). */
    minAgeYears: z._default(bySex(count(16, 70)), { female: 40, male: 50 }),
  }),
  'post-subsidy': z.object({
    ...programmeRuleFields,
    monthlyCapFen: fen,
  }),
  'microloan-guarantee': z.object({
    ...programmeRuleFields,
    /** Loan caps and terms per kind of business. */
    loanCaps: z.object({
      individual: loanCapSchema,
      partnership: loanCapSchema,
      'small-enterprise': loanCapSchema,
    }),
  }),
});
export type ProgrammeRules = z.infer<typeof programmeRulesSchema>;

/**
 * The city's full-employment targets and the criteria of its annual evaluation of communities
 * (充分就业社区): the share of the ledger's people in work it aims at, how long a zero-employment
 * family may stay open, and how soon after a change the ledger must record it.
 */
export const fullEmploymentCriteriaSchema = z.object({
  /** Of the ledger's people in the labour force, the share in work a community must reach (0.9 = 90 %). */
  targetRate: z._default(z.number().check(z.minimum(0), z.maximum(1)), 0.9),
  /** No zero-employment family may stay open longer than this many days. */
  maxZeroEmploymentOpenDays: z._default(count(0, 365), 30),
  /** Every change must be recorded within this many days of the day it took effect. */
  ledgerUpdatedWithinDays: z._default(count(0, 60), 15),
});
export type FullEmploymentCriteria = z.infer<typeof fullEmploymentCriteriaSchema>;
export const defaultFullEmploymentCriteria: FullEmploymentCriteria = {
  targetRate: 0.9,
  maxZeroEmploymentOpenDays: 30,
  ledgerUpdatedWithinDays: 15,
};

export const cityPolicySchema = z
  .object({
    cityId: z.string().check(z.startsWith('city:'), z.maxLength(69)),
    version: z.string().check(z.minLength(1), z.maxLength(64)),
    effectiveFrom: boundedDate,
    /** The levels an application passes through after community intake, in order. */
    approvalChain: z.array(z.enum(['street', 'district', 'city'])).check(
      z.minLength(1),
      z.refine((chain) => chain.at(-1) === 'city', 'the chain must end at the city'),
      z.refine((chain) => new Set(chain).size === chain.length, 'a level may appear once'),
    ),
    /** Working days each decision stage may take before it is overdue and escalated. */
    decisionDeadlineWorkingDays: count(1, 60),
    /** A reminder is recorded when this many working days or fewer are left. */
    reminderWorkingDaysBefore: count(0, 30),
    /** Working days the community has to resubmit a returned application. */
    resubmissionDeadlineWorkingDays: count(1, 120),
    /** How many times an application may be returned for revision; after that, return is not offered. */
    maxReturnRounds: z._default(count(0, 10), 3),
    /**
     * Days each read-audit entry is kept: six months at least (the Cybersecurity Law's minimum for
     * logs); a city whose rules ask for longer says so here, up to ten years.
     */
    readAuditRetentionDays: z._default(count(minimumReadAuditRetentionDays, 3653), minimumReadAuditRetentionDays),
    /** How many webhook receivers one application may have (each is sent every event, retried for days). */
    webhookEndpointsPerApplication: z._default(count(1, 20), 5),
    /** The reasons a rejection may give; `ineligible` is the one eligibility gives by itself. */
    rejectionReasons: z.array(rejectionReasonSchema).check(
      z.minLength(1),
      z.refine(
        (reasons) => reasons.some((r) => r.code === ineligibleReason),
        `must include the reason ${ineligibleReason}`,
      ),
    ),
    retirementAge: bySex(retirementScheduleSchema),
    programmes: programmeRulesSchema,
    fullEmployment: z._default(fullEmploymentCriteriaSchema, defaultFullEmploymentCriteria),
    /** Facts checked against other offices' records (verification-policy.ts); none by default. */
    verification: z._default(verificationPolicySchema, noVerification),
  })
  .check(
    z.superRefine((policy, ctx) => {
      for (const id of programmeIds) {
        for (const other of policy.programmes[id].exclusiveWith) {
          if (other === id)
            ctx.addIssue({
              code: 'custom',
              message: 'a programme cannot exclude itself',
              path: ['programmes', id, 'exclusiveWith'],
            });
        }
      }
      if (
        flagsAnything(policy.verification) &&
        !policy.rejectionReasons.some((r) => r.code === verificationRejectionReason)
      )
        ctx.addIssue({
          code: 'custom',
          message: `a policy whose checks raise suspicions must list the rejection reason ${verificationRejectionReason}`,
          path: ['rejectionReasons'],
        });
      for (const sex of ['female', 'male'] as const) {
        const schedule = policy.retirementAge[sex];
        if (schedule.targetYears < schedule.baseYears) {
          ctx.addIssue({
            code: 'custom',
            message: 'the target age cannot be below the base age',
            path: ['retirementAge', sex, 'targetYears'],
          });
        }
      }
    }),
  );
/** What a policy document must contain before its defaults are filled in. */
export type CityPolicyDocument = z.input<typeof cityPolicySchema>;
export type CityPolicy = z.infer<typeof cityPolicySchema> & {
  approvalChain: ApprovalStage[];
  /**
   * The city's working-day calendars, beside the document (never part of a version): the store
   * adds the city's current ones when it hands a policy out, so deadlines follow a changed calendar.
   */
  calendars?: readonly HolidayCalendar[];
};

/** The calendars deadlines are counted on: the city's, or the shipped schedules when none were added. */
export function calendarsOf(policy: Pick<CityPolicy, 'calendars'>): readonly HolidayCalendar[] {
  return policy.calendars ?? chinaHolidayCalendars;
}

/** What the benefit ledger enforces for one programme at final approval. */
export interface LedgerRules {
  /** Lifetime duration cap in months (e.g. 36). */
  maxMonthsLifetime: number;
  /** Within this many years of retirement the cap extends up to retirement (eligibility computes it per person). */
  extendedToRetirementWithinYears?: number;
  /** Programmes whose grants may not overlap in time with this one's. */
  exclusiveWith: ProgrammeId[];
}

export function ledgerRulesFor(policy: CityPolicy, programme: ProgrammeId): LedgerRules {
  const rules = policy.programmes[programme];
  return {
    maxMonthsLifetime: rules.maxMonthsLifetime,
    ...(rules.extendedToRetirementWithinYears === undefined
      ? {}
      : { extendedToRetirementWithinYears: rules.extendedToRetirementWithinYears }),
    exclusiveWith: [...rules.exclusiveWith],
  };
}

/** A policy document that does not validate; the message names the fields. */
export class InvalidPolicyDocumentError extends Error {
  override name = 'InvalidPolicyDocumentError';
}

/** Validates one policy document (TypeScript data or parsed JSON) and fills in its defaults. */
export function loadPolicyDocument(document: unknown): CityPolicy {
  const parsed = cityPolicySchema.safeParse(document);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(document)'}: ${issue.message}`);
    throw new InvalidPolicyDocumentError(`invalid city policy document: ${fields.join('; ')}`, { cause: parsed.error });
  }
  return parsed.data as CityPolicy;
}

/** The versions of every city's policy known to this process. */
export interface PolicyRegistry {
  /** The policy in force for a city on a date (YYYY-MM-DD): the latest version already effective. */
  inForce(cityId: string, onDate: string): CityPolicy | undefined;
  /** The exact version an application was submitted under. */
  version(version: string): CityPolicy | undefined;
  versions(): readonly CityPolicy[];
}

/** A registry of the given documents; a version name may appear once. */
export function createPolicyRegistry(documents: readonly unknown[]): PolicyRegistry {
  const policies = documents.map(loadPolicyDocument);
  const names = policies.map((p) => p.version);
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated) throw new InvalidPolicyDocumentError(`policy version ${repeated} appears twice`);
  return {
    inForce: (cityId, onDate) =>
      policies
        .filter((p) => p.cityId === cityId && p.effectiveFrom <= onDate)
        .sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom))[0],
    version: (version) => policies.find((p) => p.version === version),
    versions: () => policies,
  };
}
