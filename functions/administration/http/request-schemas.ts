/** What the administration routes take beyond their domain bodies: paths and queries of staff, units, policies and calendars. */
import * as z from 'zod/mini';
import { staffSubSchema } from '../domain/staff.js';

export const unitsQuerySchema = z.object({
  version: z.optional(z.coerce.number().check(z.int(), z.minimum(1))),
  format: z.optional(z.enum(['json', 'csv'])),
});

export const policyDiffQuerySchema = z.object({
  from: z.string().check(z.minLength(1), z.maxLength(128)),
  to: z.string().check(z.minLength(1), z.maxLength(128)),
});

export const calendarYearSchema = z.coerce.number().check(z.int(), z.minimum(2000), z.maximum(2100));

export const calendarPathSchema = z.object({ year: calendarYearSchema });

/** `GET /staff?unit=`: the city itself when absent. */
export const staffQuerySchema = z.object({ unit: z.optional(z.string().check(z.minLength(1), z.maxLength(69))) });

/** `GET /policies?version=`: one version with its document, or the list. */
export const policiesQuerySchema = z.object({ version: z.optional(z.string().check(z.minLength(1), z.maxLength(64))) });

export const staffPathSchema = z.object({ sub: staffSubSchema });
