/**
 * The history's daily digests against the table: the day's events read from it, signed and
 * written to the archive (`digest-archive.ts`), and checked against it again.
 */

import { historyEventOf } from '../../applications/index.js';
import { shanghaiDate } from '../../kernel/domain/dates.js';
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
import type { DigestSigner, DigestStore } from './digest-archive.js';

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
