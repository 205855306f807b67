/**
 * KMS on one machine: a loopback endpoint answering the KMS calls the product makes (Encrypt,
 * and Decrypt for the fact checker, refused unless the encryption context matches, with
 * AES-256-GCM under a key kept in the data directory; GenerateMac and VerifyMac with HMAC-SHA-256
 * under the history's key, kept apart; Sign and Verify with ECDSA P-256 / SHA-256 under the daily digests' key, as an ECC_NIST_P256
 * key answers them). Handlers reach it through AWS_ENDPOINT_URL_KMS with the unchanged SDK client,
 * exactly as they reach KMS on AWS.
 */
import {
  createCipheriv,
  createDecipheriv,
  createECDH,
  createHmac,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  randomBytes,
  sign,
  timingSafeEqual,
  verify,
} from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface LocalKms {
  endpoint: string;
  /** The key id handlers are given (RESIDENT_ID_KMS_KEY_ID). */
  keyId: string;
  /** The HMAC key's id (HISTORY_MAC_KMS_KEY_ID): GenerateMac and VerifyMac, as a KMS HMAC_256 key. */
  macKeyId: string;
  /** The signing key's id (DIGEST_SIGNING_KMS_KEY_ID): Sign and Verify, as a KMS ECC_NIST_P256 key. */
  signKeyId: string;
  /** The paging cursors' HMAC key (PAGING_CURSOR_KMS_KEY_ID), another key of the same kind. */
  cursorKeyId: string;
  close(): Promise<void>;
}

const formatVersion = 1;

/** The encryption context is authenticated with the ciphertext, as KMS does: decrypting needs the same one. */
function additionalData(keyId: string, context: Record<string, string> = {}): Buffer {
  const sorted = Object.keys(context)
    .sort()
    .map((k) => [k, context[k]]);
  return Buffer.from(JSON.stringify([keyId, sorted]));
}

export function localKmsCipher(key: Buffer, keyId: string) {
  if (key.length !== 32) throw new Error('the local KMS key must be 32 bytes (AES-256)');
  return {
    encrypt(plaintext: Buffer, context?: Record<string, string>): Buffer {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(additionalData(keyId, context));
      const sealed = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return Buffer.concat([Buffer.from([formatVersion]), iv, cipher.getAuthTag(), sealed]);
    },
    decrypt(blob: Buffer, context?: Record<string, string>): Buffer {
      if (blob[0] !== formatVersion || blob.length < 29) throw new Error('not a ciphertext of this key');
      const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(1, 13)).setAAD(
        additionalData(keyId, context),
      );
      decipher.setAuthTag(blob.subarray(13, 29));
      return Buffer.concat([decipher.update(blob.subarray(29)), decipher.final()]);
    },
  };
}

/** A P-256 key pair from 32 kept bytes (the private scalar), so the key outlives restarts like the others. */
export function p256KeyPair(secret: Buffer): { privateKey: KeyObject; publicKey: KeyObject } {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(secret);
  const point = ecdh.getPublicKey();
  const jwk = {
    kty: 'EC',
    crv: 'P-256',
    d: secret.toString('base64url'),
    x: point.subarray(1, 33).toString('base64url'),
    y: point.subarray(33, 65).toString('base64url'),
  };
  const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

async function bodyOf(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
}

/**
 * Starts the endpoint on a free loopback port; `key` is the 32-byte AES key (base64url), kept by
 * the caller; `macKey` the HMAC key of the history (base64url), kept apart from the table.
 */
export async function startLocalKms(
  key: string,
  keyId = 'arn:aws:kms:local:000000000000:key/resident-id',
  macKey?: string,
  macKeyId = 'arn:aws:kms:local:000000000000:key/history-mac',
  signKey?: string,
  signKeyId = 'arn:aws:kms:local:000000000000:key/history-digest',
): Promise<LocalKms> {
  const cipher = localKmsCipher(Buffer.from(key, 'base64url'), keyId);
  // Without a kept MAC key one is derived from the seal key: distinct, and stable across restarts.
  const hmacKey = macKey
    ? Buffer.from(macKey, 'base64url')
    : createHmac('sha256', Buffer.from(key, 'base64url')).update('history-mac').digest();
  // Likewise the digests' signing key: kept, or derived from the seal key when none is given.
  const signing = p256KeyPair(
    signKey
      ? Buffer.from(signKey, 'base64url')
      : createHmac('sha256', Buffer.from(key, 'base64url')).update('history-digest').digest(),
  );
  // The cursors' key is derived from the history's: stable across restarts, and a different key.
  const cursorKeyId = 'arn:aws:kms:local:000000000000:key/paging-cursor';
  const macKeys = new Map([
    [macKeyId, hmacKey],
    [cursorKeyId, createHmac('sha256', hmacKey).update('paging-cursor').digest()],
  ]);
  const mac = (keyOf: unknown, message: string) =>
    createHmac('sha256', macKeys.get(String(keyOf)) ?? hmacKey)
      .update(Buffer.from(message, 'base64'))
      .digest();
  const server: Server = createServer((request, response) => {
    const answer = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify(body));
    };
    bodyOf(request)
      .then((body) => {
        const context = body.EncryptionContext as Record<string, string> | undefined;
        const target = request.headers['x-amz-target'];
        const isMac = target === 'TrentService.GenerateMac' || target === 'TrentService.VerifyMac';
        const isSign = target === 'TrentService.Sign' || target === 'TrentService.Verify';
        if (
          body.KeyId !== undefined &&
          (isMac ? !macKeys.has(String(body.KeyId)) : body.KeyId !== (isSign ? signKeyId : keyId))
        )
          return answer(400, { __type: 'NotFoundException', message: `no key ${String(body.KeyId)} for ${target}` });
        if (isMac && body.MacAlgorithm !== 'HMAC_SHA_256')
          return answer(400, { __type: 'InvalidKeyUsageException', message: 'the key answers HMAC_SHA_256 only' });
        if (isSign && (body.SigningAlgorithm !== 'ECDSA_SHA_256' || (body.MessageType ?? 'RAW') !== 'RAW'))
          return answer(400, {
            __type: 'InvalidKeyUsageException',
            message: 'the key answers ECDSA_SHA_256 over RAW messages only',
          });
        switch (target) {
          case 'TrentService.Sign':
            return answer(200, {
              KeyId: signKeyId,
              SigningAlgorithm: 'ECDSA_SHA_256',
              // DER-encoded, as KMS returns ECDSA signatures.
              Signature: sign('sha256', Buffer.from(String(body.Message), 'base64'), signing.privateKey).toString(
                'base64',
              ),
            });
          case 'TrentService.Verify': {
            let valid = false;
            try {
              valid = verify(
                'sha256',
                Buffer.from(String(body.Message), 'base64'),
                signing.publicKey,
                Buffer.from(String(body.Signature), 'base64'),
              );
            } catch {
              // A signature that is not even DER verifies as nothing.
            }
            if (!valid)
              return answer(400, { __type: 'KMSInvalidSignatureException', message: 'the signature does not verify' });
            return answer(200, { KeyId: signKeyId, SigningAlgorithm: 'ECDSA_SHA_256', SignatureValid: true });
          }
          case 'TrentService.GenerateMac':
            return answer(200, {
              KeyId: body.KeyId,
              MacAlgorithm: 'HMAC_SHA_256',
              Mac: mac(body.KeyId, String(body.Message)).toString('base64'),
            });
          case 'TrentService.VerifyMac': {
            const expected = mac(body.KeyId, String(body.Message));
            const given = Buffer.from(String(body.Mac), 'base64');
            if (given.length !== expected.length || !timingSafeEqual(given, expected))
              return answer(400, { __type: 'KMSInvalidMacException', message: 'the MAC does not verify' });
            return answer(200, { KeyId: body.KeyId, MacAlgorithm: 'HMAC_SHA_256', MacValid: true });
          }
          case 'TrentService.Encrypt':
            return answer(200, {
              KeyId: keyId,
              EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
              CiphertextBlob: cipher.encrypt(Buffer.from(String(body.Plaintext), 'base64'), context).toString('base64'),
            });
          case 'TrentService.Decrypt':
            try {
              const plaintext = cipher.decrypt(Buffer.from(String(body.CiphertextBlob), 'base64'), context);
              return answer(200, {
                KeyId: keyId,
                EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
                Plaintext: plaintext.toString('base64'),
              });
            } catch {
              return answer(400, {
                __type: 'InvalidCiphertextException',
                message: 'the ciphertext or its encryption context does not match',
              });
            }
          default:
            return answer(400, {
              __type: 'UnsupportedOperationException',
              message: `the local KMS answers Encrypt, Decrypt, GenerateMac, VerifyMac, Sign and Verify only`,
            });
        }
      })
      .catch(() => answer(400, { __type: 'ValidationException', message: 'the request body is not JSON' }));
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the local KMS endpoint has no port');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    keyId,
    macKeyId,
    signKeyId,
    cursorKeyId,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
