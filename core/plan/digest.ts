import { createHash } from "node:crypto";
import type { OutputChange, PlanReview, ResourceChange } from "./types.ts";

function changeRecord(c: ResourceChange): unknown[] {
  return [
    c.address,
    c.deposed ?? null,
    c.previousAddress ?? null,
    c.importing?.id ?? null,
    c.actions,
    c.before,
    c.after,
  ];
}

function outputRecord(o: OutputChange): unknown[] {
  return [o.name, o.actions, o.before, o.after];
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
  const hash = createHash("sha512-256");
  hash.update("sluice-plan-digest/v1\n");
  const changes = [...review.changes].sort((a, b) =>
    a.address === b.address
      ? (a.deposed ?? "").localeCompare(b.deposed ?? "")
      : a.address < b.address
        ? -1
        : 1,
  );
  for (const change of changes) {
    // Masked and ExactNumber values serialize through their toJSON.
    hash.update(JSON.stringify(changeRecord(change)));
    hash.update("\n");
  }
  const outputs = [...review.outputs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const output of outputs) {
    hash.update(JSON.stringify(["output", ...outputRecord(output)]));
    hash.update("\n");
  }
  return `sha512-256:${hash.digest("hex")}`;
}
