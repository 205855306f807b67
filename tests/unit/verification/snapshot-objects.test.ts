/** Reading a dropped file: from S3 by its key (size first), and the key as S3 writes it in an event. */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { keyOfEvent } from '../../../functions/verification/events/snapshot-files.js';
import { directoryObjects, s3Objects } from '../../../functions/verification/store/snapshot-objects.js';

const s3 = mockClient(S3Client);
afterEach(() => s3.reset());

describe('snapshot objects', () => {
  it('reads an object of the bucket by its key, its size known before its bytes', async () => {
    s3.on(GetObjectCommand).resolves({
      ContentLength: 3,
      // What the SDK's streaming body offers the reader (the mixin's one method it uses).
      Body: { transformToByteArray: async () => new Uint8Array(Buffer.from('a,b')) } as never,
    });

    const object = await s3Objects(new S3Client({}), 'snapshots')('exchange-snapshots/x/deaths/2026-05-31/a.csv');

    expect(object.size).toBe(3);
    expect(Buffer.from(await object.bytes()).toString()).toBe('a,b');
    expect(s3).toReceiveCommandWith(GetObjectCommand, {
      Bucket: 'snapshots',
      Key: 'exchange-snapshots/x/deaths/2026-05-31/a.csv',
    });
  });

  it('decodes the key of an S3 event, spaces written as +', () => {
    expect(
      keyOfEvent('exchange-snapshots/city%3Ashijiazhuang/deaths/2026-05-31/%E6%B0%91%E6%94%BF+%E6%AD%BB%E4%BA%A1.csv'),
    ).toBe('exchange-snapshots/city:shijiazhuang/deaths/2026-05-31/民政 死亡.csv');
  });

  it('never reads a key outside the folder standing in for the bucket', async () => {
    await expect(directoryObjects('/tmp/snapshot-bucket')('../etc/passwd')).rejects.toThrow('is not a key under');
  });
});
