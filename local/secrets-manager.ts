/**
 * Secrets Manager on one machine: a loopback endpoint answering GetSecretValue for the product's
 * secrets (kept in the data directory by `local/runtime.ts`). Handlers reach it through
 * AWS_ENDPOINT_URL_SECRETS_MANAGER with the unchanged Powertools provider and SDK client, exactly
 * as they reach Secrets Manager on AWS: their environment names the secret's ARN, never its value.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface LocalSecretsManager {
  endpoint: string;
  /** The ARN each secret is served under, by name. */
  arns: Record<string, string>;
  close(): Promise<void>;
}

export const localSecretArn = (name: string) => `arn:aws:secretsmanager:local:000000000000:secret:${name}`;

async function bodyOf(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
}

/** Serves `secrets` (name → value) on a free loopback port, each under `localSecretArn(name)` (or its bare name). */
export async function startLocalSecretsManager(secrets: Record<string, string>): Promise<LocalSecretsManager> {
  const byId = new Map<string, { name: string; value: string }>();
  for (const [name, value] of Object.entries(secrets)) {
    byId.set(name, { name, value });
    byId.set(localSecretArn(name), { name, value });
  }
  const server: Server = createServer((request, response) => {
    const answer = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify(body));
    };
    bodyOf(request)
      .then((body) => {
        if (request.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue')
          return answer(400, {
            __type: 'UnsupportedOperationException',
            message: 'the local Secrets Manager answers GetSecretValue only',
          });
        const secret = byId.get(String(body.SecretId));
        if (!secret)
          return answer(400, {
            __type: 'ResourceNotFoundException',
            message: `Secrets Manager can't find the specified secret ${String(body.SecretId)}`,
          });
        return answer(200, {
          ARN: localSecretArn(secret.name),
          Name: secret.name,
          VersionId: 'local',
          VersionStages: ['AWSCURRENT'],
          SecretString: secret.value,
          CreatedDate: 0,
        });
      })
      .catch(() => answer(400, { __type: 'ValidationException', message: 'the request body is not JSON' }));
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the local Secrets Manager endpoint has no port');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    arns: Object.fromEntries(Object.keys(secrets).map((name) => [name, localSecretArn(name)])),
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
