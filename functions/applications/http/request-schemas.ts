/** What the application routes take beyond their domain bodies: a batch of decisions, a resubmission, the inbox's and the list's queries. */
import * as z from 'zod/mini';
import { applicationStatuses } from '../../kernel/domain/application-events.js';
import { boundedMonth, inputBounds } from '../../kernel/domain/bounds.js';
import {
  applicantSchema,
  documentRefSchema,
  documentsSchema,
  maxDocuments,
  programmeIds,
} from '../../kernel/domain/programmes.js';
import { expectedVersion } from '../domain/lifecycle.js';

/** Most applications one batch may decide. */
export const batchLimit = 50;

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

/** A notice of the inbox, by its id (`store/notices.ts`: a time, an application id and a sequence number). */
export const noticePathSchema = z.object({
  id: z.string().check(z.minLength(1), z.maxLength(200), z.regex(/^[A-Za-z0-9:._-]+$/)),
});

/** The monthly re-check of a month (`YYYY-MM`): asked for in the body, read by the path. */
export const recheckRunBodySchema = z.object({ month: boundedMonth });
export const recheckRunPathSchema = z.object({ month: boundedMonth.check(z.maxLength(7)) });
