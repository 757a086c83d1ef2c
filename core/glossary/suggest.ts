/** The shortest unknown token that gets suggestions. */
export const MIN_SUGGESTIBLE = 3;

/**
 * Closest glossary tokens to an unknown token, by optimal-string-alignment edit distance
 * (insert, delete, substitute, swap two neighbours), bounded so each comparison stops early.
 */
export function closestTokens(token: string, candidates: readonly string[], limit = 3): string[] {
  // One or two characters are an edit or two from half the vocabulary ('1b' → 'db', 'a' → 'q'): any
  // suggestion would be a guess, and no suggestion beats a wrong one.
  if (token.length < MIN_SUGGESTIBLE) return [];
  const bound = Math.max(1, Math.min(3, Math.floor(token.length / 3)));
  const scored: { candidate: string; distance: number }[] = [];
  for (const candidate of candidates) {
    const distance =
      // Stryker disable next-line ConditionalExpression: a fast path only: the edit distance is at least the difference in length
      Math.abs(candidate.length - token.length) > bound
        ? bound + 1
        : boundedDistance(token, candidate, bound);
    if (distance <= bound) scored.push({ candidate, distance });
    // A long unknown word that starts with a term (e.g. "databases") still deserves it.
    else if (candidate.length >= 3 && token.startsWith(candidate)) scored.push({ candidate, distance });
  }
  scored.sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate));
  return scored.slice(0, limit).map((s) => s.candidate);
}

/** Edit distance between a and b, or bound + 1 as soon as it must exceed bound. */
export function boundedDistance(a: string, b: string, bound: number): number {
  const n = b.length;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + cost,
      );
      // In the first row and column a[i - 2] or b[j - 2] is undefined, equal to no character.
      if (a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, (prevPrev[j - 2] as number) + 1);
      }
      row.push(value);
      rowMin = Math.min(rowMin, value);
    }
    // Stryker disable next-line ConditionalExpression: a fast path only: the last row's value is capped at bound + 1 below
    if (rowMin > bound) return bound + 1;
    prevPrev = prev;
    prev = row;
  }
  return Math.min(prev[n] as number, bound + 1);
}
