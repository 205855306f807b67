/**
 * The history's key: a KMS HMAC key (HMAC_SHA_256) the table never holds. Writers MAC each event
 * and the application's head as they write them; readers ask KMS whether the MACs verify. Locally
 * `npm start` answers the same calls (`local/kms.ts`), reached through AWS_ENDPOINT_URL_KMS.
 */
import { GenerateMacCommand, type KMSClient, KMSInvalidMacException, VerifyMacCommand } from '@aws-sdk/client-kms';
import { onKmsKey } from './kms-key.js';

export interface HistoryMac {
  generate(message: string): Promise<string>;
  verify(message: string, mac: string | undefined): Promise<boolean>;
}

export function kmsHistoryMac(client: KMSClient, keyId: string): HistoryMac {
  return {
    async generate(message) {
      const { Mac } = await client.send(
        new GenerateMacCommand({ KeyId: keyId, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from(message, 'utf8') }),
      );
      if (!Mac) throw new Error('KMS returned no MAC');
      return Buffer.from(Mac).toString('base64');
    },
    async verify(message, mac) {
      if (!mac) return false;
      try {
        const { MacValid } = await client.send(
          new VerifyMacCommand({
            KeyId: keyId,
            MacAlgorithm: 'HMAC_SHA_256',
            Message: Buffer.from(message, 'utf8'),
            Mac: Buffer.from(mac, 'base64'),
          }),
        );
        return MacValid === true;
      } catch (error) {
        if (error instanceof KMSInvalidMacException) return false;
        throw error;
      }
    },
  };
}

const currentMac = onKmsKey('HISTORY_MAC_KMS_KEY_ID', kmsHistoryMac);

/**
 * The production key, named by HISTORY_MAC_KMS_KEY_ID, resolved at each use rather than here (a
 * function that never writes or checks history never needs it; the local endpoint may move).
 */
export const historyMacFromEnvironment = (): HistoryMac => ({
  generate: (message) => currentMac().generate(message),
  verify: (message, mac) => currentMac().verify(message, mac),
});
