/**
 * Builds a handler's production dependencies on its first call, once per container: a module can
 * be imported (by tests, by the local runtime) before its environment is set, and on Lambda the
 * build (environment parsed, clients made) happens in the cold start's first invocation.
 */
export function builtOnFirstCall<Args extends unknown[], Result>(
  build: () => (...args: Args) => Result,
): (...args: Args) => Result {
  let built: ((...args: Args) => Result) | undefined;
  return (...args) => {
    built ??= build();
    return built(...args);
  };
}
