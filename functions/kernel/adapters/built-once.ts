/**
 * What an adapter builds from its configuration (an SDK client, a key derived through KMS), built
 * once per container and again only when that configuration changes. On Lambda it never does; a
 * local stack restarted in the same process (tests, `npm start`) moves its loopback endpoints, and
 * a client still pointed at the old one would fail. A build that fails, at once or later (a
 * rejected promise), is not kept: the next call builds again rather than leave the container broken.
 */

/**
 * One slot: `kept(configuration, build)` answers what `build` made for the same configuration
 * last time, or builds it now.
 */
export function builtOncePer<T>(): (configuration: readonly (string | undefined)[], build: () => T) => T {
  let kept: { value: T; builtFor: string } | undefined;
  return (configuration, build) => {
    // JSON keeps an absent setting apart from an empty one.
    const builtFor = JSON.stringify(configuration);
    if (kept?.builtFor === builtFor) return kept.value;
    const entry = { value: build(), builtFor };
    kept = entry;
    if (isPromiseLike(entry.value))
      entry.value.then(undefined, () => {
        if (kept === entry) kept = undefined;
      });
    return entry.value;
  };
}

const isPromiseLike = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';
