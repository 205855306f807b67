/**
 * The one place that knows how an adapter reaches its KMS key: the key named by an environment
 * variable, through a KMS client the SDK points wherever AWS_ENDPOINT_URL_KMS says (unset on AWS;
 * `local/kms.ts` under `npm start`). Resolved on first use, so a function that never uses the key
 * never needs its variable, and kept for the container's life (`built-once.ts`).
 */
import { KMSClient } from '@aws-sdk/client-kms';
import { type EnvironmentVariable, environment } from '../runtime/environment.js';
import { builtOncePer } from './built-once.js';

/** The variables that name a KMS key. */
export type KmsKeyVariable = Extract<EnvironmentVariable, `${string}_KMS_KEY_ID`>;

/**
 * What `build` makes of a KMS client and the key `variable` names: built on the first call, kept,
 * and built again when the key or the KMS endpoint changes.
 */
export function onKmsKey<T>(variable: KmsKeyVariable, build: (client: KMSClient, keyId: string) => T): () => T {
  const kept = builtOncePer<T>();
  return () => {
    const settings = environment(variable, 'AWS_ENDPOINT_URL_KMS');
    const keyId = settings[variable];
    return kept([keyId, settings.AWS_ENDPOINT_URL_KMS], () => build(new KMSClient({}), keyId));
  };
}
