import { compileGlobs, type GlobMatcher, globRegExp, requiredLiterals } from "./globs.ts";

/** One usable line of a CODEOWNERS file. */
interface OwnerEntry {
  /** Where the line is in the file, for "the last matching line wins". */
  readonly index: number;
  readonly pattern: string;
  readonly match: (path: string) => boolean;
  /** The same test split for a path "dir/name": true when `inDir(dir)` or `byName(path, name)` is. */
  readonly inDir?: GlobMatcher;
  readonly byName?: (path: string, name: string) => boolean;
  /** For an unanchored line decided by the file name: a literal the name must contain and its expression. */
  readonly name?: { readonly literal: string; readonly re: RegExp };
  /** Owners as written: "@login", "@org/team" or an e-mail address. */
  readonly owners: readonly string[];
}

export interface Codeowners {
  /** Owners of a path by GitHub's rule (the last matching line wins); undefined when no line matches. */
  readonly ownersOf: (path: string) => readonly string[] | undefined;
  /**
   * Owners of many paths at once, as `ownersOf` gives them one by one; faster for a pull request's files, as
   * the lines that match a file's directory are worked out once per directory of this call.
   */
  readonly ownersOfAll: (paths: readonly string[]) => (readonly string[] | undefined)[];
  /** Lines GitHub would ignore, with why. */
  readonly warnings: readonly string[];
}

/**
 * Compiles a gitignore-style CODEOWNERS pattern: a leading or inner slash anchors it at the root, otherwise
 * it matches at any depth; it matches a file of that name or anything under a directory of that name, or only
 * under a directory when it ends with a slash; "dir/*" matches only the files directly in dir, as on GitHub.
 * One regular expression per line, behind literal pre-checks.
 *
 * Also gives the test split by directory, exact for a path "dir/name" whose segments are all proper names
 * (not empty, "." or ".."): a directory pattern "p/" matches when dir matches "p" or "p/**"; "p/*" when dir
 * matches "p"; any other "p" (i.e. "p" or "p/**") when dir matches "p" or "p/**", or the path matches "p".
 * An unanchored "x" matches when a segment of dir matches "x", or (unless "x/") the name does.
 * Only for patterns without "**" or extglob parentheses: whether picomatch lets a "**" segment match no
 * segment depends on what surrounds it, so such lines are tested on the whole path.
 */
function compileOwnerPattern(pattern: string): Pick<OwnerEntry, "match" | "inDir" | "byName" | "name"> {
  let p = pattern;
  const directory = p.endsWith("/");
  if (directory) p = p.slice(0, -1);
  const anchored = p.includes("/"); // a leading slash is a slash too
  if (p.startsWith("/")) p = p.slice(1);
  // Stryker disable next-line Regex: a broader test only sends more lines to the whole-path test, same owners
  const plain = !/\*\*|[()]/.test(p);
  const glob = anchored ? p : `**/${p}`;
  // GitHub: "docs/*" owns docs/getting-started.md but not docs/build-app/troubleshooting.md.
  const inFolder = !directory && glob.endsWith("/*");
  const match = compileGlobs(inFolder ? [glob] : directory ? [`${glob}/**/*`] : [glob, `${glob}/**`]);
  // Stryker disable next-line ConditionalExpression: testing every line on the whole path gives the same owners
  if (!plain) return { match, byName: match };
  if (!anchored) {
    const segment = compileGlobs([p]);
    const inDir = (dir: string) => dir.split("/").some(segment);
    if (directory) return { match, inDir };
    const name = { literal: requiredLiterals(p)[0] ?? "", re: globRegExp(p) };
    return { match, inDir, byName: (_, n) => segment(n), name };
  }
  if (inFolder) return { match, inDir: compileGlobs([p.slice(0, -2)]) };
  const inDir = compileGlobs([p, `${p}/**`]);
  if (directory) return { match, inDir };
  const whole = compileGlobs([p]);
  return { match, inDir, byName: (path) => whole(path) };
}

/** A directory path with an empty, "." or ".." segment (or empty itself), for which the split is not exact. */
// Stryker disable next-line Regex: a broader test only sends more directories to the whole-path test, which gives the same owners
const IMPROPER_DIR = /^$|^\/|\/$|\/\/|(?:^|\/)\.{1,2}(?:\/|$)/;

/**
 * For one directory: the owners of the latest line that matches it outright, and the later lines that may
 * still match by name (last line first); null when the directory is not a proper path.
 */
type DirectoryOwners = {
  readonly owners: readonly string[] | undefined;
  readonly byName: readonly OwnerEntry[];
} | null;

let last: { text: string; parsed: Codeowners } | undefined;

/** Parses CODEOWNERS; the last text parsed is kept, as the service evaluates the same base branch repeatedly. */
export function parseCodeowners(text: string): Codeowners {
  if (last?.text === text) return last.parsed;
  const parsed = parse(text);
  last = { text, parsed };
  return parsed;
}

function parse(text: string): Codeowners {
  const entries: OwnerEntry[] = [];
  const warnings: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const [pattern, ...owners] = raw
      .replace(/(^|\s)#.*/s, "")
      .trim()
      .split(/\s+/);
    if (!pattern) return; // a blank or comment line
    if (pattern.startsWith("!") || /\[.*\]/.test(pattern)) {
      warnings.push(`CODEOWNERS line ${i + 1}: '${pattern}' uses syntax GitHub does not support; ignored`);
      return;
    }
    entries.push({ index: i, pattern, ...compileOwnerPattern(pattern), owners });
  });
  // Lines anchored under a literal top-level directory are only tried for paths under it.
  const byRoot = new Map<string, OwnerEntry[]>();
  const anywhere: OwnerEntry[] = [];
  for (const entry of [...entries].reverse()) {
    const root = literalRoot(entry.pattern);
    if (root === undefined) anywhere.push(entry);
    else byRoot.set(root, [...(byRoot.get(root) ?? []), entry]);
  }
  const latestFirst = [...entries].reverse();
  const forDirectory = (dir: string): DirectoryOwners => {
    // Stryker disable next-line ConditionalExpression: every directory tested on the whole path: same owners
    if (IMPROPER_DIR.test(dir)) return null;
    const byName: OwnerEntry[] = [];
    for (const entry of latestFirst) {
      if (entry.inDir?.(dir)) return { owners: entry.owners, byName };
      // Stryker disable next-line ConditionalExpression: a line without byName is skipped by ownersOfAll's `?.`
      if (entry.byName) byName.push(entry);
    }
    return { owners: undefined, byName };
  };
  const ownersOf = (path: string): readonly string[] | undefined => {
    const slash = path.indexOf("/");
    // Stryker disable next-line EqualityOperator: "/x" looks up "" or "/x", neither of them a literal root
    const rooted = byRoot.get(slash < 0 ? path : path.slice(0, slash)) ?? [];
    let a = 0;
    let b = 0;
    // Both lists run from the last line up; take whichever line is later first.
    while (a < rooted.length || b < anywhere.length) {
      const ra = rooted[a];
      const rb = anywhere[b];
      // Stryker disable next-line EqualityOperator: two lines never have the same index
      const takeRooted = ra !== undefined && (rb === undefined || ra.index > rb.index);
      const entry = (takeRooted ? ra : rb) as OwnerEntry;
      if (takeRooted) a++;
      else b++;
      if (entry.match(path)) return entry.owners;
    }
    return undefined;
  };
  return {
    warnings,
    ownersOf,
    ownersOfAll(paths) {
      const directories = new Map<string, DirectoryOwners>();
      return paths.map((path) => {
        // Stryker disable next-line StringLiteral: lastIndexOf("") leaves the name empty: ownersOf, same owners
        const slash = path.lastIndexOf("/");
        const name = path.slice(slash + 1);
        // Stryker disable next-line EqualityOperator: "/x" (slash 0) has the improper directory "": ownersOf either way
        if (slash < 0 || name === "" || name === "." || name === "..") return ownersOf(path);
        const dir = path.slice(0, slash);
        let d = directories.get(dir);
        // Stryker disable next-line ConditionalExpression: a cache; working the directory out again gives the same
        if (d === undefined) {
          d = forDirectory(dir);
          // Stryker disable next-line CallExpression: a cache; working the directory out again gives the same
          directories.set(dir, d);
        }
        if (d === null) return ownersOf(path);
        for (const entry of d.byName) {
          // Unanchored lines inline (the usual "*.ext" kind): one or two native calls per line and file.
          const n = entry.name;
          if (n ? name.includes(n.literal) && n.re.test(name) : entry.byName?.(path, name))
            return entry.owners;
        }
        return d.owners;
      });
    },
  };
}

/** The literal first directory of an anchored pattern ("/docs/**" → "docs"), or undefined. */
function literalRoot(pattern: string): string | undefined {
  // Stryker disable next-line UnaryOperator: an index only: a line without a root (undefined) is tried for every path
  const p = pattern.endsWith("/") ? pattern.slice(0, -1) : pattern;
  // Stryker disable next-line ConditionalExpression: an index only: a line without a root is tried for every path
  if (!p.includes("/")) return undefined;
  // Stryker disable next-line MethodExpression: an index only: a leading "" segment gives no root, tried for every path
  const [first] = (p.startsWith("/") ? p.slice(1) : p).split("/");
  // Stryker disable next-line ConditionalExpression: an index only: a line without a root is tried for every path
  return first && !/[*?[\]{}!+@()\\]/.test(first) ? first : undefined;
}
