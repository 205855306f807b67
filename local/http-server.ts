/**
 * The HTTP API on one machine: what API Gateway and its JWT authorizer do on AWS. It matches
 * the routes the stack declares, checks the bearer token (with `jose`, against the configured
 * issuer's keys), and hands each handler the same payload-format-2.0 event it would get from API
 * Gateway. The local sign-in (an OIDC provider) is served under `/oidc` of the same server.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Context } from 'aws-lambda';
import type { ApiRoute } from '../functions/api/routes.js';
import type { HttpEvent, HttpHandler } from '../functions/kernel/http/http.js';
import type { ConsoleSite } from './console-site.js';
import type { LocalSignIn } from './sign-in.js';
import type { TokenVerifier } from './verify-token.js';

/** API Gateway refuses larger payloads too (its limit is 10 MB; an application is a few KB). */
const maxBodyBytes = 1024 * 1024;

interface CompiledRoute {
  route: ApiRoute;
  pattern: RegExp;
  parameterNames: string[];
  handler: HttpHandler;
}

function compile(route: ApiRoute, handler: HttpHandler): CompiledRoute {
  const parameterNames: string[] = [];
  const source = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    parameterNames.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}$`), parameterNames, handler };
}

function lambdaContext(functionName: string): Context {
  const deadline = Date.now() + 10_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function problemAnswer(response: ServerResponse, status: number, title: string, detail: string): void {
  const type = `/problems/${title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  response.writeHead(status, { 'content-type': 'application/problem+json; charset=utf-8' });
  response.end(JSON.stringify({ type, title, status, detail }));
}

function unauthorized(response: ServerResponse): void {
  response.writeHead(401, { 'content-type': 'application/problem+json; charset=utf-8', 'www-authenticate': 'Bearer' });
  response.end(
    JSON.stringify({
      type: '/problems/not-signed-in',
      title: 'Not signed in',
      status: 401,
      detail: 'a valid bearer token is required',
    }),
  );
}

/** How the server checks tokens, and the sign-in it serves, once its own URL is known. */
export interface LocalAuth {
  verify: TokenVerifier;
  signIn?: LocalSignIn;
  /** The staff console's own paths (`/`, `/assets/…`, `/config.json`); never an API route's. */
  site?: ConsoleSite;
}

export async function startHttpApi(
  routes: { route: ApiRoute; handler: HttpHandler }[],
  port: number,
  authFor: (apiUrl: string) => Promise<LocalAuth>,
): Promise<{ url: string; close(): Promise<void> }> {
  const compiled = routes.map(({ route, handler }) => compile(route, handler));
  let auth: Promise<LocalAuth> | undefined;

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { verify, signIn, site } = await (auth as Promise<LocalAuth>);
    if (signIn && (await signIn.handle(request, response))) return;
    if (site?.handle(request, response)) return;
    let url: URL;
    try {
      url = new URL(request.url ?? '/', 'http://localhost');
    } catch {
      return problemAnswer(response, 400, 'Malformed request', 'the request target is not a URL path');
    }
    const method = request.method ?? 'GET';
    const candidates = compiled.filter((c) => c.pattern.test(url.pathname));
    // As API Gateway does: a literal segment wins over a path parameter (`/x/export` before `/x/{id}`).
    const match = candidates
      .filter((c) => c.route.method === method)
      .sort((a, b) => a.parameterNames.length - b.parameterNames.length)[0];
    if (!match) {
      const status = candidates.length ? 405 : 404;
      response.writeHead(status, { 'content-type': 'application/problem+json; charset=utf-8' });
      response.end(
        JSON.stringify({
          type: '/problems/no-such-route',
          title: status === 404 ? 'Not found' : 'Method not allowed',
          status,
          detail: `${method} ${url.pathname}`,
        }),
      );
      return;
    }

    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request) {
      size += (chunk as Buffer).length;
      if (size > maxBodyBytes) {
        response.writeHead(413, { 'content-type': 'application/problem+json; charset=utf-8' });
        response.end(
          JSON.stringify({
            type: '/problems/too-large',
            title: 'Payload too large',
            status: 413,
            detail: 'the body may be at most 1 MB',
          }),
        );
        return;
      }
      chunks.push(chunk as Buffer);
    }

    let claims: Record<string, unknown> | undefined;
    if (match.route.authorized) {
      const authorization = request.headers.authorization ?? '';
      claims = authorization.startsWith('Bearer ') ? await verify(authorization.slice(7).trim()) : undefined;
      if (!claims) return unauthorized(response);
    }

    const values = match.pattern.exec(url.pathname)?.slice(1) ?? [];
    // API Gateway answers a path it cannot decode with 400; so does this server, before any handler.
    let decoded: string[];
    try {
      decoded = values.map((value) => decodeURIComponent(value));
    } catch {
      return problemAnswer(response, 400, 'Malformed request', 'the path holds a malformed %-escape');
    }
    const headers = Object.fromEntries(
      Object.entries(request.headers).map(([name, value]) => [
        name.toLowerCase(),
        Array.isArray(value) ? value.join(',') : (value ?? ''),
      ]),
    );
    const body = Buffer.concat(chunks).toString('utf8');
    const routeKey = `${match.route.method} ${match.route.path}`;
    const event = {
      version: '2.0',
      routeKey,
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      headers,
      queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : undefined,
      pathParameters: match.parameterNames.length
        ? Object.fromEntries(match.parameterNames.map((name, i) => [name, decoded[i] ?? '']))
        : undefined,
      body: body.length ? body : undefined,
      isBase64Encoded: false,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        domainName: headers.host ?? 'localhost',
        domainPrefix: 'local',
        http: {
          method,
          path: url.pathname,
          protocol: 'HTTP/1.1',
          sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
          userAgent: headers['user-agent'] ?? '',
        },
        requestId: randomUUID(),
        routeKey,
        stage: '$default',
        time: new Date().toISOString(),
        timeEpoch: Date.now(),
        authorizer: claims
          ? { principalId: String(claims.sub), integrationLatency: 0, jwt: { claims, scopes: [] } }
          : undefined,
      },
    } as unknown as HttpEvent; // Built field by field above; API Gateway's type has no partial form for the public routes.

    const result = await match.handler(event, lambdaContext(match.route.name));
    response.writeHead(result.statusCode ?? 200, (result.headers ?? {}) as Record<string, string>);
    response.end(result.body ?? '');
  }

  const server: Server = createServer((request, response) => {
    serve(request, response).catch((error: unknown) => {
      console.error(JSON.stringify({ level: 'error', message: 'local HTTP API failed', error: String(error) }));
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: 'Internal Server Error' }));
    });
  });
  // Idle keep-alive connections stay open for a minute, as API Gateway's do, not Node's 5 s: a
  // client that pauses (a busy machine, a script between calls) would otherwise reuse a socket
  // the server has just closed and see "other side closed".
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 61_000;
  await new Promise<void>((ready, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', ready);
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the HTTP API has no port');
  const url = `http://127.0.0.1:${address.port}`;
  auth = authFor(url);
  await auth;
  return {
    url,
    close: () =>
      new Promise<void>((closed) => {
        server.close(() => closed());
        server.closeAllConnections();
      }),
  };
}
