/**
 * GET /openapi.json — the API described in OpenAPI 3.1, generated from `routes.ts`: each route's
 * path, query and body schemas are the zod schemas its handler validates with (turned into JSON
 * Schema 2020-12, the dialect OpenAPI 3.1 uses), so the document cannot drift from what is enforced.
 * Public, like the contract of any API: it holds shapes, never data.
 */

import * as z from 'zod/mini';
import { actingAsHeader } from '../../administration/index.js';
import { inputBounds } from '../../kernel/domain/bounds.js';
import { httpHandler, json } from '../../kernel/http/http.js';
import { type ApiRoute, apiRoutes } from '../routes.js';

type JsonSchema = Record<string, unknown> & { properties?: Record<string, JsonSchema>; required?: string[] };

/** A request schema as JSON Schema: what a client may send (`input`), refinements it cannot express left out. */
function jsonSchemaOf(schema: z.core.$ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function parametersOf(schema: z.core.$ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const { properties = {}, required = [] } = jsonSchemaOf(schema);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.includes(name),
    schema: property,
  }));
}

const problem = {
  description: 'Refused: RFC 9457 problem details, with `errors: [{field, message}]` naming each bad field',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};

function operationOf(route: ApiRoute) {
  const { request } = route;
  const headers = [
    ...(route.authorized
      ? [
          {
            name: actingAsHeader,
            in: 'header',
            required: false,
            description: 'The assignment to act under (`role@unit`), when the person holds several',
            schema: { type: 'string', maxLength: 128 },
          },
        ]
      : []),
    ...(request.idempotencyKey
      ? [
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            description:
              'A repeat within 24 h by the same person and assignment with the same body (any key order) gets the first answer; another body → 422',
            schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$' },
          },
        ]
      : []),
  ];
  const body = request.body && {
    required: true,
    content: {
      'application/json': { schema: jsonSchemaOf(request.body) },
      ...(request.csv ? { 'text/csv': { schema: { type: 'string', maxLength: inputBounds.bodyBytes } } } : {}),
    },
  };
  return {
    operationId: route.name,
    summary: `${route.method} ${route.path}`,
    security: route.authorized ? [{ bearer: [] }] : [],
    parameters: [...parametersOf(request.path, 'path'), ...parametersOf(request.query, 'query'), ...headers],
    ...(body ? { requestBody: body } : {}),
    responses: {
      '2XX': { description: 'Done; the body is JSON (CSV for the .csv and format=csv routes)' },
      '400': problem,
      ...(route.authorized ? { '401': problem, '403': problem } : {}),
      '404': problem,
      '409': problem,
      '413': problem,
      '422': problem,
    },
  };
}

/** The whole document; a pure function of the routes. */
export function openApiDocument(routes: readonly ApiRoute[] = apiRoutes) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, unknown>)[route.method.toLowerCase()] = operationOf(route);
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Employment-subsidy approvals',
      version: '1',
      description: `Every body at most ${inputBounds.bodyBytes} bytes and ${inputBounds.jsonDepth} levels deep; path parameters at most ${inputBounds.pathParameterChars} characters, query values ${inputBounds.queryValueChars}, headers ${inputBounds.headerValueChars}.`,
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            errors: {
              type: 'array',
              items: {
                type: 'object',
                required: ['field', 'message'],
                properties: { field: { type: 'string' }, message: { type: 'string' } },
              },
            },
          },
        },
      },
    },
    paths,
  };
}

let document: string | undefined;

export const handler = httpHandler(async () => {
  document ??= JSON.stringify(openApiDocument());
  return { ...json(200, undefined, { 'cache-control': 'public, max-age=300' }), body: document };
});
