/** Sealing resident IDs: the KMS call intake makes, and the local KMS cipher that answers it on one machine. */
import { EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ciphertextOf, kmsResidentIdVault } from '../../../functions/kernel/adapters/resident-id-vault.js';
import { localKmsCipher } from '../../../local/kms.js';

const kms = mockClient(KMSClient);
afterEach(() => kms.reset());

describe('kmsResidentIdVault', () => {
  it('encrypts under the named key with the resident-id context and answers an opaque sealed string', async () => {
    kms.on(EncryptCommand).resolves({ CiphertextBlob: new Uint8Array([1, 2, 3, 250]) });
    const seal = kmsResidentIdVault(new KMSClient({ region: 'us-east-1' }), 'arn:aws:kms:us-east-1:1:key/k');

    const sealed = await seal('130105198005120240');

    expect(kms).toHaveReceivedCommandWith(EncryptCommand, {
      KeyId: 'arn:aws:kms:us-east-1:1:key/k',
      EncryptionContext: { purpose: 'resident-id' },
    });
    expect(Buffer.from(kms.commandCalls(EncryptCommand)[0]?.args[0].input.Plaintext ?? []).toString()).toBe(
      '130105198005120240',
    );
    expect(sealed).toBe(`kms1:${Buffer.from([1, 2, 3, 250]).toString('base64')}`);
    expect([...ciphertextOf(sealed)]).toEqual([1, 2, 3, 250]);
  });

  it('fails loudly when KMS answers no ciphertext, and refuses to read what it did not seal', async () => {
    kms.on(EncryptCommand).resolves({});
    await expect(kmsResidentIdVault(new KMSClient({ region: 'us-east-1' }), 'k')('130105198005120240')).rejects.toThrow(
      /no ciphertext/,
    );
    expect(() => ciphertextOf('130105198005120240')).toThrow(/not a sealed resident ID/);
  });
});

describe('the local KMS cipher', () => {
  const cipher = localKmsCipher(Buffer.alloc(32, 9), 'local-key');
  const context = { purpose: 'resident-id' };

  it('opens what it sealed, only with the same context, and seals the same number differently each time', () => {
    const blob = cipher.encrypt(Buffer.from('130105198005120240'), context);
    expect(cipher.decrypt(blob, context).toString()).toBe('130105198005120240');
    expect(() => cipher.decrypt(blob, { purpose: 'other' })).toThrow();
    expect(cipher.encrypt(Buffer.from('130105198005120240'), context).equals(blob)).toBe(false);
    expect(blob.toString('latin1')).not.toContain('130105198005120240');
  });

  it('refuses a ciphertext changed in any byte, or sealed under another key', () => {
    const blob = cipher.encrypt(Buffer.from('130105198005120240'), context);
    for (let i = 0; i < blob.length; i++) {
      const changed = Buffer.from(blob);
      changed[i] = (changed[i] as number) ^ 1;
      expect(() => cipher.decrypt(changed, context)).toThrow();
    }
    expect(() => localKmsCipher(Buffer.alloc(32, 8), 'local-key').decrypt(blob, context)).toThrow();
  });
});
