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

/**
 * The literal every match starts with, read from the regular expression itself ("gitops/envs/dev/**" →
 * "gitops/envs/dev"), so a `startsWith` can turn most strings away without scanning them; "" when none.
 */
export function leadingLiteral(re: RegExp): string {
  const source = re.source;
  if (!source.startsWith("^(?:")) return "";
  let out = "";
  let i = 4;
  // A regular expression's source is valid: the group that "^(?:" opens is closed by a ")", where this scan and
  // the one of `alternatives` stop at the latest, and a "\\" is followed by the character it escapes.
  for (;;) {
    const c = source[i] as string;
    if (c === "\\" && /[./-]/.test(source[i + 1] as string)) {
      out += source[i + 1];
      i += 2;
    } else if (/[A-Za-z0-9_/-]/.test(c)) {
      out += c;
      i++;
    } else break;
  }
  if (alternatives(source, 4)) return "";
  // A quantifier may follow and make the last character read optional or repeated.
  return /[?*+{]/.test(source[i] as string) ? out.slice(0, -1) : out;
}

/**
 * Whether the group opened just before `start` holds a "|" of its own (then no literal leads every match). The scan
 * ends at the group's ")" at the latest (see `leadingLiteral`).
 */
function alternatives(source: string, start: number): boolean {
  let depth = 0;
  for (let i = start; ; i++) {
    const c = source[i];
    if (c === "\\") i++;
    else if (c === "[") {
      // A regular expression's source closes every class, so the scan ends at its "]".
      i++;
      while (source[i] !== "]") i += source[i] === "\\" ? 2 : 1;
    } else if (c === "(") depth++;
    else if (c === ")") {
      if (depth === 0) return false;
      depth--;
    } else if (c === "|" && depth === 0) return true;
  }
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
