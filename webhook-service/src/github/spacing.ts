/**
 * A stand-in for the throttling plugin's Bottleneck write/notification groups: writes for one key (one
 * installation) start at least `minTimeMs` apart, in order. GitHub's secondary limits are per token; the
 * service also coalesces updates per pull request, so the default spacing can be small.
 */
export function spacingGroup(minTimeMs: number) {
  const next = new Map<string, number>();
  return {
    key(id: string) {
      return {
        async schedule<T>(
          _options: unknown,
          fn: (...args: unknown[]) => Promise<T>,
          ...args: unknown[]
        ): Promise<T> {
          const now = Date.now();
          const at = Math.max(now, next.get(id) ?? 0);
          next.set(id, at + minTimeMs);
          if (at > now) await new Promise((r) => setTimeout(r, at - now));
          return fn(...args);
        },
      };
    },
  };
}

/**
 * A stand-in for the throttling plugin's global Bottleneck group, which lets only 10 requests of one
 * installation run at once: ten pull requests evaluated together (each reads about eight things at once)
 * queued behind it for hundreds of milliseconds. GitHub allows 100 concurrent requests per token
 * (REST and GraphQL together; a secondary limit); this allows `max` per installation and process.
 */
export function concurrencyGroup(max: number) {
  const lanes = new Map<string, { running: number; waiting: (() => void)[] }>();
  return {
    key(id: string) {
      return {
        async schedule<T>(
          _options: unknown,
          fn: (...args: unknown[]) => Promise<T>,
          ...args: unknown[]
        ): Promise<T> {
          let lane = lanes.get(id);
          if (!lane) {
            lane = { running: 0, waiting: [] };
            lanes.set(id, lane);
          }
          if (lane.running >= max) await new Promise<void>((r) => lane?.waiting.push(r));
          lane.running++;
          try {
            return await fn(...args);
          } finally {
            lane.running--;
            lane.waiting.shift()?.();
          }
        },
      };
    },
  };
}
