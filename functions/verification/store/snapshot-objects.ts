/**
 * Where a snapshot file is read from: the exchange-snapshots bucket on AWS (SNAPSHOT_BUCKET), a folder
 * standing in for it on one machine (SNAPSHOT_DIR: the data directory, whose `exchange-snapshots/`
 * holds the dropped files under the same keys). The size comes first, so a file too large is refused
 * without being read.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { builtOncePer } from '../../kernel/adapters/built-once.js';
import { environment } from '../../kernel/runtime/environment.js';

export interface StoredObject {
  size: number;
  bytes(): Promise<Uint8Array>;
}
export type ObjectReader = (key: string) => Promise<StoredObject>;

export function s3Objects(client: S3Client, bucket: string): ObjectReader {
  return async (key) => {
    const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const body = answer.Body;
    if (!body) throw new Error(`s3://${bucket}/${key} has no body`);
    return {
      size: answer.ContentLength ?? 0,
      bytes: () => body.transformToByteArray(),
    };
  };
}

export function directoryObjects(dir: string): ObjectReader {
  const root = resolve(dir);
  return async (key) => {
    const path = resolve(root, key);
    // A key is a path under the folder, never a way out of it.
    if (!path.startsWith(root + sep)) throw new Error(`${key} is not a key under ${root}`);
    const { size } = await stat(path);
    return { size, bytes: async () => new Uint8Array(await readFile(path)) };
  };
}

const bucketReader = builtOncePer<ObjectReader>();

/** The reader this function is configured with. */
export function snapshotObjectsFromEnvironment(): ObjectReader {
  const { SNAPSHOT_BUCKET, SNAPSHOT_DIR } = environment('SNAPSHOT_BUCKET', 'SNAPSHOT_DIR');
  if (SNAPSHOT_BUCKET) return bucketReader([SNAPSHOT_BUCKET], () => s3Objects(new S3Client({}), SNAPSHOT_BUCKET));
  if (SNAPSHOT_DIR) return directoryObjects(SNAPSHOT_DIR);
  throw new Error('environment: SNAPSHOT_BUCKET or SNAPSHOT_DIR must name where snapshot files are read');
}
