/** API Gateway payload-2.0 events for handler tests, carrying verified claims as the authorizer would. */
import type { Context } from 'aws-lambda';
import type { HttpEvent } from '../../functions/api/http.js';
import type { Actor } from '../../functions/domain/actor.js';

export function httpEvent(options: {
  actor?: Actor;
  body?: unknown;
  rawBody?: string;
  pathParameters?: Record<string, string>;
  headers?: Record<string, string>;
  queryStringParameters?: Record<string, string>;
}): HttpEvent {
  return {
    version: '2.0',
    routeKey: 'TEST',
    rawPath: '/',
    rawQueryString: '',
    headers: options.headers ?? {},
    pathParameters: options.pathParameters,
    queryStringParameters: options.queryStringParameters,
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    isBase64Encoded: false,
    requestContext: {
      authorizer: options.actor
        ? { principalId: options.actor.sub, integrationLatency: 0, jwt: { claims: { ...options.actor }, scopes: [] } }
        : undefined,
    },
  } as unknown as HttpEvent; // Only the fields the handlers read; the full type has dozens more.
}

export const lambdaContext = {
  awsRequestId: 'test-request',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

export function parsed(result: { body?: string }) {
  return JSON.parse(result.body ?? 'null');
}
