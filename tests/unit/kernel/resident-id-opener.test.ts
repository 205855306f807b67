/** Opening sealed resident IDs: only what was sealed with the resident-ID context opens, under the named key. */
import { EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kmsResidentIdOpener } from '../../../functions/kernel/adapters/resident-id-opener.js';
import { kmsResidentIdVault } from '../../../functions/kernel/adapters/resident-id-vault.js';
import { type LocalKms, startLocalKms } from '../../../local/kms.js';

let kms: LocalKms;
let client: KMSClient;

beforeAll(async () => {
  kms = await startLocalKms(Buffer.alloc(32, 5).toString('base64url'));
  client = new KMSClient({
    endpoint: kms.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
});
afterAll(async () => {
  client.destroy();
  await kms.close();
});

describe('kmsResidentIdOpener', () => {
  it('opens what intake sealed, back to the clear number', async () => {
    const sealed = await kmsResidentIdVault(client, kms.keyId)('130105198005120240');

    expect(await kmsResidentIdOpener(client, kms.keyId)(sealed)).toBe('130105198005120240');
  });

  it('refuses a ciphertext sealed for another purpose under the same key', async () => {
    const { CiphertextBlob } = await client.send(
      new EncryptCommand({
        KeyId: kms.keyId,
        Plaintext: Buffer.from('130105198005120240'),
        EncryptionContext: { purpose: 'other' },
      }),
    );
    const other = `kms1:${Buffer.from(CiphertextBlob as Uint8Array).toString('base64')}`;

    await expect(kmsResidentIdOpener(client, kms.keyId)(other)).rejects.toThrow(/encryption context does not match/);
  });

  it('refuses what is not a sealed string', async () => {
    await expect(kmsResidentIdOpener(client, kms.keyId)('130105198005120240')).rejects.toThrow(
      /not a sealed resident ID/,
    );
  });
});
