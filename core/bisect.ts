/**
 * The largest n in [low, high] for which `fits(n)` holds, where `fits` is true at `low` and monotone (true up to
 * some n, false after), by bisection: about log2(high - low) calls of `fits`.
 *
 * Each step halves the range, so 53 steps reach one number from any range of safe integers. A broken bound (in an
 * edit, or a mutant under mutation testing) throws at step 54 instead of calling `fits` until the stack or the
 * clock runs out.
 */
export function largestFitting(low: number, high: number, fits: (n: number) => boolean): number {
  const step = (lo: number, hi: number, depth: number): number => {
    if (lo >= hi) return lo;
    // Stryker disable next-line ConditionalExpression,EqualityOperator,StringLiteral: reached only by a broken bound (see above); a correct bisection returns first
    if (depth > 53) throw new Error(`bisection of [${low}, ${high}] did not converge`);
    // Not (lo + hi) / 2: that sum can pass 2^53 and round.
    const mid = lo + Math.ceil((hi - lo) / 2);
    // Stryker disable next-line ArithmeticOperator: the depth only feeds the guard above, which a correct bisection never reaches
    return fits(mid) ? step(mid, hi, depth + 1) : step(lo, mid - 1, depth + 1);
  };
  return step(low, high, 0);
}
