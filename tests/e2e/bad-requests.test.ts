/**
 * The property behind "bad input never breaks it": thousands of generated bad requests (bodies,
 * headers, paths, query strings, cursors, tokens; tools/support/bad-requests.ts) sent through the
 * running local stack's HTTP server to the real handlers, and every one answered 4xx
 * problem+json; and the privacy probes (formula text, another city's ids, an out-of-scope
 * resubmission, the people export by query string) aimed at things made first, each answered as it
 * must be. `npm run fuzz -- --n 100000` runs the same generators longer and writes a report.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../local/dynamodb-local.js';
import { type LocalStack, startLocalStack } from '../../local/runtime.js';
import { type Answer, type BadRequest, badRequests, misjudged, send } from '../../tools/support/bad-requests.js';
import { fuzzTargets } from '../../tools/support/fuzz-targets.js';
import { fuzzTokens } from '../../tools/support/fuzz-tokens.js';
import { testTableName } from '../support/dynamo.js';

/** At least 5,000 per run (issue 15). */
const runs = 5_000;

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({
    dynamoEndpoint: inject('dynamoEndpoint'),
    template: inject('template'),
    tableName: testTableName('bad-requests'),
    stepFunctionsPort: await freePort(),
    residentIdKey: 'b'.repeat(40),
    // Only the probes' few things are written: no deadline to sweep.
    webhookIntervalMs: 60_000,
    deadlineSweepIntervalMs: 0,
  });
});
afterAll(() => stack?.stop());

describe('bad requests', () => {
  it(`answers each of ${runs} generated bad requests with a 4xx problem+json, never a 5xx, and each privacy probe as it must be`, async () => {
    const tokens = await fuzzTokens(stack);
    const targets = await fuzzTargets(stack);
    const seen = new Map<BadRequest['defect'], number>();
    // The last request answered wrong: after shrinking, the smallest counterexample.
    let failed: { request: BadRequest; answer: Answer; wrong: string } | undefined;

    await fc
      .assert(
        fc.asyncProperty(badRequests(tokens, targets), async (request) => {
          const answer = await send(stack.apiUrl, request);
          const wrong = await misjudged(stack.apiUrl, request, answer);
          if (wrong !== undefined) failed = { request, answer, wrong };
          seen.set(request.defect, (seen.get(request.defect) ?? 0) + 1);
          return wrong === undefined;
        }),
        { numRuns: runs, endOnFailure: false },
      )
      .catch((error: unknown) => {
        throw new Error(
          `${String(error)}\nanswered wrong: ${JSON.stringify({ ...failed?.request, body: failed?.request.body?.slice(0, 300) })} → ${failed?.answer.status} ${failed?.answer.body.slice(0, 300)} (${failed?.wrong})`,
        );
      });

    // Every class of defect was tried, many times over.
    for (const defect of ['token', 'body', 'path', 'query', 'cursor', 'header', 'route'] as const)
      expect(seen.get(defect) ?? 0, defect).toBeGreaterThan(100);
    for (const probe of ['formula', 'csv', 'foreign-id', 'scope', 'export-query'] as const)
      expect(seen.get(probe) ?? 0, probe).toBeGreaterThan(100);
  }, 600_000);

  it('serves the OpenAPI document without a token', async () => {
    const response = await fetch(`${stack.apiUrl}/openapi.json`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { openapi: string }).openapi).toBe('3.1.0');
  });
});
