/** The OpenAPI document is generated from routes.ts: every route in it, with the schemas its handler validates. */
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../../functions/api/http/openapi.js';
import { apiRoutes } from '../../../functions/api/routes.js';

const document = openApiDocument();
type Operation = {
  operationId: string;
  security: unknown[];
  parameters: { name: string; in: string; required: boolean; schema: Record<string, unknown> }[];
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
};
const operation = (path: string, method: string) =>
  (document.paths[path] as Record<string, Operation> | undefined)?.[method.toLowerCase()];

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 and lists every route of routes.ts, and nothing else', () => {
    expect(document.openapi).toBe('3.1.0');
    const listed = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(listed.sort()).toEqual(apiRoutes.map((route) => `${route.method} ${route.path}`).sort());
    expect(listed).toHaveLength(apiRoutes.length);
    expect(new Set(apiRoutes.map((r) => r.name)).size).toBe(apiRoutes.length);
  });

  it.each(apiRoutes.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s declares each path parameter with its bounds, its security and its body',
    (_, route) => {
      const op = operation(route.path, route.method) as Operation;
      expect(op.operationId).toBe(route.name);
      const inPath = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = op.parameters.filter((p) => p.in === 'path');
      expect(declared.map((p) => p.name)).toEqual(inPath);
      // A path parameter is bounded: a string with a length cap, or an integer with a range.
      for (const p of declared) expect(p.schema.maxLength ?? p.schema.maximum, p.name).toBeDefined();
      expect(op.security.length > 0).toBe(route.authorized);
      // Whatever takes a body says what it is (POST and PUT all do, but the ones addressed by id alone).
      if (route.request.body) expect(op.requestBody?.content['application/json']?.schema).toBeDefined();
    },
  );

  it('describes the intake body from the programmes schema, with its bounds', () => {
    const body = operation('/applications', 'POST')?.requestBody?.content['application/json']?.schema as {
      oneOf: { properties: { details: { properties: { period?: { properties: { start: unknown } } } } } }[];
    };
    expect(body.oneOf).toHaveLength(4);
    const withPeriod = body.oneOf.find((variant) => variant.properties.details.properties.period);
    expect(withPeriod?.properties.details.properties.period?.properties.start).toMatchObject({
      pattern: expect.any(String),
    });
    expect(operation('/applications', 'POST')?.parameters.map((p) => p.name)).toContain('Idempotency-Key');
  });
});
