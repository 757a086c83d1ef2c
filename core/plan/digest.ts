import { createHash, type Hash } from "node:crypto";
import type { OutputChange, PlanReview, ResourceChange } from "./types.ts";

function changeRecord(c: ResourceChange): unknown[] {
  // A no-op or read applies nothing: its address and actions are all it contributes.
  const after = c.kind === "noop" || c.kind === "read" ? null : c.after;
  return [c.address, c.deposed ?? null, c.previousAddress ?? null, c.importing?.id ?? null, c.actions, after];
}

function outputRecord(o: OutputChange): unknown[] {
  return [o.name, o.actions, o.after];
}

/** UTF-16 code unit order, the same on every machine. */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byAddress(a: ResourceChange, b: ResourceChange): number {
  return byText(a.address, b.address) || (a.deposed ?? "").localeCompare(b.deposed ?? "");
}

/** A sorted copy; terraform already sorts resource changes by address, so check before sorting. */
function sortedCopy<T>(items: readonly T[], compare: (a: T, b: T) => number): T[] {
  const copy = [...items];
  for (let i = 1; i < copy.length; i++) {
    // A stable sort of a list already in order is the list itself.
    // Stryker disable next-line ConditionalExpression,EqualityOperator: `true` and `>= 0` only sort a list in order (or with equal neighbours), which a stable sort leaves as it is (`false` and `<= 0` are killed)
    if (compare(copy[i - 1] as T, copy[i] as T) > 0) return copy.sort(compare);
  }
  return copy;
}

/**
 * Streams `JSON.stringify(records)` into the hash one record at a time: the bytes hashed are exactly
 * those of the whole text, but neither it nor its UTF-8 copy ever exists at once.
 */
function hashArray(hash: Hash, records: readonly unknown[]): void {
  hash.update("[");
  for (let i = 0; i < records.length; i++) {
    if (i > 0) hash.update(",");
    hash.update(JSON.stringify(records[i]));
  }
  hash.update("]");
}

/**
 * A stable digest of what applying the plan would do: the address, actions and masked planned value
 * of every resource and output change (a sensitive value contributes only whether it changed; an
 * unknown one only that it is unknown). Sorted by address, so it does not depend on terraform's
 * ordering; no timestamps, versions or run ids. Values before the change are left out: terraform
 * refuses to apply a saved plan whose prior state has changed ("stale plan"), so they bind nothing more.
 * SHA-512/256 (as strong as SHA-256, about twice as fast without SHA CPU extensions) of the UTF-8 of
 * `JSON.stringify(["sluice-plan-digest/v1", changeRecords, outputRecords])`, streamed record by record.
 * Format: "sha512-256:<hex>".
 */
export function planDigest(review: Pick<PlanReview, "changes" | "outputs">): string {
  const changes = sortedCopy(review.changes, byAddress);
  const outputs = [...review.outputs].sort((a, b) => byText(a.name, b.name));
  const hash = createHash("sha512-256");
  // Masked markers serialize as their plain-object form, ExactNumber through its toJSON.
  hash.update(`[${JSON.stringify("sluice-plan-digest/v1")},`);
  hashArray(hash, changes.map(changeRecord));
  hash.update(",");
  hashArray(hash, outputs.map(outputRecord));
  hash.update("]");
  return `sha512-256:${hash.digest("hex")}`;
}
