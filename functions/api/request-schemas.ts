/**
 * What each route takes: its path parameters, query string and body, as zod schemas. The handlers
 * validate with these, and `routes.ts` names them for each route, so the OpenAPI document
 * (`GET /openapi.json`, `openapi.ts`) is generated from the very schemas the handlers enforce.
 * Bodies that are domain concepts (a submission, a decision, a policy) live in `domain/`; the
 * request shapes that are the API's own live here.
 */
import * as z from 'zod/mini';
import { staffSubSchema } from '../administration/domain/staff.js';
import { applicationStatuses, expectedVersion } from '../applications/domain/lifecycle.js';
import { ledgerStatuses } from '../employment/domain/employment-ledger.js';
import { yearSchema } from '../employment/domain/full-employment.js';
import { inputBounds } from '../kernel/domain/bounds.js';
import {
  applicantSchema,
  documentRefSchema,
  documentsSchema,
  maxDocuments,
  programmeIds,
} from '../kernel/domain/programmes.js';
import { residentIdProblem } from '../kernel/domain/resident-id.js';
import { webhookEventTypeSchema } from '../webhooks/domain/webhook-events.js';

/** Most applications one batch may decide. */
export const batchLimit = 50;

/** An id in a path: an application, a webhook endpoint, a delivery. */
export const idPathSchema = z.object({ id: z.string().check(z.minLength(1), z.maxLength(128)) });
export const staffPathSchema = z.object({ sub: staffSubSchema });

export const batchSchema = z.object({
  decisions: z
    .array(
      z.object({
        applicationId: z.string().check(z.minLength(1), z.maxLength(100)),
        expectedVersion,
        comment: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(2000))),
      }),
    )
    .check(
      z.minLength(1),
      z.maxLength(batchLimit),
      z.refine(
        (items) => new Set(items.map((i) => i.applicationId)).size === items.length,
        'each application may appear once',
      ),
    ),
});

export const registrationSchema = z.object({
  url: z.string().check(z.trim(), z.minLength(1), z.maxLength(2048)),
  events: z.array(webhookEventTypeSchema).check(z.minLength(1), z.maxLength(20)),
  applicationId: z.string().check(z.trim(), z.minLength(1), z.maxLength(128)),
});

export const unitsQuerySchema = z.object({
  version: z.optional(z.coerce.number().check(z.int(), z.minimum(1))),
  format: z.optional(z.enum(['json', 'csv'])),
});

export const policyDiffQuerySchema = z.object({
  from: z.string().check(z.minLength(1), z.maxLength(128)),
  to: z.string().check(z.minLength(1), z.maxLength(128)),
});

export const resubmissionSchema = z.object({
  expectedVersion,
  applicant: z.optional(applicantSchema),
  details: z.optional(z.record(z.string(), z.unknown())),
  /** Replaces the whole list. */
  documents: z.optional(documentsSchema),
  /** Appended to the attached documents. */
  addDocuments: z.optional(documentsSchema),
  /** Refs of attached documents to take off (before `addDocuments` is appended). */
  removeDocuments: z.optional(z.array(documentRefSchema).check(z.maxLength(maxDocuments))),
  comment: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(2000))),
});

export const calendarYearSchema = z.coerce.number().check(z.int(), z.minimum(2000), z.maximum(2100));

export const inboxQuerySchema = z.object({
  programme: z.optional(z.enum(programmeIds)),
  communityId: z.optional(z.string().check(z.startsWith('community:'))),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(200)), 50),
  cursor: z.optional(z.string().check(z.maxLength(2000))),
  escalatedCursor: z.optional(z.string().check(z.maxLength(2000))),
});

/** `GET /applications`: a community's applications, newest first; `communityId` the caller's own when absent. */
export const applicationListQuerySchema = z.object({
  communityId: z.optional(z.string().check(z.startsWith('community:'), z.maxLength(inputBounds.pathParameterChars))),
  status: z.optional(z.enum(applicationStatuses)),
  programme: z.optional(z.enum(programmeIds)),
  q: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(inputBounds.nameSearchChars))),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 20),
  cursor: z.optional(z.string().check(z.maxLength(2000))),
});

export const calendarPathSchema = z.object({ year: calendarYearSchema });

/** `GET /staff?unit=`: the city itself when absent. */
export const staffQuerySchema = z.object({ unit: z.optional(z.string().check(z.minLength(1), z.maxLength(69))) });

/** `GET /policies?version=`: one version with its document, or the list. */
export const policiesQuerySchema = z.object({ version: z.optional(z.string().check(z.minLength(1), z.maxLength(64))) });

/** `GET /webhook-endpoints?applicationId=`. */
export const webhookEndpointsQuerySchema = z.object({
  applicationId: z.string().check(z.minLength(1), z.maxLength(128)),
});

/** How far back a query reaches without `from`, and the widest window one query may ask for. */
export const defaultReadAuditWindowDays = 30;
export const maxReadAuditWindowDays = 366;
export const maxReadAuditPage = 100;

const instant = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

/** GET /audit/reads: exactly one of `applicationId` and `sub`; `from`/`to` ISO dates or times; paged. */
export const readAuditQuerySchema = z
  .object({
    applicationId: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
    sub: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
    from: z.optional(instant),
    to: z.optional(instant),
    limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(maxReadAuditPage))),
    cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
  })
  .check(
    z.refine((query) => (query.applicationId === undefined) !== (query.sub === undefined), {
      message: 'give exactly one of applicationId and sub',
      path: ['applicationId'],
    }),
  );

/** GET /people/export: the person's resident ID number, checked (check digit) before anything is looked up. */
export const peopleExportQuerySchema = z.object({
  idNumber: z.string().check(
    z.refine((value) => residentIdProblem(value.toUpperCase()) === undefined, {
      message: 'not a resident ID number (18 characters with a valid check digit)',
    }),
  ),
});

/** GET /ledger/entries: one community's entries (the caller's own by default), by status or family state. */
export const ledgerListQuerySchema = z.object({
  community: z.optional(z.string().check(z.startsWith('community:'), z.maxLength(74))),
  status: z.optional(z.enum(ledgerStatuses)),
  zeroEmployment: z.optional(z.enum(['open', 'resolved'])),
});

/** A year in a path: the annual evaluation and the published list. */
export const yearPathSchema = z.object({ year: yearSchema });
