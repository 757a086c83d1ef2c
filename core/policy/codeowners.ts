import { compileGlobs, type GlobMatcher } from "./globs.ts";

/** One usable line of a CODEOWNERS file. */
interface OwnerEntry {
  readonly line: number;
  readonly pattern: string;
  readonly match: (path: string) => boolean;
  /** Owners as written: "@login", "@org/team" or an e-mail address. */
  readonly owners: readonly string[];
}

export interface Codeowners {
  /** Owners of a path by GitHub's rule (the last matching line wins); undefined when no line matches. */
  readonly ownersOf: (path: string) => readonly string[] | undefined;
  /** Lines GitHub would ignore, with why. */
  readonly warnings: readonly string[];
}

/**
 * Compiles a gitignore-style CODEOWNERS pattern: a leading or inner slash anchors it at the root, otherwise
 * it matches at any depth; it matches a file of that name or anything under a directory of that name, or only
 * under a directory when it ends with a slash; "dir/*" matches only the files directly in dir, as on GitHub. One regular expression per line, behind literal pre-checks.
 */
function compileOwnerPattern(pattern: string): GlobMatcher {
  let p = pattern;
  const directory = p.endsWith("/");
  if (directory) p = p.slice(0, -1);
  const anchored = p.startsWith("/") || p.includes("/");
  if (p.startsWith("/")) p = p.slice(1);
  if (!anchored) p = `**/${p}`;
  // GitHub: "docs/*" owns docs/getting-started.md but not docs/build-app/troubleshooting.md.
  if (!directory && p.endsWith("/*")) return compileGlobs([p]);
  return compileGlobs(directory ? [`${p}/**/*`] : [p, `${p}/**`]);
}

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
    const line = raw.replace(/(^|\s)#.*$/, "").trim();
    if (!line) return;
    const [pattern, ...owners] = line.split(/\s+/);
    if (!pattern) return;
    if (pattern.startsWith("!") || /\[.*\]/.test(pattern)) {
      warnings.push(`CODEOWNERS line ${i + 1}: '${pattern}' uses syntax GitHub does not support; ignored`);
      return;
    }
    entries.push({
      line: i + 1,
      pattern,
      match: compileOwnerPattern(pattern),
      owners,
    });
  });
  // Lines anchored under a literal top-level directory are only tried for paths under it.
  const byRoot = new Map<string, OwnerEntry[]>();
  const anywhere: OwnerEntry[] = [];
  for (const entry of [...entries].reverse()) {
    const root = literalRoot(entry.pattern);
    if (root === undefined) anywhere.push(entry);
    else byRoot.set(root, [...(byRoot.get(root) ?? []), entry]);
  }
  return {
    warnings,
    ownersOf(path) {
      const slash = path.indexOf("/");
      const rooted = byRoot.get(slash < 0 ? path : path.slice(0, slash)) ?? [];
      let a = 0;
      let b = 0;
      // Both lists run from the last line up; take whichever line is later first.
      while (a < rooted.length || b < anywhere.length) {
        const ra = rooted[a];
        const rb = anywhere[b];
        const takeRooted = ra !== undefined && (rb === undefined || ra.line > rb.line);
        const entry = (takeRooted ? ra : rb) as OwnerEntry;
        if (takeRooted) a++;
        else b++;
        if (entry.match(path)) return entry.owners;
      }
      return undefined;
    },
  };
}

/** The literal first directory of an anchored pattern ("/docs/**" → "docs"), or undefined. */
function literalRoot(pattern: string): string | undefined {
  const p = pattern.endsWith("/") ? pattern.slice(0, -1) : pattern;
  if (!(p.startsWith("/") || p.includes("/"))) return undefined;
  const first = (p.startsWith("/") ? p.slice(1) : p).split("/")[0] ?? "";
  return first && !/[*?[\]{}!+@()\\]/.test(first) ? first : undefined;
}
