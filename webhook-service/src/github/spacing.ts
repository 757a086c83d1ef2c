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
