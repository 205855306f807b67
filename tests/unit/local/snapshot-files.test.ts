/** The local stand-in for the snapshot bucket's notification: each new file offered once, as an S3 event, its report written beside it. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportOutcome } from '../../../functions/verification/index.js';
import { startLocalSnapshotFiles } from '../../../local/snapshot-files.js';

const root = mkdtempSync(join(tmpdir(), 'local-snapshots-'));
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('local snapshot files', () => {
  it('offers a new file once, by its URL-encoded key, and writes its report beside it', async () => {
    const folder = join(root, 'exchange-snapshots', 'city:shijiazhuang', 'deaths', '2026-05-31');
    mkdirSync(folder, { recursive: true });
    const file = join(folder, '死亡 登记.csv');
    writeFileSync(file, 'idNumber,on\n');
    utimesSync(file, new Date(Date.now() - 5_000), new Date(Date.now() - 5_000));
    writeFileSync(join(folder, 'notes.txt'), 'not a snapshot');
    const keys: string[] = [];
    const outcome = { outcome: 'ignored', key: 'k', reason: 'test' } as ImportOutcome;
    const files = startLocalSnapshotFiles(
      async (event) => {
        keys.push(...event.Records.map((record) => record.s3.object.key));
        return [outcome];
      },
      root,
      0,
    );

    const first = await files.scanNow();
    const second = await files.scanNow();
    await files.stop();

    expect(keys).toEqual([
      `exchange-snapshots/${encodeURIComponent('city:shijiazhuang')}/deaths/2026-05-31/${encodeURIComponent('死亡 登记.csv')}`,
    ]);
    expect(first).toEqual([outcome]);
    expect(second).toEqual([]);
    expect(existsSync(`${file}.report.json`)).toBe(true);
    expect(JSON.parse(readFileSync(`${file}.report.json`, 'utf8'))).toEqual(outcome);
  });
});
