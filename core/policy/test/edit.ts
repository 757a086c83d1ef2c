/** A path into a parsed document: object keys and list indexes. */
export type Path = readonly (string | number)[];

/** Marks a field to leave out. */
export const MISSING = Symbol("missing");

/** `doc` with the value at `path` set to `value`, or left out for MISSING (changes `doc` and returns it). */
export function setAt<T extends Record<string, unknown>>(doc: T, path: Path, value: unknown): T {
  let parent: Record<string | number, unknown> = doc;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (value === MISSING) delete parent[last];
  else parent[last] = value;
  return doc;
}
