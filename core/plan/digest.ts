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

function byAddress(a: ResourceChange, b: ResourceChange): number {
  return a.address === b.address
    ? (a.deposed ?? "").localeCompare(b.deposed ?? "")
    : a.address < b.address
      ? -1
      : 1;
}

/** A sorted copy; terraform already sorts resource changes by address, so check before sorting. */
function sortedCopy<T>(items: readonly T[], compare: (a: T, b: T) => number): T[] {
  const copy = [...items];
  for (let i = 1; i < copy.length; i++) {
    // A stable sort of a list already in order is the list itself.
    if (compare(copy[i - 1] as T, copy[i] as T) > 0) return copy.sort(compare);
  }
  return copy;
}

/** Below V8's large-object size, so each chunk is young garbage that a scavenge frees at no cost. */
const CHUNK = 64 * 1024;

/**
 * Feeds text to a hash as UTF-8 in chunks of about CHUNK characters. Hashing is streaming, so the bytes
 * hashed are exactly those of the concatenated text; the whole text (about a third of the plan's size on
 * large plans) never exists at once, nor its UTF-8 copy.
 */
class Utf8Chunks {
  private parts: string[] = [];
  private length = 0;

  constructor(private readonly hash: Hash) {}

  push(text: string): void {
    this.parts.push(text);
    this.length += text.length;
    if (this.length >= CHUNK) this.flush();
  }

  flush(): void {
    if (this.length === 0) return;
    const text = this.parts.length === 1 ? (this.parts[0] as string) : this.parts.join("");
    // Pure ASCII is the same bytes in Latin-1 and UTF-8, and Latin-1 is a plain copy (cheaper to encode).
    this.hash.update(text, Buffer.byteLength(text, "utf8") === text.length ? "latin1" : "utf8");
    this.parts = [];
    this.length = 0;
  }
}

/** Streams `JSON.stringify(records)` into the chunks, one record at a time (same text as one stringify). */
function pushArray(out: Utf8Chunks, records: readonly unknown[]): void {
  out.push("[");
  for (let i = 0; i < records.length; i++) {
    if (i > 0) out.push(",");
    out.push(JSON.stringify(records[i]));
  }
  out.push("]");
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
  const outputs = [...review.outputs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const hash = createHash("sha512-256");
  const out = new Utf8Chunks(hash);
  // Masked markers serialize as their plain-object form, ExactNumber through its toJSON.
  out.push(`[${JSON.stringify("sluice-plan-digest/v1")},`);
  pushArray(out, changes.map(changeRecord));
  out.push(",");
  pushArray(out, outputs.map(outputRecord));
  out.push("]");
  out.flush();
  return `sha512-256:${hash.digest("hex")}`;
}
