/**
 * The records other offices hold, as the product asks about them: one question per source, about a
 * person (by resident ID number) or a firm (by unified social credit code), and an answer dated by
 * the day the source's data was current (`asOf`). The port (`DataExchange`) is answered by the
 * provincial data-exchange platform over signed HTTP, or by the snapshot files it drops; the checks
 * (`checks.ts`) judge the answers. Answers never carry a clear ID number: an adapter that is sent one
 * (an entity's legal representative) compares it with the question's and keeps only the outcome.
 */
import * as z from 'zod/mini';
import { boundedDate, boundedMonth } from '../../kernel/domain/bounds.js';
import { programmeIds } from '../../kernel/domain/programmes.js';
import type { SourceName, UnavailableReason } from '../../kernel/domain/verification-results.js';

export { sourceLabels, sourceNames, unavailableReasons } from '../../kernel/domain/verification-results.js';
export type { SourceName, UnavailableReason };

/** A question about a person; `months` bounds the contribution records asked for (inclusive). */
export interface PersonQuestion {
  source: Exclude<SourceName, 'entities'>;
  idNumber: string;
  months?: { from: string; to: string };
}
/**
 * A question about firms: the one with this credit code, or (without one) those whose legal
 * representative is the person with `legalRepresentativeIdNumber`. With both, the answer says whether
 * that person is the firm's legal representative.
 */
export interface EntityQuestion {
  source: 'entities';
  creditCode?: string;
  legalRepresentativeIdNumber?: string;
}
export type Question = PersonQuestion | EntityQuestion;

const asOf = boundedDate;
const period = z.object({ from: boundedDate, to: z.optional(boundedDate) });

/** What each source answers, validated: an answer that does not parse is the source's fault, not the applicant's. */
export const answerSchemas = {
  contributions: z.object({
    asOf,
    records: z.array(
      z.object({
        month: boundedMonth,
        /** Who paid: an employer's credit code; absent when the person paid as flexibly employed (灵活就业). */
        employerCreditCode: z.optional(z.string().check(z.minLength(1), z.maxLength(32))),
        baseFen: z.number().check(z.int(), z.nonnegative()),
        paid: z.boolean(),
      }),
    ),
  }),
  entities: z.object({
    asOf,
    entities: z.array(
      z.object({
        creditCode: z.string().check(z.minLength(1), z.maxLength(32)),
        name: z.string().check(z.minLength(1), z.maxLength(200)),
        kind: z.enum(['enterprise', 'individual-business']),
        status: z.enum(['active', 'deregistered']),
        deregisteredOn: z.optional(boundedDate),
        /** Whether the question's person is its legal representative (absent when not asked or not known). */
        legalRepresentativeIsPerson: z.optional(z.boolean()),
      }),
    ),
  }),
  deaths: z.object({ asOf, died: z.optional(z.object({ on: boundedDate })) }),
  imprisonments: z.object({ asOf, periods: z.array(period) }),
  pensions: z.object({ asOf, from: z.optional(boundedMonth) }),
  unemploymentBenefits: z.object({ asOf, periods: z.array(period) }),
  publicPayroll: z.object({ asOf, periods: z.array(period) }),
  grantsElsewhere: z.object({
    asOf,
    grants: z.array(
      z.object({
        cityId: z.string().check(z.startsWith('city:'), z.maxLength(69)),
        programme: z.enum(programmeIds),
        start: boundedMonth,
        months: z.number().check(z.int(), z.minimum(1), z.maximum(600)),
      }),
    ),
  }),
} as const;
export type AnswerOf<S extends SourceName> = z.infer<(typeof answerSchemas)[S]>;
export type Answer = { [S in SourceName]: { source: S } & AnswerOf<S> }[SourceName];

export class SourceUnavailableError extends Error {
  override readonly name = 'SourceUnavailableError';
  constructor(
    readonly source: SourceName,
    readonly reason: UnavailableReason,
    detail?: string,
  ) {
    super(`source ${source} unavailable (${reason})${detail ? `: ${detail}` : ''}`);
  }
}

/**
 * The port: asks one source one question for one city. Throws `SourceUnavailableError` when the
 * source cannot answer now (down, slow, its circuit open, garbage); never answers from a guess.
 */
export interface DataExchange {
  ask<Q extends Question>(cityId: string, question: Q): Promise<Extract<Answer, { source: Q['source'] }>>;
}
