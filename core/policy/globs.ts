import picomatch from "picomatch";

/** A compiled test of a string against a list of globs (any may match). */
export type GlobMatcher = (value: string) => boolean;

const NEVER: GlobMatcher = () => false;

/**
 * Runs of characters every match must contain, used as cheap `includes` pre-checks before the regular
 * expression. Only the part before any brace, extglob or class is read (those hold alternatives), and
 * slashes at the ends of a run are dropped ("a/**" also matches "a").
 */
export function requiredLiterals(pattern: string): string[] {
  const head = pattern.split(/[{}()[\]!+@\\]/)[0] ?? "";
  return head
    .split(/[*?]+/)
    .map((piece) => piece.replace(/^\/+|\/+$/g, ""))
    .filter((piece) => piece.length > 0)
    .sort((a, b) => b.length - a.length);
}

/**
 * The regular-expression source of a glob without its outer ^ and $, for joining into one alternation
 * (picomatch may leave inner anchors, which still mean whole-string there).
 */
export function globSource(pattern: string): string {
  const source = picomatch.makeRe(pattern, { dot: true }).source;
  return source.slice(1, -1);
}

/** A test that every literal run is in the string before the (costlier) regular expression runs. */
export function withLiterals(literals: readonly string[], re: RegExp): GlobMatcher {
  const [first, second] = literals;
  if (first === undefined) return (s) => re.test(s);
  if (second === undefined) return (s) => s.includes(first) && re.test(s);
  return (s) => s.includes(first) && s.includes(second) && re.test(s);
}

/** Compiles one glob; `dot: true` so ".github/**" and "**" see dotfiles like a path list would. */
export function compileGlob(pattern: string): GlobMatcher {
  return withLiterals(requiredLiterals(pattern), picomatch.makeRe(pattern, { dot: true }));
}

/** Compiles globs once into one regular expression; the matcher is true when any of them matches. */
export function compileGlobs(patterns: readonly string[]): GlobMatcher {
  if (patterns.length === 0) return NEVER;
  if (patterns.length === 1) return compileGlob(patterns[0] as string);
  const re = new RegExp(`^(?:${patterns.map((p) => `(?:${globSource(p)})`).join("|")})$`);
  const firsts = patterns.map((p) => requiredLiterals(p)[0]);
  if (firsts.some((l) => l === undefined)) return (s) => re.test(s);
  const literals = firsts as string[];
  return (s) => {
    for (const l of literals) if (s.includes(l)) return re.test(s);
    return false;
  };
}
