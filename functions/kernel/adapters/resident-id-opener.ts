/**
 * Opening a sealed resident ID number: the one way back from the ciphertext intake stored to the
 * clear number, for the one function that must ask another office about a person by it (the fact
 * checker, `applications/scheduled/fact-checker.ts`). Apart from the sealing side
 * (`resident-id-vault.ts`) so that no other bundle carries it, and so that a grep for this file's
 * name finds every place a clear number is recovered. Its role alone is granted `kms:Decrypt`,
 * and only for ciphertexts bound to the resident-ID encryption context (infra/resident-id-vault-key.ts).
 */
import { DecryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import { onKmsKey } from './kms-key.js';
import { ciphertextOf, residentIdEncryptionContext } from './resident-id-vault.js';

/** The port: a sealed string in, the clear number out (in memory only: never stored nor logged). */
export type OpenResidentId = (sealed: string) => Promise<string>;

export function kmsResidentIdOpener(client: KMSClient, keyId: string): OpenResidentId {
  return async (sealed) => {
    const { Plaintext } = await client.send(
      new DecryptCommand({
        // Naming the key makes KMS refuse a ciphertext of any other key, rather than follow it there.
        KeyId: keyId,
        CiphertextBlob: ciphertextOf(sealed),
        EncryptionContext: residentIdEncryptionContext,
      }),
    );
    if (!Plaintext) throw new Error('KMS returned no plaintext');
    return Buffer.from(Plaintext).toString('utf8');
  };
}

/** The production opener: the key named by RESIDENT_ID_KMS_KEY_ID, one KMS client per container. */
export const residentIdOpenerFromEnvironment: () => OpenResidentId = onKmsKey(
  'RESIDENT_ID_KMS_KEY_ID',
  kmsResidentIdOpener,
);
