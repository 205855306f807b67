/**
 * Generators of bad requests for the property test (tests/e2e/bad-requests.test.ts) and
 * `npm run fuzz`: each request carries at least one defect of its class — a bad token, body, path,
 * query string, cursor or header, or no such route — so the only right answer is a 4xx
 * problem+json. Requests are built against the routes of `routes.ts`, so a new route is fuzzed
 * as soon as it is declared. Given things to aim at (`fuzzTargets`), it adds the privacy probes of
 * issue 26, each with the one answer it must get (`expect`): formula text refused naming its field,
 * or neutralised in the CSV; another city's ids answered as ids that do not exist; an out-of-scope
 * resubmission refused before its body is judged; the people export never answering by query string.
 */
import fc from 'fast-check';
import { type ApiRoute, apiRoutes } from '../../functions/api/routes.js';
import { inputBounds } from '../../functions/kernel/domain/bounds.js';
import { asPerson, contractBody, contractFiles } from './fixtures.js';
import { type FuzzTargets, fuzzlandUnits } from './fuzz-targets.js';

export interface BadRequest {
  /** Which defect it carries. */
  defect:
    | 'token'
    | 'body'
    | 'path'
    | 'query'
    | 'cursor'
    | 'header'
    | 'route'
    | 'formula'
    | 'csv'
    | 'foreign-id'
    | 'scope'
    | 'export-query';
  method: string;
  /** Path and query string, already encoded as they go on the wire. */
  target: string;
  headers: Record<string, string>;
  body?: string;
  /** The answer it must get, when more is known than "a 4xx problem+json". */
  expect?: Expectation;
}

export interface Expectation {
  /** The statuses allowed. */
  status: number[];
  /** A 422 names this field among its errors (the field's path ends so). */
  field?: string;
  /** Text that must appear nowhere in the answer. */
  absent?: string[];
  /** The same request aimed at an id that does not exist, to be answered alike (ids aside). */
  twin?: { target: string; id: string; twinId: string };
  /** A CSV (GET, same headers) read after the answer, in which no cell may start a formula. */
  csv?: string;
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

export function badRequests(tokens: FuzzTokens, targets?: FuzzTargets): fc.Arbitrary<BadRequest> {
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
    ...(targets ? privacyProbes(targets) : []),
  );
}

/** Text whose first non-blank character is `=`: refused where it is taken in (`notFormula`). */
const formulaText = fc
  .record({
    blank: fc.constantFrom('', ' ', '\t', ' \t '),
    rest: fc.constantFrom('HYPERLINK("http://x","y")', 'SUM(1+1)', '1+1', "cmd|' /C calc'!A0", '东区', ''),
  })
  .map(({ blank, rest }) => `${blank}=${rest}`);

/** Text a spreadsheet would also run (`+ - @`, tab, CR first), taken in but neutralised in every CSV. */
const otherTriggerText = fc
  .record({
    trigger: fc.constantFrom('+', '-', '@', '\t', '\r', ' -', '\t@'),
    rest: fc.constantFrom('SUM(1+1)', 'HYPERLINK("http://x")', '1', '东区', "cmd|' /C calc'!A0"),
  })
  .map(({ trigger, rest }) => `${trigger}${rest}`);

const today = () => new Date().toISOString().slice(0, 10);

/**
 * `id` with the hex digits of its last part (a UUID's node) swapped for others: the same shape, a
 * valid UUID still (its version and variant digits kept), naming nothing.
 */
const twinOf = (id: string, seed: number) => {
  const cut = id.lastIndexOf('-') + 1;
  const hex = '0123456789abcdef';
  const tail = [...id.slice(cut)]
    .map((c, i) => (hex.includes(c) ? hex[(hex.indexOf(c) + 1 + ((seed + i) % 15)) % 16] : c))
    .join('');
  return `${id.slice(0, cut)}${tail}`;
};

function privacyProbes(targets: FuzzTargets): { weight: number; arbitrary: fc.Arbitrary<BadRequest> }[] {
  const { foreign } = targets;
  const bodyOf = (token: string, method: string, target: string, body: unknown, expect: Expectation): BadRequest => ({
    defect: 'formula',
    method,
    target,
    headers: { ...bearer(token), ...json },
    body: JSON.stringify(body),
    expect,
  });

  // `=` first in a unit's, a staff member's, an applicant's, a ledger person's or a household's
  // name, an evidence's kind or reference, or a comment: 422 naming that field, nothing stored.
  const formula = fc
    .record({ text: formulaText, n: fc.integer({ min: 0, max: 999 }), where: fc.integer({ min: 0, max: 7 }) })
    .map(({ text, n, where }): BadRequest => {
      const refused = (field: string) => ({ status: [422], field });
      const idNumber = asPerson(contractBody('microloan-guarantee'), 9400 + n).applicant.idNumber;
      switch (where) {
        case 0:
          return bodyOf(
            targets.fuzzlandAdmin,
            'PUT',
            '/units',
            { units: fuzzlandUnits.map((u, i) => (i === n % fuzzlandUnits.length ? { ...u, name: text } : u)) },
            refused('name'),
          );
        case 1:
          return bodyOf(
            targets.fuzzlandAdmin,
            'PUT',
            '/staff/fz-staff',
            { name: text, assignments: [{ role: 'community-staff', unit: 'community:fz-01', from: '2026-01-01' }] },
            refused('name'),
          );
        case 2: {
          const body = asPerson(contractBody('post-subsidy'), 9500 + n);
          return bodyOf(
            targets.owner,
            'POST',
            '/applications',
            { ...body, applicant: { ...body.applicant, name: text } },
            refused('applicant.name'),
          );
        }
        case 3:
          return bodyOf(
            targets.owner,
            'POST',
            '/ledger/entries',
            { idNumber, name: text, registeredOn: today(), household: { new: {} } },
            refused('name'),
          );
        case 4:
          return bodyOf(
            targets.owner,
            'POST',
            '/ledger/entries',
            { idNumber, name: '宋某', registeredOn: today(), household: { new: { label: text } } },
            refused('label'),
          );
        case 5:
          return bodyOf(
            targets.owner,
            'POST',
            `/ledger/entries/${foreign.ledgerEntryId}/changes`,
            { on: today(), status: 'left-labour-force', evidence: { kind: text } },
            refused('evidence.kind'),
          );
        case 6:
          return bodyOf(
            targets.owner,
            'POST',
            `/ledger/entries/${foreign.ledgerEntryId}/changes`,
            { on: today(), status: 'left-labour-force', evidence: { kind: 'statement', reference: text } },
            refused('evidence.reference'),
          );
        default:
          return bodyOf(
            targets.owner,
            'POST',
            `/applications/${foreign.applicationId}/withdraw`,
            { expectedVersion: foreign.applicationVersion, comment: text },
            refused('comment'),
          );
      }
    });

  // `+ - @`, tab or CR first in a unit's name: taken in (trimmed), and no cell of the unit tree's
  // CSV starts a formula (prefixed with ' by the writer). Concurrent renames may meet (409).
  const csv = fc.record({ text: otherTriggerText, which: fc.integer({ min: 0, max: fuzzlandUnits.length - 1 }) }).map(
    ({ text, which }): BadRequest => ({
      defect: 'csv',
      method: 'PUT',
      target: '/units',
      headers: { ...bearer(targets.fuzzlandAdmin), ...json },
      body: JSON.stringify({ units: fuzzlandUnits.map((u, i) => (i === which ? { ...u, name: text } : u)) }),
      expect: { status: [200, 409], csv: '/units?format=csv' },
    }),
  );

  // Another city's application, ledger entry or webhook endpoint, by any route that names it, with
  // a body that would do: answered exactly as the same request for an id that does not exist (404;
  // or 403 to both when the caller's role may not use the route at all), nothing of the city named.
  const v = foreign.applicationVersion;
  const aimed: [string, string, string, unknown][] = [
    ['GET', '/applications/{id}', foreign.applicationId, undefined],
    ['POST', '/applications/{id}/decisions', foreign.applicationId, { decision: 'approve', expectedVersion: v }],
    ['POST', '/applications/{id}/resubmit', foreign.applicationId, { expectedVersion: v }],
    ['POST', '/applications/{id}/withdraw', foreign.applicationId, { expectedVersion: v }],
    ['GET', '/ledger/entries/{id}', foreign.ledgerEntryId, undefined],
    [
      'POST',
      '/ledger/entries/{id}/changes',
      foreign.ledgerEntryId,
      { on: today(), status: 'left-labour-force', evidence: { kind: 'statement' } },
    ],
    ['GET', '/webhook-endpoints/{id}/deliveries', foreign.webhookEndpointId, undefined],
    ['POST', '/webhook-endpoints/{id}/pause', foreign.webhookEndpointId, undefined],
    ['POST', '/webhook-endpoints/{id}/resume', foreign.webhookEndpointId, undefined],
    ['POST', '/webhook-endpoints/{id}/rotate-secret', foreign.webhookEndpointId, undefined],
    ['DELETE', '/webhook-endpoints/{id}', foreign.webhookEndpointId, undefined],
  ];
  const foreignId = fc
    .record({
      aim: fc.constantFrom(...aimed),
      token: fc.constantFrom(...targets.foreignCallers),
      seed: fc.integer({ min: 0, max: 1_000_000 }),
    })
    .map(({ aim: [method, path, id, body], token, seed }): BadRequest => {
      const twinId = twinOf(id, seed);
      return {
        defect: 'foreign-id',
        method,
        target: path.replace('{id}', id),
        headers: { ...bearer(token), ...(body === undefined ? {} : json) },
        body: body === undefined ? undefined : JSON.stringify(body),
        expect: {
          status: [403, 404],
          absent: ['石家庄', '革新', 'gexin'],
          twin: { target: path.replace('{id}', twinId), id, twinId },
        },
      };
    });

  // A resubmission from outside the application's scope (another community of its city, or another
  // city), with details its programme refuses or a stale version: 404 as for an unknown id, before
  // the body is judged against the programme (no field of the details named, no current version).
  const scope = fc
    .record({
      token: fc.constantFrom(targets.outOfScope, ...targets.foreignCallers),
      body: fc.oneof(
        fc.constant({ expectedVersion: v, details: { unexpected: true } }),
        fc
          .constantFrom(...contractFiles)
          .map((file) => ({ expectedVersion: v, details: contractBody(file).details as unknown })),
        fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), fc.jsonValue({ maxDepth: 2 })).map((details) => ({
          expectedVersion: v,
          details,
        })),
        fc.integer({ min: 1, max: 50 }).map((k) => ({ expectedVersion: v + k })),
      ),
      seed: fc.integer({ min: 0, max: 1_000_000 }),
    })
    .map(({ token, body, seed }): BadRequest => {
      const twinId = twinOf(foreign.applicationId, seed);
      return {
        defect: 'scope',
        method: 'POST',
        target: `/applications/${foreign.applicationId}/resubmit`,
        headers: { ...bearer(token), ...json },
        body: JSON.stringify(body),
        expect: {
          status: [404],
          absent: ['details.', 'currentVersion'],
          twin: { target: `/applications/${twinId}/resubmit`, id: foreign.applicationId, twinId },
        },
      };
    });

  // The resident ID in a query string (GET, or POST beside an empty body): refused, and nothing of
  // the person (name, number) in the answer.
  const { exportee } = targets;
  const exportQuery = fc
    .record({
      method: fc.constantFrom('GET', 'POST'),
      name: fc.constantFrom('idNumber', 'id', 'residentId'),
    })
    .map(
      ({ method, name }): BadRequest => ({
        defect: 'export-query',
        method,
        target: `/people/export?${new URLSearchParams({ [name]: exportee.idNumber })}`,
        headers: { ...bearer(exportee.admin), ...(method === 'POST' ? json : {}) },
        body: method === 'POST' ? '{}' : undefined,
        expect: {
          status: [400, 404, 405, 422],
          absent: [exportee.name, exportee.idNumber, exportee.idNumber.slice(-8)],
        },
      }),
    );

  return [
    { weight: 1, arbitrary: formula },
    { weight: 1, arbitrary: csv },
    { weight: 1, arbitrary: foreignId },
    { weight: 1, arbitrary: scope },
    { weight: 1, arbitrary: exportQuery },
  ];
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

/**
 * Why the answer is wrong for the request, or undefined when it is right: a 4xx problem+json, and
 * for a probe with an expectation, everything it expects (which may take another request or two).
 */
export async function misjudged(apiUrl: string, request: BadRequest, answer: Answer): Promise<string | undefined> {
  const expect = request.expect;
  if (!expect) return isRefusal(answer) ? undefined : 'not a 4xx problem+json';
  if (!expect.status.includes(answer.status)) return `status ${answer.status}, not ${expect.status.join(' or ')}`;
  if (answer.status >= 400 && !isRefusal(answer)) return 'a refusal that is not problem+json';
  if (expect.field) {
    const errors = (JSON.parse(answer.body) as { errors?: { field?: string }[] }).errors ?? [];
    const field = expect.field;
    if (!errors.some((e) => e.field === field || e.field?.endsWith(`.${field}`)))
      return `no error names ${field}: ${answer.body.slice(0, 300)}`;
  }
  const present = expect.absent?.find((text) => answer.body.includes(text));
  if (present) return `the answer holds ${JSON.stringify(present)}`;
  if (expect.twin) {
    const twin = await send(apiUrl, { ...request, target: expect.twin.target, expect: undefined });
    const alike = (a: Answer, id: string) => `${a.status} ${a.contentType} ${a.body.split(id).join('{id}')}`;
    if (alike(twin, expect.twin.twinId) !== alike(answer, expect.twin.id))
      return `answered otherwise than for an id that does not exist: ${twin.status} ${twin.body.slice(0, 200)}`;
  }
  if (expect.csv) {
    const read = await send(apiUrl, { ...request, method: 'GET', target: expect.csv, body: undefined });
    if (read.status !== 200) return `the CSV: ${read.status}`;
    const running = csvCells(read.body).find((cell) => /^[=+\-@\t\r]/.test(cell));
    if (running !== undefined) return `a CSV cell a spreadsheet would run: ${JSON.stringify(running)}`;
  }
  return undefined;
}

/** The cells of an RFC 4180 CSV, unquoted (a leading BOM dropped). */
function csvCells(text: string): string[] {
  const cells: string[] = [];
  const body = text.replace(/^\uFEFF/, '');
  const cell = /("(?:[^"]|"")*"|[^,\r\n]*)(,|\r\n|\n|$)/g;
  for (let match = cell.exec(body); match && match[0] !== ''; match = cell.exec(body)) {
    const raw = match[1] as string;
    cells.push(raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw);
  }
  return cells;
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
