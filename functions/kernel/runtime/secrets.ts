/**
 * The product's secrets, read from Secrets Manager, never from the environment: a function's
 * environment holds only the secret's ARN (`*_SECRET_ARN`), and only the functions granted
 * `secretsmanager:GetSecretValue` on it can read the value. Read once per container with
 * Powertools Parameters and cached for an hour (a rotation reaches every container within it).
 * Locally `npm start` serves the same call from a loopback endpoint (`local/secrets-manager.ts`),
 * reached through AWS_ENDPOINT_URL_SECRETS_MANAGER, so the handlers run this very code there.
 */
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { builtOncePer } from '../adapters/built-once.js';
import { environment } from './environment.js';

/** Each secret, by the variable that names its ARN. */
export const secretArnVariables = {
  residentIdKey: 'RESIDENT_ID_KEY_SECRET_ARN',
  webhookSecretKey: 'WEBHOOK_SECRET_KEY_SECRET_ARN',
  dataExchangeCredentials: 'DATA_EXCHANGE_SECRET_ARN',
} as const;
export type SecretName = keyof typeof secretArnVariables;

const cacheSeconds = 3600;
const minimumLength = 32;

const provider = builtOncePer<SecretsProvider>();

/** One provider (and its cache) per container; rebuilt when the local endpoint moves (a local stack restarted in one process). */
function providerForEndpoint(): SecretsProvider {
  const endpoint = environment('AWS_ENDPOINT_URL_SECRETS_MANAGER').AWS_ENDPOINT_URL_SECRETS_MANAGER;
  return provider([endpoint], () => new SecretsProvider({ awsSdkV3Client: new SecretsManagerClient({}) }));
}

/** The secret's value: fails, naming it, when the function has no ARN for it or the value is too short to be a key. */
export async function secretValue(name: SecretName): Promise<string> {
  const variable = secretArnVariables[name];
  const arn = environment(variable)[variable];
  const value = await providerForEndpoint().get(arn, { maxAge: cacheSeconds });
  if (typeof value !== 'string' || value.length < minimumLength)
    throw new Error(`secret ${name} (${variable}) is not a string of at least ${minimumLength} characters`);
  return value;
}
