/** API Gateway payload-2.0 events for handler tests, carrying verified claims as the authorizer would. */
import type { Context } from 'aws-lambda';
import type { ActorResolver } from '../../functions/administration/http/actor-resolver.js';
import { type Actor, actorSchema } from '../../functions/kernel/domain/actor.js';
import { type HttpEvent, HttpProblem } from '../../functions/kernel/http/http.js';

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

/**
 * Handler tests' stand-in for the staff directory: the actor the test put on the event is the
 * one that acts (a 401 without one, a 403 when it is not a valid role and unit). Production
 * resolves role and unit from the directory (`directoryActorResolver`), never from token claims.
 */
export const actorFromTestClaims: ActorResolver = async (event) => {
  const claims = event.requestContext.authorizer?.jwt?.claims;
  if (!claims) throw new HttpProblem(401, 'Not signed in', 'a bearer token is required');
  const parsed = actorSchema.safeParse({ sub: claims.sub, role: claims.role, unit: claims.unit });
  if (!parsed.success) throw new HttpProblem(403, 'Not allowed for this role or unit', 'not a valid role and unit');
  return parsed.data;
};
