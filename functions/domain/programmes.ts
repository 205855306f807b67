/**
 * The four subsidy programmes and the application body each accepts. One schema per programme,
 * shared by the API, the workflow steps and the tests; the city's rules for who qualifies
 * and how much live in city policy, not here.
 */
import { z } from 'zod';
import { residentIdProblem } from './residentId.js';
import { isUnitId, unitLevel } from './units.js';

export const programmeIds = [
  'social-insurance/public-welfare-post',
  'social-insurance/flexible-employment',
  'post-subsidy',
  'microloan-guarantee',
] as const;
export type ProgrammeId = (typeof programmeIds)[number];

const isoDate = z.iso.date();
const yearMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month such as 2026-04');
/** Amounts of money are integer fen (分); no fractions, no negatives. */
const fen = z.number().int('must be whole fen').nonnegative();
const shortText = z.string().trim().min(1).max(200);

const period = z.object({ start: yearMonth, months: z.number().int().min(1).max(120) });

const creditCode = z
  .string()
  .regex(/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/, 'must be an 18-character unified social credit code');

const employer = z.object({ name: shortText, creditCode });
const post = z.object({ title: shortText, startDate: isoDate });

export const proofKinds = ['re-employment-certificate', 'unemployment-registration', 'hard-to-employ'] as const;

export const applicantSchema = z.object({
  name: z.string().trim().min(1).max(50),
  idNumber: z.string().superRefine((value, ctx) => {
    const problem = residentIdProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  phone: z.string().regex(/^1\d{10}$/, 'must be an 11-digit mobile number'),
  proof: z.object({ kind: z.enum(proofKinds), number: shortText }),
});
export type ApplicantInput = z.infer<typeof applicantSchema>;

export const documentsSchema = z
  .array(z.object({ kind: z.string().trim().min(1).max(64), ref: z.string().trim().min(1).max(200) }))
  .max(50);

export const detailsSchemas = {
  'social-insurance/public-welfare-post': z.object({
    employer,
    post,
    contract: z
      .object({ start: isoDate, end: isoDate })
      .refine((c) => c.end > c.start, { message: 'the contract must end after it starts', path: ['end'] }),
    monthlyContribution: fen,
    period,
  }),
  'social-insurance/flexible-employment': z.object({
    registrationNo: shortText,
    registeredOn: isoDate,
    monthlyContribution: fen,
    period,
  }),
  'post-subsidy': z.object({
    employer,
    post,
    monthlyAmount: fen,
    period,
  }),
  'microloan-guarantee': z.object({
    business: z.object({
      name: shortText,
      type: z.enum(['individual', 'partnership', 'small-enterprise']),
      licenceNo: shortText.optional(),
    }),
    loanAmount: fen.min(1),
    termMonths: z.number().int().min(1).max(120),
    bank: shortText,
    jobsCreated: z.number().int().min(0).max(10_000),
  }),
} satisfies Record<ProgrammeId, z.ZodType>;

const communityId = z
  .string()
  .refine((id) => isUnitId(id) && unitLevel(id) === 'community', 'must be a community id such as community:gexin-01');

function submissionFor<P extends ProgrammeId>(programme: P) {
  return z.object({
    programme: z.literal(programme),
    communityId,
    applicant: applicantSchema,
    details: detailsSchemas[programme],
    documents: documentsSchema.default([]),
  });
}

/** The body of `POST /applications`: one shape per programme, told apart by `programme`. */
export const submissionSchema = z.discriminatedUnion('programme', [
  submissionFor('social-insurance/public-welfare-post'),
  submissionFor('social-insurance/flexible-employment'),
  submissionFor('post-subsidy'),
  submissionFor('microloan-guarantee'),
]);
export type Submission = z.infer<typeof submissionSchema>;
