import { afterEach, describe, expect, it } from 'vitest';
import { JavaMissingError, startDynamoDbLocal } from '../../local/dynamodb-local.js';

const path = process.env.PATH;
afterEach(() => {
  process.env.PATH = path;
});

describe('DynamoDB Local launcher', () => {
  it('stops with a message that says how to install Java when java is missing', async () => {
    process.env.PATH = '/nonexistent';
    const failure = await startDynamoDbLocal().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(JavaMissingError);
    expect((failure as Error).message).toMatch(/apt-get install -y openjdk-17-jre-headless/);
  });

  it('gives a second server, started while the first runs, a different free port', async () => {
    const first = await startDynamoDbLocal();
    const second = await startDynamoDbLocal();
    try {
      expect(first.port).not.toBe(second.port);
      expect((await fetch(first.endpoint)).status).toBeLessThan(500);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  }, 180_000);
});
