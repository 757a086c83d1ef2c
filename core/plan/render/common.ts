import { KIND_ORDER } from "../actions.ts";
import type { PlanCounts, ResourceChange, ReviewKind } from "../types.ts";

interface CountColumn {
  readonly kind: ReviewKind;
  readonly label: string;
}

/** Count columns, in the order every renderer shows them. */
const COUNT_COLUMNS: readonly CountColumn[] = [
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

/** The count columns a review shows: "unknown" only when some change has an unknown action list. */
export function countColumns(counts: PlanCounts): readonly CountColumn[] {
  return COUNT_COLUMNS.filter((c) => c.kind !== "unknown" || counts.unknown > 0);
}

interface Ranked {
  readonly c: ResourceChange;
  readonly rank: number;
}

/** Addresses in code-unit order; 0 for one address (deposed objects share it), so ties keep their input order. */
function compareAddresses(a: string, b: string): number {
  if (a < b) return -1;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: they swap 0 and 1 for a tie or a later address, and V8's sort (like byModuleInReviewOrder) only asks whether compare(later, earlier) is negative
  return a === b ? 0 : 1;
}

/** Kind order, then address; 0 for a tie, which Array.prototype.sort (stable) and byModuleInReviewOrder leave in input order. */
function compareRanked(a: Ranked, b: Ranked): number {
  return a.rank - b.rank || compareAddresses(a.c.address, b.c.address);
}

function ranked(changes: readonly ResourceChange[]): Ranked[] {
  return changes.map((c) => ({ c, rank: KIND_ORDER.indexOf(c.kind) }));
}

/** Changes in review order: destructive kinds first, then by address. */
export function inReviewOrder(changes: readonly ResourceChange[]): ResourceChange[] {
  return ranked(changes)
    .sort(compareRanked)
    .map((r) => r.c);
}

/**
 * The same as `byModule(inReviewOrder(changes))`, but each module's changes are sorted only when the
 * caller reaches that module: a size-limited renderer stops after a few modules of a large plan.
 */
export function* byModuleInReviewOrder(
  changes: readonly ResourceChange[],
): Generator<[string, ResourceChange[]]> {
  const groups = new Map<string, { list: ResourceChange[]; first: Ranked }>();
  for (const r of ranked(changes)) {
    const group = groups.get(r.c.moduleAddress);
    if (!group) groups.set(r.c.moduleAddress, { list: [r.c], first: r });
    else {
      group.list.push(r.c);
      // Stryker disable next-line EqualityOperator: "<=" keeps the later of a tie, which has the same kind and address, all that modules are sorted by
      if (compareRanked(r, group.first) < 0) group.first = r;
    }
  }
  // A module comes where its first change in review order comes.
  const modules = [...groups].sort((a, b) => compareRanked(a[1].first, b[1].first));
  for (const [module, { list }] of modules) yield [module, inReviewOrder(list)];
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
