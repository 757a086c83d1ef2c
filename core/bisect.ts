/**
 * The largest n in [low, high] for which `fits(n)` holds, where `fits` is true at `low` and monotone (true up to
 * some n, false after), by bisection: about log2(high - low) calls of `fits`.
 *
 * Recursive rather than a loop on purpose: the depth is at most 53 for any safe integer range, and a broken bound
 * (in an edit, or a mutant under mutation testing) overflows the stack at once instead of spinning forever.
 */
export function largestFitting(low: number, high: number, fits: (n: number) => boolean): number {
  if (low >= high) return low;
  const mid = Math.ceil((low + high) / 2);
  return fits(mid) ? largestFitting(mid, high, fits) : largestFitting(low, mid - 1, fits);
}
