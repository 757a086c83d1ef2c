import { createHash } from "node:crypto";
import type { OutputChange, PlanReview, ResourceChange } from "./types.ts";

function changeRecord(c: ResourceChange): unknown[] {
  // A no-op or read applies nothing: its address and actions are all it contributes.
  const after = c.kind === "noop" || c.kind === "read" ? null : c.after;
  return [c.address, c.deposed ?? null, c.previousAddress ?? null, c.importing?.id ?? null, c.actions, after];
}

function outputRecord(o: OutputChange): unknown[] {
  return [o.name, o.actions, o.after];
}

/**
 * A stable digest of what applying the plan would do: the address, actions and masked planned value
 * of every resource and output change (a sensitive value contributes only whether it changed; an
 * unknown one only that it is unknown). Sorted by address, so it does not depend on terraform's
 * ordering; no timestamps, versions or run ids. Values before the change are left out: terraform
 * refuses to apply a saved plan whose prior state has changed ("stale plan"), so they bind nothing more.
 * SHA-512/256 (as strong as SHA-256, about twice as fast without SHA CPU extensions).
 * Format: "sha512-256:<hex>".
 */
export function planDigest(review: Pick<PlanReview, "changes" | "outputs">): string {
  const changes = [...review.changes].sort((a, b) =>
    a.address === b.address
      ? (a.deposed ?? "").localeCompare(b.deposed ?? "")
      : a.address < b.address
        ? -1
        : 1,
  );
  const outputs = [...review.outputs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // One native stringify and one hash update: far cheaper than one per change on large plans.
  // Masked markers serialize as their plain-object form, ExactNumber through its toJSON.
  const text = JSON.stringify([
    "sluice-plan-digest/v1",
    changes.map(changeRecord),
    outputs.map(outputRecord),
  ]);
  return `sha512-256:${createHash("sha512-256").update(text).digest("hex")}`;
}
