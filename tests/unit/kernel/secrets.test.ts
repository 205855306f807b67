/**
 * Secrets come from Secrets Manager by the ARN the environment names, read once and cached; the
 * environment never holds the value. Against the loopback Secrets Manager `npm start` uses.
 */
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvironmentError } from '../../../functions/kernel/runtime/environment.js';
import { secretValue } from '../../../functions/kernel/runtime/secrets.js';
import { type LocalSecretsManager, startLocalSecretsManager } from '../../../local/secrets-manager.js';

let secrets: LocalSecretsManager;
let requests = 0;
let counter: ReturnType<typeof createServer>;
const saved = { ...process.env };

beforeAll(async () => {
  secrets = await startLocalSecretsManager({ 'resident-id-key': 'r'.repeat(40), 'short-key': 'too short' });
  // A counting proxy in front of it: how often the function really asks.
  counter = createServer((request, response) => {
    requests++;
    const chunks: Buffer[] = [];
    request
      .on('data', (c: Buffer) => chunks.push(c))
      .on('end', async () => {
        const answer = await fetch(secrets.endpoint, {
          method: 'POST',
          headers: { 'x-amz-target': String(request.headers['x-amz-target']) },
          body: Buffer.concat(chunks),
        });
        response.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(await answer.text());
      });
  });
  await new Promise<void>((ready) => counter.listen(0, '127.0.0.1', ready));
  const address = counter.address() as { port: number };
  process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = `http://127.0.0.1:${address.port}`;
});
afterAll(async () => {
  process.env = { ...saved };
  await secrets.close();
  await new Promise<void>((done) => counter.close(() => done()));
});

describe('a secret', () => {
  it('is read by the ARN the environment names, once, then from the cache', async () => {
    process.env.RESIDENT_ID_KEY_SECRET_ARN = secrets.arns['resident-id-key'];
    expect(await secretValue('residentIdKey')).toBe('r'.repeat(40));
    expect(await secretValue('residentIdKey')).toBe('r'.repeat(40));
    expect(requests).toBe(1);
  });

  it('fails naming the variable when the function holds no ARN for it', async () => {
    delete process.env.WEBHOOK_SECRET_KEY_SECRET_ARN;
    await expect(secretValue('webhookSecretKey')).rejects.toBeInstanceOf(EnvironmentError);
    await expect(secretValue('webhookSecretKey')).rejects.toThrow(/WEBHOOK_SECRET_KEY_SECRET_ARN/);
  });

  it('refuses a value too short to be a key, and a secret that does not exist', async () => {
    process.env.WEBHOOK_SECRET_KEY_SECRET_ARN = secrets.arns['short-key'];
    await expect(secretValue('webhookSecretKey')).rejects.toThrow(/at least 32 characters/);
    process.env.WEBHOOK_SECRET_KEY_SECRET_ARN = 'arn:aws:secretsmanager:local:000000000000:secret:nothing';
    await expect(secretValue('webhookSecretKey')).rejects.toThrow();
  });
});
