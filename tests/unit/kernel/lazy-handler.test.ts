/** The lazy handler builder: production dependencies are built once, on the first call. */
import { describe, expect, it } from 'vitest';
import { builtOnFirstCall } from '../../../functions/kernel/runtime/lazy-handler.js';

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

describe('a handler whose build is asynchronous (it reads a secret)', () => {
  it('builds once for calls that arrive while it builds, and tries again after a failed build', async () => {
    let builds = 0;
    let fail = true;
    const handler = builtOnFirstCall(async () => {
      builds++;
      await Promise.resolve();
      if (fail) throw new Error('secret unavailable');
      return async (a: number) => a * 2;
    });
    await expect(Promise.all([handler(1), handler(2)])).rejects.toThrow('secret unavailable');
    expect(builds).toBe(1);
    fail = false;
    expect(await Promise.all([handler(3), handler(4)])).toEqual([6, 8]);
    expect(await handler(5)).toBe(10);
    expect(builds).toBe(2);
  });
});
