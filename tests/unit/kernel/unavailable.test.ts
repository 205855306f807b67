/**
 * A table or key service that still fails after the SDK's own retries is not a bug of ours and not
 * the client's mistake: the answer is 503 with Retry-After, so a client (and the console) knows to
 * try again; a real bug stays a 500.
 */
import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { httpHandler } from '../../../functions/kernel/http/http.js';
import { httpEvent, lambdaContext, parsed } from '../../../tools/support/http-events.js';

const failingWith = (error: Error) =>
  httpHandler(async () => {
    throw error;
  });

describe('a failure of a service the request needs', () => {
  it('answers 503 problem+json with Retry-After when the table throttles', async () => {
    const throttled = new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} });
    const answer = await failingWith(throttled)(httpEvent({}), lambdaContext);
    expect(answer.statusCode).toBe(503);
    expect(answer.headers).toMatchObject({
      'content-type': 'application/problem+json; charset=utf-8',
      'retry-after': '2',
    });
    expect(parsed(answer)).toMatchObject({ status: 503, title: 'Service unavailable' });
  });

  it('answers 503 when the connection to it was reset', async () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect((await failingWith(reset)(httpEvent({}), lambdaContext)).statusCode).toBe(503);
  });

  it('keeps a bug a 500', async () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'id')");
    const answer = await failingWith(bug)(httpEvent({}), lambdaContext);
    expect(answer.statusCode).toBe(500);
    expect(answer.headers?.['retry-after']).toBeUndefined();
  });
});
