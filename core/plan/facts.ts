import { planDigest } from "./digest.ts";
import type { PlanFacts } from "./findings.ts";
import type { PlanReview } from "./types.ts";

/**
 * The facts the policy engine tests. A change whose action list is unknown is reported as a replace
 * (the most conservative kind) with `unknownActions` set.
 */
export function planFacts(review: PlanReview, digest: string = planDigest(review)): PlanFacts {
  return {
    digest,
    changes: review.changes.map((c) => ({
      address: c.address,
      type: c.type,
      kind: c.kind === "unknown" ? "replace" : c.kind,
      actions: c.actions,
      ...(c.kind === "unknown" ? { unknownActions: true } : {}),
    })),
    findings: review.findings,
    drift: review.drift.map((d) => ({ address: d.address, type: d.type })),
    errored: review.errored || !review.complete,
    complete: review.complete,
  };
}
