/** Waiting for an event in tests: poll a condition with a generous deadline, never sleep a fixed time. */
/**
 * Waits for a condition, checking every 50 ms; fails with `what` after `timeoutMs`. The default
 * leaves room for a machine several times slower and busier than the one that wrote the test.
 */
export async function eventually<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((wait) => setTimeout(wait, 50));
  }
}
