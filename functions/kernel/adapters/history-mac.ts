/**
 * The history's key: a KMS HMAC key (HMAC_SHA_256) the table never holds. Writers MAC each event
 * and the application's head as they write them; readers ask KMS whether the MACs verify. Locally
 * `npm start` answers the same calls (`local/kms.ts`), reached through AWS_ENDPOINT_URL_KMS.
 */
import { GenerateMacCommand, KMSClient, KMSInvalidMacException, VerifyMacCommand } from '@aws-sdk/client-kms';
import { environment } from '../runtime/environment.js';

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

let built: { mac: HistoryMac; builtFor: string } | undefined;

/**
 * The production key, named by HISTORY_MAC_KMS_KEY_ID, resolved when first used (a function that
 * never writes or checks history never needs it). Rebuilt when the local endpoint moves.
 */
export const historyMacFromEnvironment = (): HistoryMac => {
  const current = () => {
    const { HISTORY_MAC_KMS_KEY_ID: keyId, AWS_ENDPOINT_URL_KMS } = environment(
      'HISTORY_MAC_KMS_KEY_ID',
      'AWS_ENDPOINT_URL_KMS',
    );
    const builtFor = `${keyId}|${AWS_ENDPOINT_URL_KMS ?? ''}`;
    if (built?.builtFor !== builtFor) built = { mac: kmsHistoryMac(new KMSClient({}), keyId), builtFor };
    return built.mac;
  };
  return {
    generate: (message) => current().generate(message),
    verify: (message, mac) => current().verify(message, mac),
  };
};
