/**
 * An `.xlsx` is a zip: a few kilobytes of it can inflate to gigabytes (a zip bomb), and a spreadsheet
 * reader would hold much of that in memory. Before exceljs sees the file, every entry is inflated
 * here into nothing but a byte count, stopped as soon as the total passes the limit: the sizes the
 * zip declares are not trusted, and memory stays at one chunk whatever the file says.
 */
import { createInflateRaw } from 'node:zlib';
import { snapshotLimits } from '../domain/snapshot-layout.js';

const endOfDirectory = 0x06054b50;
const directoryEntry = 0x02014b50;
const localHeader = 0x04034b50;

class TooLarge extends Error {}

function inflatedSize(data: Buffer, limit: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const inflater = createInflateRaw();
    let size = 0;
    inflater.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        inflater.destroy();
        reject(new TooLarge());
      }
    });
    inflater.on('end', () => resolve(size));
    inflater.on('error', reject);
    inflater.end(data);
  });
}

/** Why the zip may not be read, or undefined when all of it inflates within the limits. */
export async function checkZipBounds(
  bytes: Uint8Array,
  limits: { maxUnzippedBytes: number; maxZipEntries: number } = snapshotLimits,
): Promise<string | undefined> {
  const zip = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--)
    if (zip.readUInt32LE(at) === endOfDirectory) {
      end = at;
      break;
    }
  if (end < 0) return 'not an .xlsx file (no zip directory found)';
  const entries = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  if (entries === 0xffff || at === 0xffffffff) return 'a ZIP64 spreadsheet is larger than a snapshot file may be';
  if (entries > limits.maxZipEntries)
    return `the spreadsheet holds ${entries} parts, more than ${limits.maxZipEntries}`;
  let total = 0;
  try {
    for (let i = 0; i < entries; i++) {
      if (at + 46 > zip.length || zip.readUInt32LE(at) !== directoryEntry) return 'the zip directory is damaged';
      const method = zip.readUInt16LE(at + 10);
      const compressed = zip.readUInt32LE(at + 20);
      const local = zip.readUInt32LE(at + 42);
      at += 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
      if (local + 30 > zip.length || zip.readUInt32LE(local) !== localHeader) return 'a zip entry is damaged';
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + compressed);
      if (method === 0) total += data.length;
      else if (method === 8) total += await inflatedSize(data, limits.maxUnzippedBytes - total);
      else return `a zip entry is compressed with method ${method}, which a spreadsheet does not use`;
      if (total > limits.maxUnzippedBytes) throw new TooLarge();
    }
  } catch (error) {
    if (error instanceof TooLarge)
      return `the spreadsheet inflates to more than ${limits.maxUnzippedBytes / 1024 / 1024} MB (refused as a possible zip bomb)`;
    return `the spreadsheet cannot be unzipped: ${error instanceof Error ? error.message : String(error)}`;
  }
  return undefined;
}
