/**
 * The HTTP edge shared by every route: body parsing with zod, and one mapping of
 * every refusal to an RFC 9457 problem+json answer. No business rule lives here.
 */
import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import * as z from 'zod/mini';
import { inputBounds, jsonNestingDepth } from '../domain/bounds.js';
import { DomainError, type FieldError } from '../domain/errors.js';
// Field errors carry zod's messages: make sure they are the English ones, whichever schema failed.
import '../domain/validation-messages.js';
import { logger } from '../runtime/logger.js';
import { isTransient } from '../runtime/transient-errors.js';

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResult = APIGatewayProxyStructuredResultV2;
export type HttpHandler = (event: HttpEvent, context: Context) => Promise<HttpResult>;
/** A problem+json answer: its status is always set (the batch reports it per line). */
export type ProblemResult = HttpResult & { statusCode: number };

/** A refusal at the edge itself: no token, a body that is not JSON, a missing header. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly fieldErrors: FieldError[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'HttpProblem';
  }
}

const statusOfDomainError = { invalid: 422, forbidden: 403, 'not-found': 404, conflict: 409 } as const;
const titleOfDomainError = {
  invalid: 'The request breaks a rule',
  forbidden: 'Not allowed for this role or unit',
  'not-found': 'Not found',
  conflict: 'The application has moved on',
} as const;

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

function problem(
  status: number,
  title: string,
  detail: string,
  errors: FieldError[],
  extra: Record<string, unknown> = {},
): ProblemResult {
  const slug = title
    .toLowerCase()
    .replace(/[^a-z]+/g, '-')
    .replace(/^-|-$/g, '');
  const body = { ...extra, type: `/problems/${slug}`, title, status, detail, ...(errors.length ? { errors } : {}) };
  return {
    statusCode: status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8' },
    body: JSON.stringify(body),
  };
}

/** The problem+json answer for a refusal, or undefined for an error that is ours, not the client's. */
export function problemFor(error: unknown): ProblemResult | undefined {
  if (error instanceof HttpProblem)
    return problem(error.status, error.title, error.message, error.fieldErrors, error.extra);
  if (error instanceof DomainError) {
    const fieldErrors = 'fieldErrors' in error ? (error.fieldErrors as FieldError[]) : [];
    const extra = 'details' in error ? (error.details as Record<string, unknown>) : {};
    const title = error.title ?? titleOfDomainError[error.kind];
    return problem(statusOfDomainError[error.kind], title, error.message, fieldErrors, extra);
  }
  return undefined;
}

const problemDetails = (): MiddlewareObj<HttpEvent, HttpResult> => ({
  onError: (request) => {
    const error = request.error;
    const refusal = problemFor(error);
    if (refusal) {
      request.response = refusal;
      return;
    }
    // A table or key service that throttled or failed after the SDK's own retries: not the
    // client's fault nor a bug, and every write is one conditional transaction, so a retry is safe.
    if (isTransient(error)) {
      logger.warn('a service the request needs is unavailable', {
        route: request.event.routeKey,
        error: error?.name,
        requestId: request.context.awsRequestId,
      });
      const unavailable = problem(
        503,
        'Service unavailable',
        'A service this request needs is busy or unavailable. Retry shortly: a creation retried with the same Idempotency-Key is made once, and a change retried with the same expectedVersion is applied once (409 if it already was).',
        [],
      );
      request.response = { ...unavailable, headers: { ...unavailable.headers, 'retry-after': '2' } };
      return;
    }
    // Only the error's name and message: they never carry request bodies or personal data.
    logger.error('unhandled error', {
      route: request.event.routeKey,
      error: error?.name,
      detail: error?.message,
      requestId: request.context.awsRequestId,
    });
    request.response = problem(500, 'Internal error', 'The request could not be completed; it is safe to retry.', []);
  },
});

const malformed = (field: string, message: string, status = 400) =>
  new HttpProblem(status, status === 413 ? 'Payload too large' : 'Malformed request', `${field}: ${message}`, [
    { field, message },
  ]);

/** Control characters have no place in an id or a query value; they only ever arrive from a fuzzer or an attack. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them
const controlCharacter = /[\u0000-\u001f\u007f]/;

/**
 * Refuses a request whose size or shape is outside `inputBounds` before any handler reads it:
 * the body, each path parameter, each query value and header. API Gateway has limits of its own
 * (10 MB, 10 KB of headers); these are ours, the same on one machine.
 */
export function checkRequestBounds(event: HttpEvent): void {
  const headers = Object.entries(event.headers ?? {});
  if (headers.length > inputBounds.headers) throw malformed('(headers)', `at most ${inputBounds.headers} headers`);
  for (const [name, value] of headers)
    if ((value ?? '').length > inputBounds.headerValueChars)
      throw malformed(`header:${name}`, `at most ${inputBounds.headerValueChars} characters`);
  for (const [name, value] of Object.entries(event.pathParameters ?? {})) {
    if ((value ?? '').length > inputBounds.pathParameterChars)
      throw malformed(`path:${name}`, `at most ${inputBounds.pathParameterChars} characters`);
    if (controlCharacter.test(value ?? '')) throw malformed(`path:${name}`, 'control characters are not allowed');
  }
  const query = Object.entries(event.queryStringParameters ?? {});
  if (query.length > inputBounds.queryParameters)
    throw malformed('(query)', `at most ${inputBounds.queryParameters} parameters`);
  for (const [name, value] of query) {
    if (name.length > 64) throw malformed('(query)', 'a parameter name is at most 64 characters');
    if ((value ?? '').length > inputBounds.queryValueChars)
      throw malformed(`query:${name}`, `at most ${inputBounds.queryValueChars} characters`);
    if (controlCharacter.test(value ?? '')) throw malformed(`query:${name}`, 'control characters are not allowed');
  }
  if (event.body) {
    const bytes = event.isBase64Encoded ? Math.floor((event.body.length * 3) / 4) : Buffer.byteLength(event.body);
    if (bytes > inputBounds.bodyBytes) throw malformed('(body)', `at most ${inputBounds.bodyBytes} bytes`, 413);
  }
}

const requestBounds = (): MiddlewareObj<HttpEvent, HttpResult> => ({
  before: (request) => checkRequestBounds(request.event),
});

/** Wraps a route's handler with the shared edge behaviour. */
export function httpHandler(handle: HttpHandler) {
  return middy<HttpEvent, HttpResult>().use(problemDetails()).use(requestBounds()).handler(handle);
}

export function fieldErrorsOf(error: z.core.$ZodError, prefix: (string | number)[] = []): FieldError[] {
  return error.issues.map((issue) => ({
    field: [...prefix, ...issue.path].map(String).join('.') || '(body)',
    message: issue.message,
  }));
}

/** The body as text (CSV uploads), or a 400 when there is none. */
export function textBody(event: HttpEvent): string {
  if (!event.body) throw new HttpProblem(400, 'Malformed request', 'the request needs a body');
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

/** The JSON body, or a 400 when it is not JSON at all. */
export function jsonBody(event: HttpEvent): unknown {
  if (!event.body) throw new HttpProblem(400, 'Malformed request', 'the request needs a JSON body');
  const text = textBody(event);
  // Counted on the text, before parsing: whatever walks the parsed value (zod, a hash of it)
  // recurses, and 10,000 levels would overflow its stack.
  if (jsonNestingDepth(text) > inputBounds.jsonDepth)
    throw malformed('(body)', `JSON may nest at most ${inputBounds.jsonDepth} levels`);
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpProblem(400, 'Malformed request', 'the body is not valid JSON');
  }
}

/** Validates a value against a schema; a mismatch is a 422 naming each field. */
export function validated<S extends z.core.$ZodType>(
  schema: S,
  value: unknown,
  prefix: (string | number)[] = [],
): z.output<S> {
  // The functional form takes any zod 4 schema, zod/mini or classic alike.
  const parsed = z.safeParse(schema, value);
  if (!parsed.success) {
    throw new HttpProblem(
      422,
      'Validation failed',
      'some fields are missing or invalid',
      fieldErrorsOf(parsed.error, prefix),
    );
  }
  return parsed.data;
}

const idempotencyKeyPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request's Idempotency-Key, if it sent one (1 to 128 of A-Z a-z 0-9 . _ : -; otherwise 400). */
export function idempotencyKeyOf(event: HttpEvent): string | undefined {
  const key = event.headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (!idempotencyKeyPattern.test(key)) {
    throw new HttpProblem(400, 'Malformed request', 'Idempotency-Key must be 1 to 128 letters, digits or . _ : -', [
      { field: 'Idempotency-Key', message: 'invalid format' },
    ]);
  }
  return key;
}

export function pathParameter(event: HttpEvent, name: string): string {
  const value = event.pathParameters?.[name];
  if (!value) throw new HttpProblem(400, 'Malformed request', `the path needs ${name}`);
  return value;
}
