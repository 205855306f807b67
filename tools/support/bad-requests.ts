/**
 * Generators of bad requests for the property test (tests/e2e/bad-requests.test.ts) and
 * `npm run fuzz`: each request carries at least one defect of its class — a bad token, body, path,
 * query string, cursor or header, or no such route — so the only right answer is a 4xx
 * problem+json. Requests are built against the routes of `routes.ts`, so a new route is fuzzed
 * as soon as it is declared.
 */
import fc from 'fast-check';
import { type ApiRoute, apiRoutes } from '../../functions/api/routes.js';
import { inputBounds } from '../../functions/kernel/domain/bounds.js';
import { contractBody, contractFiles } from './fixtures.js';

export interface BadRequest {
  /** Which defect it carries. */
  defect: 'token' | 'body' | 'path' | 'query' | 'cursor' | 'header' | 'route';
  method: string;
  /** Path and query string, already encoded as they go on the wire. */
  target: string;
  headers: Record<string, string>;
  body?: string;
}

/** Valid tokens of people in the directory, and tokens that must be refused (forged, expired, garbage). */
export interface FuzzTokens {
  valid: string[];
  invalid: string[];
}

const authorizedRoutes = apiRoutes.filter((route) => route.authorized);
const routesWithBody = apiRoutes.filter((route) => route.request.body);
const routesWithPath = apiRoutes.filter((route) => route.path.includes('{'));

/** A harmless-looking id: the right shape, naming nothing. */
const plausibleId = fc.stringMatching(/^[a-z0-9-]{1,24}$/).map((s) => `fz-${s}`);

/** Path parameter values that are wrong in themselves: too long, control characters, malformed escapes. */
const badPathValue = fc.oneof(
  fc.integer({ min: inputBounds.pathParameterChars + 1, max: 3000 }).map((n) => 'x'.repeat(n)),
  fc.constantFrom('%', '%zz', '%e0%a4', '%c3', 'a%2', '%ff%fe', '%uD800'),
  fc.integer({ min: 0, max: 31 }).map((c) => `id%${c.toString(16).padStart(2, '0')}x`),
  fc.constantFrom('%7F', 'a%00b'),
);

const encode = (value: string) => encodeURIComponent(value);

function fillPath(route: ApiRoute, value: (name: string) => string): string {
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) => value(name));
}

/** A path for the route with plausible parameter values (the defect lies elsewhere). */
const plausiblePath = (route: ApiRoute) => plausibleId.map((id) => fillPath(route, () => encode(id)));

const randomQuery = fc
  .dictionary(fc.stringMatching(/^[a-zA-Z]{1,12}$/), fc.string({ maxLength: 40 }), { maxKeys: 4 })
  .map((entries) => new URLSearchParams(entries).toString());

const withQuery = (path: string, query: string) => (query ? `${path}?${query}` : path);

/** JSON bodies that are wrong: not JSON, nested past the bound, too big, or just some JSON value. */
const badJsonBody = fc.oneof(
  { weight: 5, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value) ?? 'null') },
  { weight: 2, arbitrary: fc.string({ maxLength: 200 }).filter((text) => !isJson(text)) },
  {
    weight: 2,
    arbitrary: fc
      .integer({ min: inputBounds.jsonDepth + 1, max: 20_000 })
      .map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: inputBounds.jsonDepth + 1, max: 5_000 })
      .map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
  },
  { weight: 1, arbitrary: fc.constant(`{"padding":"${'x'.repeat(inputBounds.bodyBytes)}"}`) },
);

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** A contract body with one field set to a value that field refuses. */
const badSubmission = fc
  .record({
    file: fc.constantFrom(...contractFiles),
    change: fc.constantFrom<[string[], unknown][]>(
      [['details', 'period', 'start'], '9999-12'],
      [['details', 'period', 'start'], '0000-01'],
      [['details', 'period', 'months'], 1e308],
      [['details', 'period', 'months'], -1],
      [['details', 'post', 'startDate'], '9999-12-31'],
      [['applicant', 'idNumber'], '130105198005120241'],
      [['applicant', 'name'], 'x'.repeat(5000)],
      [['applicant'], null],
      [['communityId'], `community:${'a'.repeat(3000)}`],
      [['communityId'], 'street:gexin'],
      [['programme'], 'no-such-programme'],
      [['documents'], Array.from({ length: 500 }, (_, i) => ({ kind: 'x', ref: `d${i}` }))],
    ),
    extra: fc.option(fc.jsonValue({ maxDepth: 3 }), { nil: undefined }),
  })
  // Only where the field exists: on a programme without it, the field would be unknown, so ignored,
  // and the body a good one.
  .filter(({ file, change: [path] }) => hasParent(contractBody(file), path))
  .map(({ file, change: [path, value], extra }) => {
    const body = contractBody(file);
    let target = body;
    for (const key of path.slice(0, -1)) target = target[key];
    target[path.at(-1) as string] = value;
    // Unknown fields beside the defect change nothing.
    if (extra !== undefined) body.unknownField = extra;
    return JSON.stringify(body);
  });

function hasParent(body: Record<string, any>, path: string[]): boolean {
  let target: unknown = body;
  for (const key of path.slice(0, -1)) {
    if (typeof target !== 'object' || target === null || !(key in target)) return false;
    target = (target as Record<string, unknown>)[key];
  }
  return typeof target === 'object' && target !== null;
}

/** What `npm start` serves of the console: its pages, answered 200 to anyone (they hold no data). */
const consolePages = ['/', '/index.html', '/signed-in', '/config.json', '/favicon.ico'];

const json = { 'content-type': 'application/json' };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export function badRequests(tokens: FuzzTokens): fc.Arbitrary<BadRequest> {
  const validToken = fc.constantFrom(...tokens.valid);

  const badToken = fc
    .record({
      route: fc.constantFrom(...authorizedRoutes),
      token: fc.oneof(
        fc.constantFrom(...tokens.invalid).map((t) => ({ authorization: `Bearer ${t}` })),
        fc.string({ maxLength: 300 }).map((t) => ({ authorization: `Bearer ${t.replace(/[\r\n]/g, '')}` })),
        fc.constantFrom<Record<string, string>>(
          {},
          { authorization: 'Basic YWRtaW46YWRtaW4=' },
          { authorization: 'Bearer' },
        ),
      ),
      query: randomQuery,
    })
    .chain(({ route, token, query }) =>
      plausiblePath(route).map(
        (path): BadRequest => ({
          defect: 'token',
          method: route.method,
          target: withQuery(path, query),
          headers: { ...token, ...json },
          body: route.request.body ? '{}' : undefined,
        }),
      ),
    );

  const badBody = fc
    .record({ route: fc.constantFrom(...routesWithBody), token: validToken })
    .chain(({ route, token }) =>
      fc
        .record({
          path: plausiblePath(route),
          body:
            route.request.body && route.path.startsWith('/applications')
              ? fc.oneof(badJsonBody, badSubmission)
              : badJsonBody,
        })
        .map(
          ({ path, body }): BadRequest => ({
            defect: 'body',
            method: route.method,
            target: path,
            headers: { ...bearer(token), ...json },
            body,
          }),
        ),
    );

  const badPath = fc.record({ route: fc.constantFrom(...routesWithPath), token: validToken, value: badPathValue }).map(
    ({ route, token, value }): BadRequest => ({
      defect: 'path',
      method: route.method,
      // Already (mis)encoded: it goes on the wire as it is.
      target: fillPath(route, () => value),
      headers: { ...bearer(token), ...json },
      body: route.request.body ? '{}' : undefined,
    }),
  );

  const badQuery = fc
    .record({
      route: fc.constantFrom(...apiRoutes),
      token: validToken,
      query: fc.oneof(
        fc
          .integer({ min: inputBounds.queryValueChars + 1, max: 4000 })
          .map((n) => `${['q', 'cursor', 'unit', 'from', 'applicationId'][n % 5]}=${'y'.repeat(n)}`),
        fc
          .integer({ min: inputBounds.queryParameters + 1, max: 60 })
          .map((n) => Array.from({ length: n }, (_, i) => `p${i}=1`).join('&')),
        fc.integer({ min: 0, max: 31 }).map((c) => `unit=a%${c.toString(16).padStart(2, '0')}b`),
      ),
    })
    .chain(({ route, token, query }) =>
      plausiblePath(route).map(
        (path): BadRequest => ({
          defect: 'query',
          method: route.method,
          target: withQuery(path, query),
          headers: { ...bearer(token), ...json },
          body: route.request.body ? '{}' : undefined,
        }),
      ),
    );

  const forgedCursor = fc
    .record({
      token: validToken,
      name: fc.constantFrom('cursor', 'escalatedCursor'),
      cursor: fc.oneof(
        fc.jsonValue({ maxDepth: 3 }).map((value) => Buffer.from(JSON.stringify(value) ?? '').toString('base64url')),
        fc
          .record({ pk: fc.jsonValue({ maxDepth: 1 }), sk: fc.jsonValue({ maxDepth: 1 }), at: fc.string() })
          .map((position) => `${Buffer.from(JSON.stringify(position)).toString('base64url')}.${'A'.repeat(43)}`),
        fc.string({ minLength: 1, maxLength: 200 }),
      ),
    })
    .map(
      ({ token, name, cursor }): BadRequest => ({
        defect: 'cursor',
        method: 'GET',
        target: `/inbox?${new URLSearchParams({ [name]: cursor })}`,
        headers: bearer(token),
      }),
    );

  const badHeader = fc
    .record({
      route: fc.constantFrom(...authorizedRoutes),
      token: validToken,
      header: fc.oneof(
        fc
          .string({ minLength: 1, maxLength: 100 })
          .map((s) => s.replace(/[^\x21-\x7e]/g, 'x'))
          .map((value) => ({ 'x-acting-as': `${value}@nowhere` })),
        fc.integer({ min: inputBounds.headerValueChars + 1, max: 12_000 }).map((n) => ({ 'x-fuzz': 'h'.repeat(n) })),
      ),
    })
    .chain(({ route, token, header }) =>
      plausiblePath(route).map(
        (path): BadRequest => ({
          defect: 'header',
          method: route.method,
          target: path,
          headers: { ...bearer(token), ...json, ...header },
          body: route.request.body ? '{}' : undefined,
        }),
      ),
    );

  const badIdempotencyKey = fc
    .record({
      token: validToken,
      key: fc.oneof(
        fc.string({ minLength: 129, maxLength: 400 }).map((s) => s.replace(/[^\x21-\x7e]/g, 'k')),
        fc.constantFrom('a b', 'é', 'key/with/slash', '<script>'),
      ),
    })
    .map(
      ({ token, key }): BadRequest => ({
        defect: 'header',
        method: 'POST',
        target: '/applications',
        headers: { ...bearer(token), ...json, 'idempotency-key': key },
      }),
    );

  const noSuchRoute = fc
    .record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
      segments: fc.array(fc.stringMatching(/^[a-z0-9._~-]{1,12}$/), { minLength: 1, maxLength: 4 }),
      token: fc.option(validToken, { nil: undefined }),
    })
    .filter(({ method, segments }) => {
      // As the server reads it: `.` and `..` segments resolved.
      const path = new URL(`/${segments.join('/')}`, 'http://localhost').pathname;
      // The console's pages are there to be read (`/.` is `/`).
      if (method === 'GET' && consolePages.includes(path)) return false;
      // Only what matches no route, or a route by another method.
      return !apiRoutes.some(
        (route) => route.method === method && new RegExp(`^${route.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(path),
      );
    })
    .map(
      ({ method, segments, token }): BadRequest => ({
        defect: 'route',
        method,
        target: `/${segments.join('/')}`,
        headers: token ? bearer(token) : {},
      }),
    );

  return fc.oneof(
    { weight: 3, arbitrary: badToken },
    { weight: 5, arbitrary: badBody },
    { weight: 3, arbitrary: badPath },
    { weight: 2, arbitrary: badQuery },
    { weight: 2, arbitrary: forgedCursor },
    { weight: 2, arbitrary: badHeader },
    { weight: 1, arbitrary: badIdempotencyKey },
    { weight: 1, arbitrary: noSuchRoute },
  );
}

export interface Answer {
  status: number;
  contentType: string;
  body: string;
}

/** Sends one request as it is (no normalisation of its target). */
export async function send(apiUrl: string, request: BadRequest): Promise<Answer> {
  const response = await fetch(`${apiUrl}${request.target}`, {
    method: request.method,
    headers: request.headers,
    body: request.body,
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    body: await response.text(),
  };
}

/** The only right answer to a bad request: a 4xx problem+json. */
export function isRefusal(answer: Answer): boolean {
  return (
    answer.status >= 400 &&
    answer.status < 500 &&
    answer.contentType.startsWith('application/problem+json') &&
    isJson(answer.body)
  );
}
