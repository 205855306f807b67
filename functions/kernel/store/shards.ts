/** Keys that many writers share, spread over shards (re-exported by `table-design.ts`). */

/**
 * A stable shard number for a key that many writers share (0 ≤ n < shards): FNV-1a of the text,
 * so the same application or event always lands on the same shard, and many spread evenly.
 */
export function shardOf(text: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % shards;
}

/**
 * The deadline-due index is spread over this many partition key values (by application id), so
 * no one index partition takes more than its 1,000 writes a second; the sweep queries each.
 */
export const deadlineDueShards = 8;

/** The waiting-tasks index is spread the same way, for the same reason: every wait writes it. */
export const waitingTaskShards = 8;
