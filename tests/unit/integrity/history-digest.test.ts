/** The daily digest's Merkle root and what a later check says, as properties. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DigestLeaf, digestFindings, merkleRoot } from '../../../functions/integrity/domain/history-digest.js';

const leaves = fc.uniqueArray(
  fc.record({
    applicationId: fc.constantFrom('a', 'b', 'c', 'd'),
    seq: fc.integer({ min: 1, max: 20 }),
    hash: fc.stringMatching(/^[0-9a-f]{64}$/),
  }),
  { selector: (leaf) => `${leaf.applicationId}#${leaf.seq}`, minLength: 1, maxLength: 40 },
);

describe('the Merkle root of a day', () => {
  it('does not depend on the order leaves are read in, and changes with any leaf changed, dropped or added', () => {
    fc.assert(
      fc.property(leaves, fc.nat(), (day, pick) => {
        const root = merkleRoot(day);
        expect(merkleRoot([...day].reverse())).toBe(root);
        const i = pick % day.length;
        const leaf = day[i] as DigestLeaf;
        const changed = day.map((l, j) =>
          j === i ? { ...l, hash: l.hash === '0'.repeat(64) ? '1'.repeat(64) : '0'.repeat(64) } : l,
        );
        expect(merkleRoot(changed)).not.toBe(root);
        expect(merkleRoot(day.filter((_, j) => j !== i))).not.toBe(root);
        expect(merkleRoot([...day, { ...leaf, seq: 99 }])).not.toBe(root);
      }),
    );
  });

  it('names exactly the applications whose leaves differ', () => {
    fc.assert(
      fc.property(leaves, fc.nat(), (day, pick) => {
        expect(digestFindings(day, day).size).toBe(0);
        const leaf = day[pick % day.length] as DigestLeaf;
        const now = day.filter((l) => l !== leaf);
        expect([...digestFindings(day, now).keys()]).toEqual([leaf.applicationId]);
        expect([...digestFindings(now, day).keys()]).toEqual([leaf.applicationId]);
      }),
    );
  });
});
