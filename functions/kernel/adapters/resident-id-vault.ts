/**
 * The sealed copy of a resident ID number: encrypted under the city's KMS key before it is
 * stored, so the table holds only the keyed hash and ciphertext. Only intake (submit and
 * resubmit) imports this module, so only their bundles carry the KMS client; and they may only
 * encrypt (the key policy grants them `kms:Encrypt`, nothing else). The way back is
 * `resident-id-opener.ts`, granted to the fact checker alone.
 */
import { EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import { onKmsKey } from './kms-key.js';

/** The port: the clear number in, an opaque sealed string out. */
export type SealResidentId = (clear: string) => Promise<string>;

/**
 * Bound into every ciphertext: a sealed resident ID cannot be passed off as anything else
 * sealed under the same key, and CloudTrail shows what each use of the key was for.
 */
export const residentIdEncryptionContext = { purpose: 'resident-id' } as const;

/** Marks the format, so a later key or scheme can be told apart from this one. */
const sealedPrefix = 'kms1:';

export function kmsResidentIdVault(client: KMSClient, keyId: string): SealResidentId {
  return async (clear) => {
    const { CiphertextBlob } = await client.send(
      new EncryptCommand({
        KeyId: keyId,
        Plaintext: Buffer.from(clear, 'utf8'),
        EncryptionContext: residentIdEncryptionContext,
      }),
    );
    if (!CiphertextBlob) throw new Error('KMS returned no ciphertext');
    return `${sealedPrefix}${Buffer.from(CiphertextBlob).toString('base64')}`;
  };
}

/** The sealed string's ciphertext, for whoever may decrypt it (of this product's handlers, the fact checker only). */
export function ciphertextOf(sealed: string): Uint8Array {
  if (!sealed.startsWith(sealedPrefix)) throw new Error('not a sealed resident ID');
  return Buffer.from(sealed.slice(sealedPrefix.length), 'base64');
}

/**
 * The production vault: one KMS client per container, the key named by RESIDENT_ID_KMS_KEY_ID
 * (locally the one-machine KMS endpoint: `kms-key.ts`).
 */
export const residentIdVaultFromEnvironment: () => SealResidentId = onKmsKey(
  'RESIDENT_ID_KMS_KEY_ID',
  kmsResidentIdVault,
);
