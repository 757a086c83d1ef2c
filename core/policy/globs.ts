import picomatch from "picomatch";

/** A compiled test of a string against a list of globs (any may match). */
export type GlobMatcher = (value: string) => boolean;

/**
 * Runs of characters every match must contain, used as cheap `includes` pre-checks before the regular
 * expression, longest (most selective) first. Only the part before any brace, extglob or class is read (those
 * hold alternatives), and slashes at the ends of a run are dropped ("a/**" also matches "a").
 */
export function requiredLiterals(pattern: string): string[] {
  // `split` always returns at least one piece.
  const head = pattern.split(/[{}()[\]!+@\\]/)[0] as string;
  return head
    .split(/[*?]/)
    .map((piece) => piece.replace(/^\/+|\/+$/g, ""))
    .filter((piece) => piece.length > 0)
    .sort((a, b) => b.length - a.length);
}

/** A test that every literal run is in the string before the (costlier) regular expression runs. */
export function withLiterals(literals: readonly string[], re: RegExp): GlobMatcher {
  const [first, second] = literals;
  if (first === undefined) return (s) => re.test(s);
  if (second === undefined) return (s) => s.includes(first) && re.test(s);
  return (s) => s.includes(first) && s.includes(second) && re.test(s);
}

/** What may lead a glob's regular expression as a literal: a letter, digit, "_", "/", "-", or an escaped ".", "/", "-". */
const LEADING = /(?:\\[./-]|[\w/-])*/y;

/**
 * The literal every match starts with, read from the regular expression itself ("gitops/envs/dev/**" →
 * "gitops/envs/dev"), so a `startsWith` can turn most strings away without scanning them; "" when none.
 */
export function leadingLiteral(re: RegExp): string {
  const source = re.source;
  if (!source.startsWith("^(?:") || alternatives(source, 4)) return "";
  LEADING.lastIndex = 4;
  // A sticky match of a pattern that may match nothing always matches.
  const run = (LEADING.exec(source) as RegExpExecArray)[0];
  const out = run.replace(/\\(.)/g, "$1");
  // A quantifier may follow and make the last character read optional or repeated.
  return /[?*+{]/.test(source.charAt(4 + run.length)) ? out.slice(0, -1) : out;
}

/** The pieces of a regular expression's source that matter to `alternatives`: an escape, a class, a bracket, a "|". */
const PIECES = /\\.|\[(?:\\.|[^\\\]])*\]|[()|]/g;

/**
 * Whether the group opened just before `start` holds a "|" of its own (then no literal leads every match). Read as
 * pieces, not characters, so that no escape or class is taken for a bracket.
 */
function alternatives(source: string, start: number): boolean {
  let depth = 0;
  for (const [piece] of source.slice(start).matchAll(PIECES)) {
    if (piece === "(") depth++;
    else if (piece === ")") {
      if (depth === 0) return false;
      depth--;
    } else if (piece === "|" && depth === 0) return true;
  }
  // Stryker disable next-line BooleanLiteral: a regular expression's source closes the group "^(?:" opens, so its ")" ends the scan first
  return false;
}

/** The regular expression of one glob; `dot: true` so ".github/**" and "**" see dotfiles like a path list would. */
export function globRegExp(pattern: string): RegExp {
  return picomatch.makeRe(pattern, { dot: true });
}

/** Compiles one glob (see `globRegExp`), behind literal pre-checks. */
export function compileGlob(pattern: string): GlobMatcher {
  const re = globRegExp(pattern);
  const rest = withLiterals(requiredLiterals(pattern), re);
  const lead = leadingLiteral(re);
  return lead ? (s) => s.startsWith(lead) && rest(s) : rest;
}

/**
 * Compiles globs once into one regular expression; the matcher is true when any of them matches (none when
 * there are no globs). Pre-checks on literals turn most strings away before the regular expression runs.
 */
export function compileGlobs(patterns: readonly string[]): GlobMatcher {
  if (patterns.length === 1) return compileGlob(patterns[0] as string);
  const res = patterns.map(globRegExp);
  // Each source keeps its own ^ and $ (picomatch may leave inner anchors too): all whole-string inside the group.
  const re = new RegExp(`^(?:${res.map((r) => `(?:${r.source})`).join("|")})$`);
  const leads = res.map(leadingLiteral);
  if (leads.every((l) => l.length > 0)) {
    return (s) => {
      for (const l of leads) if (s.startsWith(l)) return re.test(s);
      return false;
    };
  }
  const firsts = patterns.map((p) => requiredLiterals(p)[0]);
  if (firsts.some((l) => l === undefined)) return (s) => re.test(s);
  const literals = firsts as string[];
  return (s) => {
    for (const l of literals) if (s.includes(l)) return re.test(s);
    return false;
  };
}
