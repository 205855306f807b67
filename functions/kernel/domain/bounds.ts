/**
 * The bounds every input is held to, in one place: the HTTP edge (`functions/kernel/http/http.ts`) checks
 * the request's size and shape before any handler reads it, and the schemas build their dates,
 * months and ids from the blocks below. Each bound sits well above what a real request needs and
 * well below what would reach a limit of ours (DynamoDB keys: 2,048 bytes of partition key, 1,024
 * of sort key; the stack of a recursive walk; four-digit years in month arithmetic).
 */
import * as z from 'zod/mini';
import './validation-messages.js';

export const inputBounds = {
  /** A request body, in bytes (the largest: a city's unit tree, `PUT /units`). */
  bodyBytes: 1024 * 1024,
  /** Nesting of objects and arrays in a JSON body (a policy document needs 6). */
  jsonDepth: 32,
  /** One path parameter (ids, a staff member's `sub`, a year). */
  pathParameterChars: 128,
  /** One query-string value (paging cursors are the longest, a few hundred). */
  queryValueChars: 1024,
  /** A part of an applicant's name searched for (names are a few characters; 32 leaves room). */
  nameSearchChars: 32,
  /** Query-string parameters in one request. */
  queryParameters: 20,
  /** One header value (a bearer token is the longest, a few KB). */
  headerValueChars: 8192,
  /** Headers in one request. */
  headers: 64,
  /** The years a business date or month may name. */
  firstYear: 1900,
  lastYear: 2199,
} as const;

const yearInRange = (value: string) => {
  const year = Number(value.slice(0, 4));
  return year >= inputBounds.firstYear && year <= inputBounds.lastYear;
};
const yearMessage = `the year must be ${inputBounds.firstYear} to ${inputBounds.lastYear}`;

/** A calendar date `YYYY-MM-DD` between the first and last year. */
export const boundedDate = z.iso.date().check(z.refine(yearInRange, yearMessage));

/** A month `YYYY-MM` between the first and last year. */
export const boundedMonth = z
  .string()
  .check(
    z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'must be a month such as 2026-04', abort: true }),
    z.refine(yearInRange, yearMessage),
  );

/** The deepest nesting of `[` and `{` in JSON text, counted without parsing it (strings skipped). */
export function jsonNestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: the next character is escaped
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (c === 93 || c === 125) depth--;
  }
  return deepest;
}
