/**
 * The history's daily digests: the day's events read from the table, signed with the KMS
 * asymmetric key, written once where they cannot be rewritten (S3 with Object Lock in compliance
 * mode on AWS; a folder of read-only files on one machine), and checked against the table again.
 */

import { constants } from 'node:fs';
import { access, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KMSClient, KMSInvalidSignatureException, SignCommand, VerifyCommand } from '@aws-sdk/client-kms';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import * as z from 'zod/mini';
import { historyEventOf } from '../../applications/index.js';
import { shanghaiDate } from '../../kernel/domain/dates.js';
import { environment } from '../../kernel/runtime/environment.js';
import { fromItem, keys, scanAll, type TableContext, toItem } from '../../kernel/store/table.js';
import {
  type DigestLeaf,
  digestFindings,
  digestHeader,
  digestSigningAlgorithm,
  type HistoryDigest,
  inDigestOrder,
  merkleRoot,
  signedMessage,
} from '../domain/history-digest.js';

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

/** The signer and store this function is configured with (DIGEST_BUCKET on AWS, DIGEST_DIR on one machine). */
export function digestsFromEnvironment(): { signer: DigestSigner; store: DigestStore } {
  const { DIGEST_SIGNING_KMS_KEY_ID, DIGEST_BUCKET, DIGEST_DIR } = environment(
    'DIGEST_SIGNING_KMS_KEY_ID',
    'DIGEST_BUCKET',
    'DIGEST_DIR',
  );
  const signer = kmsDigestSigner(new KMSClient({}), DIGEST_SIGNING_KMS_KEY_ID);
  if (DIGEST_BUCKET) return { signer, store: s3DigestStore(new S3Client({}), DIGEST_BUCKET) };
  if (DIGEST_DIR) return { signer, store: directoryDigestStore(DIGEST_DIR) };
  throw new Error('environment: DIGEST_BUCKET or DIGEST_DIR must name where digests are written');
}

const shanghaiOffsetMs = 8 * 3600 * 1000;
/** The UTC instants a Shanghai day spans, as stored event times compare. */
const dayBounds = (from: string, to: string) => ({
  start: new Date(Date.parse(`${from}T00:00:00.000Z`) - shanghaiOffsetMs).toISOString(),
  end: new Date(Date.parse(`${to}T23:59:59.999Z`) - shanghaiOffsetMs).toISOString(),
});

/**
 * The leaves of every event recorded on the Shanghai days from `from` to `to`, by day. One scan
 * of the history's event items (a daily job and an audit tool, never a request).
 */
export async function leavesByDay(table: TableContext, from: string, to: string): Promise<Map<string, DigestLeaf[]>> {
  const { start, end } = dayBounds(from, to);
  const items = await scanAll(table, {
    FilterExpression: 'begins_with(pk, :app) AND begins_with(sk, :evt) AND #at BETWEEN :start AND :end',
    ExpressionAttributeNames: { '#at': 'at' },
    ExpressionAttributeValues: toItem({
      ':app': keys.application('').pk,
      ':evt': keys.applicationEventPrefix,
      ':start': start,
      ':end': end,
    }),
    ConsistentRead: true,
  });
  const byDay = new Map<string, DigestLeaf[]>();
  for (const raw of items) {
    const stored = historyEventOf(fromItem(raw));
    if (!stored) continue;
    const day = shanghaiDate(new Date(stored.event.at));
    // The key says which event it is where it stands: a moved item is caught as changed.
    const seq = Number(String(fromItem(raw).sk).slice(keys.applicationEventPrefix.length));
    byDay.set(day, [...(byDay.get(day) ?? []), { applicationId: stored.applicationId, seq, hash: stored.event.hash }]);
  }
  for (const leaves of byDay.values()) leaves.sort(inDigestOrder);
  return byDay;
}

/** Signs and writes the digest of `day`; false when one was already written (it is never replaced). */
export async function writeDigest(
  table: TableContext,
  { signer, store }: { signer: DigestSigner; store: DigestStore },
  day: string,
  now: Date,
): Promise<{ written: boolean; count: number }> {
  const leaves = (await leavesByDay(table, day, day)).get(day) ?? [];
  const header = digestHeader(day, leaves);
  const digest: HistoryDigest = {
    ...header,
    createdAt: now.toISOString(),
    leaves,
    keyId: signer.keyId,
    algorithm: digestSigningAlgorithm,
    signature: await signer.sign(signedMessage(header)),
  };
  return { written: await store.put(digest), count: leaves.length };
}

export interface DigestCheck {
  /** Days checked against a digest. */
  days: string[];
  /** Per application, what differs from its days' signed digests. */
  findings: Map<string, string[]>;
  /** Digests that do not hold up by themselves (signature, root): every application they name is suspect. */
  brokenDigests: string[];
}

/** Checks the table against every digest of the days from `from` to `to` (all digests when absent). */
export async function checkDigests(
  table: TableContext,
  { signer, store }: { signer: DigestSigner; store: DigestStore },
  range: { from?: string; to?: string; applicationId?: string } = {},
): Promise<DigestCheck> {
  const days = (await store.days()).filter(
    (day) => (!range.from || day >= range.from) && (!range.to || day <= range.to),
  );
  const findings = new Map<string, string[]>();
  const brokenDigests: string[] = [];
  if (days.length === 0) return { days, findings, brokenDigests };
  const current = await leavesByDay(table, days[0] as string, days.at(-1) as string);
  const wanted = (id: string) => !range.applicationId || id === range.applicationId;
  for (const day of days) {
    const digest = await store.get(day);
    if (!digest) continue;
    const header = digestHeader(day, digest.leaves);
    const holds =
      digest.day === day &&
      header.root === digest.root &&
      header.count === digest.count &&
      merkleRoot(digest.leaves) === digest.root &&
      (await signer.verify(signedMessage(digest), digest.signature));
    if (!holds) brokenDigests.push(day);
    for (const [id, found] of digestFindings(digest.leaves, current.get(day) ?? []))
      if (wanted(id)) findings.set(id, [...(findings.get(id) ?? []), ...found.map((f) => `${day}: ${f}`)]);
  }
  return { days, findings, brokenDigests };
}
