/** What the auditors' routes take: the read audit's query and the personal-data export's. */
import * as z from 'zod/mini';
import { residentIdProblem } from '../../kernel/domain/resident-id.js';

/** How far back a query reaches without `from`, and the widest window one query may ask for. */
export const defaultReadAuditWindowDays = 30;
export const maxReadAuditWindowDays = 366;
export const maxReadAuditPage = 100;

const instant = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

/** GET /audit/reads: exactly one of `applicationId`, `ledgerEntryId` and `sub`; `from`/`to` ISO dates or times; paged. */
export const readAuditQuerySchema = z
  .object({
    applicationId: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
    ledgerEntryId: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
    sub: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
    from: z.optional(instant),
    to: z.optional(instant),
    limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(maxReadAuditPage))),
    cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
  })
  .check(
    z.refine(
      (query) => [query.applicationId, query.ledgerEntryId, query.sub].filter((v) => v !== undefined).length === 1,
      {
        message: 'give exactly one of applicationId, ledgerEntryId and sub',
        path: ['applicationId'],
      },
    ),
  );

/**
 * POST /people/export: the person's resident ID number, checked (check digit) before anything is
 * looked up. In the body, never the query string: a URL is kept by access logs and browser history.
 */
export const peopleExportBodySchema = z.object({
  idNumber: z.string().check(
    z.refine((value) => residentIdProblem(value.toUpperCase()) === undefined, {
      message: 'not a resident ID number (18 characters with a valid check digit)',
    }),
  ),
});
