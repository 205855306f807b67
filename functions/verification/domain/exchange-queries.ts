/**
 * The questions as the exchange receives them, checked (the local exchange runs these): a person
 * by a resident ID with its check digit, a firm by a credit code with its check character, or by
 * the person who represents it.
 */
import * as z from 'zod/mini';
import { boundedMonth } from '../../kernel/domain/bounds.js';
import { creditCodeCheckChar } from '../../kernel/domain/programmes.js';
import { residentIdProblem } from '../../kernel/domain/resident-id.js';

export const residentIdNumber = z.string().check(
  z.superRefine((value, ctx) => {
    const problem = residentIdProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, input: value });
  }),
);

export const creditCode = z.string().check(
  z.regex(/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/, 'must be an 18-character unified social credit code'),
  z.refine((code) => creditCodeCheckChar(code.slice(0, 17)) === code[17], 'the check character does not match'),
);

/** A question about a person, as sent. */
export const personQuerySchema = z.object({
  idNumber: residentIdNumber,
  months: z.optional(z.object({ from: boundedMonth, to: boundedMonth })),
});
export type PersonQuery = z.infer<typeof personQuerySchema>;

/** A question about firms, as sent: by credit code, by legal representative, or both. */
export const entityQuerySchema = z
  .object({ creditCode: z.optional(creditCode), legalRepresentativeIdNumber: z.optional(residentIdNumber) })
  .check(
    z.refine(
      (query) => query.creditCode !== undefined || query.legalRepresentativeIdNumber !== undefined,
      'ask by creditCode, legalRepresentativeIdNumber or both',
    ),
  );
export type EntityQuery = z.infer<typeof entityQuerySchema>;
