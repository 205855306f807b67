/**
 * The four subsidy programmes and the application body each accepts. One schema per programme,
 * shared by the API, the workflow steps and the tests; the city's rules for who qualifies
 * and how much live in city policy (`policy.ts`), not here.
 */
import * as z from 'zod/mini';
import { boundedDate, boundedMonth } from './bounds.js';
import './validation-messages.js';
import { notFormula, screenFreeText } from './free-text.js';
import { maskResidentId, type ResidentIdFacts, residentIdFacts, residentIdProblem } from './resident-id.js';
import { isUnitId, unitLevel } from './units.js';

/** The applicant as kept and shown: the resident ID masked, the clear number never stored. */
export interface MaskedApplicant {
  name: string;
  /** Masked for display; the clear number is never stored. */
  idNumber: string;
  phone: string;
  proof: { kind: string; number: string };
  household?: { kind: string; registeredIn: string };
}

export const programmeIds = [
  'social-insurance/public-welfare-post',
  'social-insurance/flexible-employment',
  'post-subsidy',
  'microloan-guarantee',
] as const;
export type ProgrammeId = (typeof programmeIds)[number];

/** What each programme is, in words an applicant understands. */
export const programmeDescriptions: Record<ProgrammeId, { zh: string; en: string }> = {
  'social-insurance/public-welfare-post': {
    zh: '公益性岗位社会保险补贴：就业困难人员在公益性岗位就业并签订劳动合同的，按单位为其缴纳的社会保险费给予补贴。',
    en: 'Social-insurance subsidy for public-welfare posts: when a hard-to-employ person works in a public-welfare post under a labour contract, the employer’s social-insurance contribution for them is paid back.',
  },
  'social-insurance/flexible-employment': {
    zh: '灵活就业社会保险补贴：“4050”人员（女性满40周岁、男性满50周岁）等以灵活就业方式就业并缴纳社会保险费的，按实际缴费的一定比例给予补贴。',
    en: 'Social-insurance subsidy for flexible employment: people in flexible work who pay their own social insurance — “4050” people (women from 40, men from 50) and others with proof of status — get part of what they paid back.',
  },
  'post-subsidy': {
    zh: '岗位补贴：用人单位吸纳就业困难人员就业的，按月给予岗位补贴。',
    en: 'Post subsidy: an employer that takes on a hard-to-employ person receives a monthly amount for the post.',
  },
  'microloan-guarantee': {
    zh: '创业担保贷款：符合条件的个人或小微企业创业，可申请由政府担保的贷款，额度和期限按政策规定。',
    en: 'Microloan guarantee: a person or small business starting up may borrow under a government guarantee, up to the amount and term the city sets.',
  },
};

const isoDate = boundedDate;
const yearMonth = boundedMonth;
/** Amounts of money are integer fen (分); no fractions, no negatives. */
const fen = z.number().check(z.int('must be whole fen'), z.nonnegative());
const shortText = z.string().check(z.trim(), z.minLength(1), z.maxLength(200), notFormula());
const months = z.number().check(z.int(), z.minimum(1), z.maximum(120));

const period = z.object({ start: yearMonth, months });

/** Characters of the unified social credit code (GB 32100-2015): digits and capitals without I, O, S, V, Z. */
const creditCodeChars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const creditCodeWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The 18th character the first 17 call for (GB 32100 check: weighted sum modulo 31). */
export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += creditCodeChars.indexOf(first17[i] as string) * (creditCodeWeights[i] as number);
  return creditCodeChars[(31 - (sum % 31)) % 31] as string;
}

const creditCode = z.string().check(
  // A code of the wrong shape has no check digit worth reporting: stop at the first problem.
  z.regex(/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/, {
    message: 'must be an 18-character unified social credit code',
    abort: true,
  }),
  z.refine((code) => creditCodeCheckChar(code.slice(0, 17)) === code[17], 'the check digit does not match'),
);

const employer = z.object({ name: shortText, creditCode });
const post = z.object({ title: shortText, startDate: isoDate });

export const proofKinds = ['re-employment-certificate', 'unemployment-registration', 'hard-to-employ'] as const;
export type ProofKind = (typeof proofKinds)[number];

/** What a clerk calls each proof of status: the Chinese reasons name it so, never by its code. */
export const proofKindNamesZh: Record<ProofKind, string> = {
  're-employment-certificate': '再就业优惠证',
  'unemployment-registration': '失业登记证',
  'hard-to-employ': '就业困难人员认定',
};

/**
 * The document kinds the demo city's policies require, by their Chinese names. A city's policy
 * may name other kinds: those read as their code until named here.
 */
export const documentKindNamesZh: Record<string, string> = {
  'labour-contract': '劳动合同',
  'contribution-receipt': '社会保险缴费凭证',
  'business-plan': '创业计划书',
};

export const documentKindNameZh = (kind: string) => documentKindNamesZh[kind] ?? kind;
export const proofKindNameZh = (kind: string) => proofKindNamesZh[kind as ProofKind] ?? kind;
export const businessTypes = ['individual', 'partnership', 'small-enterprise'] as const;
export type BusinessType = (typeof businessTypes)[number];

export const applicantSchema = z
  .object({
    name: z.string().check(z.trim(), z.minLength(1), z.maxLength(50), notFormula()),
    idNumber: z.string().check(
      z.superRefine((value, ctx) => {
        const problem = residentIdProblem(value);
        if (problem) ctx.addIssue({ code: 'custom', message: problem, input: value });
      }),
    ),
    /** Optional; when given, it must be the birth date the resident ID encodes. */
    birthDate: z.optional(isoDate),
    /** Optional; when given, it must be the sex the resident ID encodes. */
    sex: z.optional(z.enum(['female', 'male'])),
    phone: z.string().check(z.regex(/^1\d{10}$/, 'must be an 11-digit mobile number')),
    /** Household registration (户籍), where the city asks for it. */
    household: z.optional(z.object({ kind: z.enum(['urban', 'rural']), registeredIn: shortText })),
    proof: z.object({ kind: z.enum(proofKinds), number: shortText }),
  })
  .check(
    z.superRefine((applicant, ctx) => {
      if (residentIdProblem(applicant.idNumber)) return;
      const encoded = residentIdFacts(applicant.idNumber);
      if (applicant.birthDate !== undefined && applicant.birthDate !== encoded.birthDate) {
        ctx.addIssue({
          code: 'custom',
          message: 'does not match the birth date the resident ID encodes',
          path: ['birthDate'],
          input: applicant.birthDate,
        });
      }
      if (applicant.sex !== undefined && applicant.sex !== encoded.sex) {
        ctx.addIssue({
          code: 'custom',
          message: 'does not match the sex the resident ID encodes',
          path: ['sex'],
          input: applicant.sex,
        });
      }
    }),
  );
export type ApplicantInput = z.infer<typeof applicantSchema>;

/**
 * What is kept of an applicant: the resident ID masked, and apart from the shown fields the birth
 * date and sex it encodes (eligibility needs them; showing them beside the mask would unmask it).
 */
export function keptApplicant(applicant: ApplicantInput): {
  applicant: MaskedApplicant;
  applicantFacts: ResidentIdFacts;
} {
  const { name, idNumber, phone, proof, household } = applicant;
  return {
    applicant: { name, idNumber: maskResidentId(idNumber), phone, proof, ...(household ? { household } : {}) },
    applicantFacts: residentIdFacts(idNumber),
  };
}

/** The most documents one application holds. */
export const maxDocuments = 50;

/** A document's reference in the document store (e.g. `doc-0099`); it identifies one attached document. */
export const documentRefSchema = shortText;

export const documentsSchema = z
  .array(
    z.object({
      kind: z.string().check(z.trim(), z.minLength(1), z.maxLength(64), notFormula()),
      ref: documentRefSchema,
    }),
  )
  .check(z.maxLength(maxDocuments));

export const detailsSchemas = {
  'social-insurance/public-welfare-post': z.object({
    employer,
    post,
    contract: z
      .object({ start: isoDate, end: isoDate })
      .check(z.refine((c) => c.end > c.start, { message: 'the contract must end after it starts', path: ['end'] })),
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
      type: z.enum(businessTypes),
      licenceNo: z.optional(shortText),
    }),
    loanAmount: fen.check(z.minimum(1)),
    termMonths: months,
    bank: shortText,
    jobsCreated: z.number().check(z.int(), z.minimum(0), z.maximum(10_000)),
  }),
} satisfies Record<ProgrammeId, z.core.$ZodType>;
export type ProgrammeDetails = { [P in ProgrammeId]: z.infer<(typeof detailsSchemas)[P]> };

/**
 * The fields of each programme's details a clerk types freely (names, titles, a bank), screened
 * like comments before they are stored. Identifiers (credit codes, registration and licence
 * numbers), dates, amounts and enums are not free text: they are validated, and masking one that
 * happens to look like a card number would corrupt it.
 */
export const detailsFreeText: Record<ProgrammeId, readonly (readonly string[])[]> = {
  'social-insurance/public-welfare-post': [
    ['employer', 'name'],
    ['post', 'title'],
  ],
  'social-insurance/flexible-employment': [],
  'post-subsidy': [
    ['employer', 'name'],
    ['post', 'title'],
  ],
  'microloan-guarantee': [['business', 'name'], ['bank']],
};

/** The details with each free-text field screened (`free-text.ts`); everything else as it was. */
export function screenDetails<D extends Record<string, unknown>>(programme: ProgrammeId, details: D): D {
  const screened = structuredClone(details) as Record<string, unknown>;
  for (const path of detailsFreeText[programme]) {
    const parent = path
      .slice(0, -1)
      .reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], screened);
    const key = path.at(-1) as string;
    if (parent && typeof parent === 'object' && typeof (parent as Record<string, unknown>)[key] === 'string') {
      const holder = parent as Record<string, unknown>;
      holder[key] = screenFreeText(holder[key] as string);
    }
  }
  return screened as D;
}

const communityId = z
  .string()
  .check(
    z.refine(
      (id) => isUnitId(id) && unitLevel(id) === 'community',
      'must be a community id such as community:gexin-01',
    ),
  );

function submissionFor<P extends ProgrammeId>(programme: P) {
  return z.object({
    programme: z.literal(programme),
    communityId,
    applicant: applicantSchema,
    details: detailsSchemas[programme],
    documents: z._default(documentsSchema, []),
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
