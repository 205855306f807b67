/**
 * Builds a handler's production dependencies on its first call, once per container: a module can
 * be imported (by tests, by the local runtime) before its environment is set, and on Lambda the
 * build (environment parsed, clients made, secrets read) happens in the cold start's first
 * invocation. A build that reads a secret is asynchronous; one that fails is tried again on the
 * next call rather than leaving the container broken.
 */
export function builtOnFirstCall<Args extends unknown[], Result>(
  build: () => ((...args: Args) => Promise<Result>) | Promise<(...args: Args) => Promise<Result>>,
): (...args: Args) => Promise<Result> {
  type Handler = (...args: Args) => Promise<Result>;
  let built: Handler | undefined;
  let building: Promise<Handler> | undefined;
  return (...args) => {
    if (built) return built(...args);
    if (building) return building.then((handler) => handler(...args));
    const made = build();
    if (!(made instanceof Promise)) {
      built = made;
      return built(...args);
    }
    building = made.then(
      (handler) => (built = handler),
      (error: unknown) => {
        building = undefined;
        throw error;
      },
    );
    return building.then((handler) => handler(...args));
  };
}
