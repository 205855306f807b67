/**
 * Tamper-evident history: each event's hash covers its content and the previous event's hash,
 * so editing, deleting or reordering any stored event breaks the chain from there on. The
 * source document forbids inflated reporting; this is how the records stay honest.
 */
import { createHash } from 'node:crypto';

/** The hash of the empty history, that the first event chains from. */
export const genesisHash = 'GENESIS';

/** JSON with keys sorted at every level and undefined left out, so the same event always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value))
    return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export interface Chained {
  prevHash: string;
  hash: string;
}

/** The hash an event must carry, given everything in it but its own hash. */
export function eventHash<E extends Chained>(event: E): string {
  const { hash: _hash, ...content } = event;
  return createHash('sha256').update(canonicalJson(content)).digest('base64url');
}

/** Seals an event onto the chain after `prevHash`. */
export function chainEvent<E extends object>(event: E, prevHash: string): E & Chained {
  const linked = { ...event, prevHash, hash: '' };
  return { ...linked, hash: eventHash(linked) };
}

/** True when every event is sealed and linked to the one before it, from the first on. */
export function historyIsIntact(events: readonly Chained[]): boolean {
  let previous = genesisHash;
  for (const event of events) {
    if (event.prevHash !== previous || event.hash !== eventHash(event)) return false;
    previous = event.hash;
  }
  return true;
}
