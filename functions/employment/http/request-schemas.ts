/** What the ledger and evaluation routes take beyond their domain bodies. */
import * as z from 'zod/mini';
import { ledgerStatuses } from '../domain/employment-ledger.js';
import { yearSchema } from '../domain/full-employment.js';

/** GET /ledger/entries: one community's entries (the caller's own by default), by status or family state. */
export const ledgerListQuerySchema = z.object({
  community: z.optional(z.string().check(z.startsWith('community:'), z.maxLength(74))),
  status: z.optional(z.enum(ledgerStatuses)),
  zeroEmployment: z.optional(z.enum(['open', 'resolved'])),
});

/** A year in a path: the annual evaluation and the published list. */
export const yearPathSchema = z.object({ year: yearSchema });
