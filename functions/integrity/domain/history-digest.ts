/**
 * The daily digest of the history: every event recorded on one day (Asia/Shanghai) as a leaf
 * (application, sequence number, the event's chain hash), the leaves in (application, seq) order,
 * and their Merkle root. The root is signed with a KMS asymmetric key and written where nobody can
 * rewrite it (S3 Object Lock on AWS); the leaves travel with it, so a later check names each
 * application whose events of that day were changed, deleted, reordered or added to since, even
 * by someone who could write the table and use the history's MAC key.
 *
 * One digest for the whole table per day, not one per city: events are written per application,
 * and a day's events of every city are collected by one read; one signature and one object a day
 * is one thing for an auditor to fetch and check. A city's share is still checked on its own
 * (`verify-history --application`), and leaves name applications, never people.
 */
import { createHash } from 'node:crypto';

export interface DigestLeaf {
  applicationId: string;
  seq: number;
  /** The event's chain hash: it covers every field of the event and the one before it. */
  hash: string;
}

export const digestFormat = 1;
export const digestSigningAlgorithm = 'ECDSA_SHA_256';

/** What is signed: everything but the leaves (which the root authenticates) and the signature. */
export interface DigestHeader {
  format: typeof digestFormat;
  scope: 'table';
  /** The Shanghai date whose events it covers. */
  day: string;
  count: number;
  /** Hex SHA-256 Merkle root of the leaves. */
  root: string;
}

export interface HistoryDigest extends DigestHeader {
  createdAt: string;
  leaves: DigestLeaf[];
  keyId: string;
  algorithm: typeof digestSigningAlgorithm;
  /** Base64 DER ECDSA signature of `signedMessage(header)`. */
  signature: string;
}

const sha256 = (...parts: Buffer[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

/** Leaves and inner nodes are hashed with different prefixes (RFC 6962), so one can never pass for the other. */
export const leafHash = (leaf: DigestLeaf) =>
  sha256(Buffer.from([0]), Buffer.from(`${leaf.applicationId}\n${leaf.seq}\n${leaf.hash}`, 'utf8'));

export const inDigestOrder = (a: DigestLeaf, b: DigestLeaf) =>
  a.applicationId === b.applicationId ? a.seq - b.seq : a.applicationId < b.applicationId ? -1 : 1;

/** The Merkle root (RFC 6962 shape: split at the largest power of two below n); an empty day has the hash of nothing. */
export function merkleRoot(leaves: DigestLeaf[]): string {
  const hashes = [...leaves].sort(inDigestOrder).map(leafHash);
  const node = (from: number, to: number): Buffer => {
    if (to - from === 1) return hashes[from] as Buffer;
    let split = 1;
    while (split * 2 < to - from) split *= 2;
    return sha256(Buffer.from([1]), node(from, from + split), node(from + split, to));
  };
  return (hashes.length === 0 ? sha256() : node(0, hashes.length)).toString('hex');
}

export function digestHeader(day: string, leaves: DigestLeaf[]): DigestHeader {
  return { format: digestFormat, scope: 'table', day, count: leaves.length, root: merkleRoot(leaves) };
}

/** The bytes signed, in a fixed field order. */
export const signedMessage = (header: DigestHeader): string =>
  JSON.stringify([header.format, header.scope, header.day, header.count, header.root]);

/**
 * What changed in a day's events since its digest, per application: events of the digest missing
 * now (deleted, or moved to another day), events whose hash differs (rewritten, reordered), and
 * events of that day the digest never held (added afterwards, or inserted with a back-dated time).
 */
export function digestFindings(digested: DigestLeaf[], current: DigestLeaf[]): Map<string, string[]> {
  const key = (leaf: DigestLeaf) => `${leaf.applicationId}\n${leaf.seq}`;
  const before = new Map(digested.map((leaf) => [key(leaf), leaf]));
  const now = new Map(current.map((leaf) => [key(leaf), leaf]));
  const findings = new Map<string, string[]>();
  const note = (leaf: DigestLeaf, finding: string) =>
    findings.set(leaf.applicationId, [...(findings.get(leaf.applicationId) ?? []), finding]);
  for (const [k, leaf] of before) {
    const found = now.get(k);
    if (!found) note(leaf, `event ${leaf.seq} of the signed digest is gone`);
    else if (found.hash !== leaf.hash) note(leaf, `event ${leaf.seq} differs from the signed digest`);
  }
  for (const [k, leaf] of now)
    if (!before.has(k)) note(leaf, `event ${leaf.seq} is not in the signed digest of its day`);
  return findings;
}
