/** The lazy handler builder: production dependencies are built once, on the first call. */
import { describe, expect, it } from 'vitest';
import { builtOnFirstCall } from '../../../functions/shared/lazy-handler.js';

describe('a handler built on its first call', () => {
  it('builds nothing when imported, once when first called, and passes every argument through', async () => {
    let builds = 0;
    const handler = builtOnFirstCall(() => {
      builds++;
      return async (a: number, b: number) => a + b;
    });
    expect(builds).toBe(0);

    expect(await handler(1, 2)).toBe(3);
    expect(await handler(3, 4)).toBe(7);

    expect(builds).toBe(1);
  });
});
