/**
 * Where the history's signed daily digests are kept and who signs them: written once where they
 * cannot be rewritten (S3 with Object Lock in compliance mode on AWS; a folder of read-only files
 * on one machine), signed with the KMS asymmetric key. What goes into a digest is read from the
 * table by `history-digests.ts`.
 */

import { constants } from 'node:fs';
import { access, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type KMSClient, KMSInvalidSignatureException, SignCommand, VerifyCommand } from '@aws-sdk/client-kms';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import * as z from 'zod/mini';
import { builtOncePer } from '../../kernel/adapters/built-once.js';
import { onKmsKey } from '../../kernel/adapters/kms-key.js';
import { environment } from '../../kernel/runtime/environment.js';
import { digestSigningAlgorithm, type HistoryDigest } from '../domain/history-digest.js';

/** Where signed digests are kept: written once, never replaced. */
export interface DigestStore {
  /** False when a digest of the day is already there (it is never replaced). */
  put(digest: HistoryDigest): Promise<boolean>;
  get(day: string): Promise<HistoryDigest | undefined>;
  /** The days that have a digest, in order. */
  days(): Promise<string[]>;
}

export interface DigestSigner {
  keyId: string;
  sign(message: string): Promise<string>;
  verify(message: string, signature: string): Promise<boolean>;
}

const leafSchema = z.object({ applicationId: z.string(), seq: z.number(), hash: z.string() });
const digestSchema = z.object({
  format: z.literal(1),
  scope: z.literal('table'),
  day: z.string(),
  count: z.number(),
  root: z.string(),
  createdAt: z.string(),
  leaves: z.array(leafSchema),
  keyId: z.string(),
  algorithm: z.literal(digestSigningAlgorithm),
  signature: z.string(),
});
const parseDigest = (text: string): HistoryDigest => digestSchema.parse(JSON.parse(text));
const dayPattern = /^\d{4}-\d{2}-\d{2}$/;
const objectKey = (day: string) => `digests/${day}.json`;

export function s3DigestStore(client: S3Client, bucket: string): DigestStore {
  return {
    async put(digest) {
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: objectKey(digest.day),
            Body: JSON.stringify(digest),
            ContentType: 'application/json',
            // Never over an existing one (the bucket's Object Lock keeps every version anyway).
            IfNoneMatch: '*',
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 412) return false;
        throw error;
      }
    },
    async get(day) {
      try {
        const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: objectKey(day) }));
        return parseDigest((await answer.Body?.transformToString('utf8')) ?? '');
      } catch (error) {
        if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404) return undefined;
        throw error;
      }
    },
    async days() {
      const days: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: 'digests/', ContinuationToken: token }),
        );
        for (const object of page.Contents ?? []) {
          const day = object.Key?.slice('digests/'.length, -'.json'.length) ?? '';
          if (dayPattern.test(day)) days.push(day);
        }
        token = page.NextContinuationToken;
      } while (token);
      return days.sort();
    },
  };
}

/** One machine's stand-in: `<dir>/<day>.json`, created exclusively and left read-only. */
export function directoryDigestStore(dir: string): DigestStore {
  return {
    async put(digest) {
      await mkdir(dir, { recursive: true });
      try {
        await writeFile(join(dir, `${digest.day}.json`), JSON.stringify(digest, null, 2), { flag: 'wx', mode: 0o444 });
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw error;
      }
    },
    async get(day) {
      const file = join(dir, `${day}.json`);
      try {
        await access(file, constants.R_OK);
      } catch {
        return undefined;
      }
      return parseDigest(await readFile(file, 'utf8'));
    },
    async days() {
      const names = await readdir(dir).catch(() => [] as string[]);
      return names
        .filter((name) => name.endsWith('.json'))
        .map((name) => name.slice(0, -'.json'.length))
        .filter((day) => dayPattern.test(day))
        .sort();
    },
  };
}

export function kmsDigestSigner(client: KMSClient, keyId: string): DigestSigner {
  return {
    keyId,
    async sign(message) {
      const { Signature } = await client.send(
        new SignCommand({
          KeyId: keyId,
          Message: Buffer.from(message, 'utf8'),
          MessageType: 'RAW',
          SigningAlgorithm: digestSigningAlgorithm,
        }),
      );
      if (!Signature) throw new Error('KMS returned no signature');
      return Buffer.from(Signature).toString('base64');
    },
    async verify(message, signature) {
      try {
        const { SignatureValid } = await client.send(
          new VerifyCommand({
            KeyId: keyId,
            Message: Buffer.from(message, 'utf8'),
            MessageType: 'RAW',
            Signature: Buffer.from(signature, 'base64'),
            SigningAlgorithm: digestSigningAlgorithm,
          }),
        );
        return SignatureValid === true;
      } catch (error) {
        if (error instanceof KMSInvalidSignatureException) return false;
        throw error;
      }
    },
  };
}

const signerFromEnvironment = onKmsKey('DIGEST_SIGNING_KMS_KEY_ID', kmsDigestSigner);
const bucketStore = builtOncePer<DigestStore>();

/** The signer and store this function is configured with (DIGEST_BUCKET on AWS, DIGEST_DIR on one machine). */
export function digestsFromEnvironment(): { signer: DigestSigner; store: DigestStore } {
  const { DIGEST_BUCKET, DIGEST_DIR } = environment('DIGEST_BUCKET', 'DIGEST_DIR');
  const signer = signerFromEnvironment();
  if (DIGEST_BUCKET)
    return { signer, store: bucketStore([DIGEST_BUCKET], () => s3DigestStore(new S3Client({}), DIGEST_BUCKET)) };
  if (DIGEST_DIR) return { signer, store: directoryDigestStore(DIGEST_DIR) };
  throw new Error('environment: DIGEST_BUCKET or DIGEST_DIR must name where digests are written');
}
