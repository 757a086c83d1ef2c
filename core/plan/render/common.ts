import { KIND_ORDER } from "../actions.ts";
import type { ResourceChange, ReviewKind } from "../types.ts";

/** Count columns, in the order every renderer shows them. */
export const COUNT_COLUMNS: readonly { readonly kind: ReviewKind; readonly label: string }[] = [
  { kind: "create", label: "create" },
  { kind: "update", label: "update" },
  { kind: "replace", label: "replace" },
  { kind: "delete", label: "delete" },
  { kind: "import", label: "import" },
  { kind: "move", label: "move" },
  { kind: "read", label: "read" },
  { kind: "forget", label: "forget" },
  { kind: "noop", label: "no-op" },
  { kind: "unknown", label: "unknown" },
];

/** Changes in review order: destructive kinds first, then by address. */
export function inReviewOrder(changes: readonly ResourceChange[]): ResourceChange[] {
  const ranked = changes.map((c) => ({ c, rank: KIND_ORDER.indexOf(c.kind) }));
  ranked.sort(
    (a, b) => a.rank - b.rank || (a.c.address < b.c.address ? -1 : a.c.address > b.c.address ? 1 : 0),
  );
  return ranked.map((r) => r.c);
}

/** Changes grouped per module ("" is the root module), modules in order of their first change. */
export function byModule(changes: readonly ResourceChange[]): Map<string, ResourceChange[]> {
  const groups = new Map<string, ResourceChange[]>();
  for (const change of changes) {
    const list = groups.get(change.moduleAddress);
    if (list) list.push(change);
    else groups.set(change.moduleAddress, [change]);
  }
  return groups;
}

/** Control characters in an address or key, written as escapes so each stays on one line. */
export function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: replacing control characters is the point
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
