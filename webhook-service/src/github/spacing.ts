type Request<T> = (...args: unknown[]) => Promise<T>;

/**
 * The shape of a Bottleneck group as the throttling plugin uses it (`group.key(id).schedule(options, fn,
 * ...args)`), with one state per key (one installation) and `run` deciding when `fn` may go.
 */
function keyedGroup<S>(init: () => S, run: <T>(state: S, request: () => Promise<T>) => Promise<T>) {
  const states = new Map<string, S>();
  return {
    key(id: string) {
      let state = states.get(id);
      if (state === undefined) {
        state = init();
        states.set(id, state);
      }
      const keyed = state;
      return {
        schedule: <T>(_options: unknown, fn: Request<T>, ...args: unknown[]): Promise<T> =>
          run(keyed, () => fn(...args)),
      };
    },
  };
}

/**
 * A stand-in for the throttling plugin's Bottleneck write/notification groups: writes for one key (one
 * installation) start at least `minTimeMs` apart, in order. GitHub's secondary limits are per token; the
 * service also coalesces updates per pull request, so the default spacing can be small.
 */
export function spacingGroup(minTimeMs: number) {
  return keyedGroup(
    () => ({ next: 0 }),
    async (state, request) => {
      const now = Date.now();
      const at = Math.max(now, state.next);
      state.next = at + minTimeMs;
      if (at > now) await new Promise((r) => setTimeout(r, at - now));
      return request();
    },
  );
}

/**
 * A stand-in for the throttling plugin's global Bottleneck group, which lets only 10 requests of one
 * installation run at once: ten pull requests evaluated together (each reads about eight things at once)
 * queued behind it for hundreds of milliseconds. GitHub allows 100 concurrent requests per token
 * (REST and GraphQL together; a secondary limit); this allows `max` per installation and process.
 */
export function concurrencyGroup(max: number) {
  return keyedGroup(
    () => ({ running: 0, waiting: [] as (() => void)[] }),
    async (lane, request) => {
      if (lane.running >= max) await new Promise<void>((r) => lane.waiting.push(r));
      lane.running++;
      try {
        return await request();
      } finally {
        lane.running--;
        lane.waiting.shift()?.();
      }
    },
  );
}
