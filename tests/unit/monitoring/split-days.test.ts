/** How a long counter read is cut into key ranges read at once. */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../../functions/monitoring/domain/throughput-periods.js';
import { splitDays } from '../../../functions/monitoring/store/metrics.js';

describe('splitDays', () => {
  it('reads a month in one range and a year in four', () => {
    expect(splitDays('2026-11-01', '2026-11-30', 4)).toEqual([['2026-11-01', '2026-11-30']]);
    expect(splitDays('2025-12-01', '2026-11-30', 4)).toHaveLength(4);
  });

  it('covers every day of the range exactly once, in order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4000 }), fc.integer({ min: 1, max: 8 }), (length, parts) => {
        const from = '2025-01-01';
        const to = addDays(from, length);
        const segments = splitDays(from, to, parts);
        expect(segments[0]?.[0]).toBe(from);
        expect(segments.at(-1)?.[1]).toBe(to);
        for (let i = 1; i < segments.length; i++)
          expect(segments[i]?.[0]).toBe(addDays(segments[i - 1]?.[1] as string, 1));
        for (const [a, b] of segments) expect(a <= b).toBe(true);
        expect(segments.length).toBeLessThanOrEqual(parts);
      }),
    );
  });
});
