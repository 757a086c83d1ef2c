import picomatch from "picomatch";

/** A compiled test of a string against a list of globs (any may match). */
export type GlobMatcher = (value: string) => boolean;

const NEVER: GlobMatcher = () => false;

/** Compiles globs once; `dot: true` so ".github/**" and "**" see dotfiles like a path list would. */
export function compileGlobs(patterns: readonly string[]): GlobMatcher {
  if (patterns.length === 0) return NEVER;
  return picomatch([...patterns], { dot: true });
}
