import { CHANGE_KINDS } from "./findings.ts";
import { findingsOf } from "./rules/index.ts";
import type { NormalizedPlan, PlanCounts, PlanReview, PlanSummary, ReviewKind } from "./types.ts";

/** Every kind a change can be classified as, in the order counts list them. */
const REVIEW_KINDS: readonly ReviewKind[] = [...CHANGE_KINDS, "unknown"];

const updates = (actions: readonly string[]) => actions.length === 1 && actions[0] === "update";

/**
 * Counts of planned changes per kind. Each change counts once under its kind, except an import that
 * also updates: terraform counts it "to import" and "to change", and so do these counts.
 */
export function countChanges(plan: NormalizedPlan): PlanCounts {
  const counts = Object.fromEntries(REVIEW_KINDS.map((kind) => [kind, 0])) as Record<ReviewKind, number>;
  for (const change of plan.changes) {
    counts[change.kind]++;
    if (change.kind === "import" && updates(change.actions)) counts.update++;
  }
  return counts;
}

/**
 * The numbers of terraform's "Plan: X to import, Y to add, Z to change, W to destroy." line, computed as
 * terraform does (internal/command/jsonformat/plan.go): a replace adds and destroys (create-then-forget
 * only adds), an import that updates also changes, a pure move changes nothing, and a data source
 * dropped from state is not a destroy.
 */
export function planSummary(plan: NormalizedPlan): PlanSummary {
  let imports = 0;
  let add = 0;
  let change = 0;
  let destroy = 0;
  for (const c of plan.changes) {
    if (c.importing) imports++;
    if (updates(c.actions)) change++;
    else if (c.kind === "create") add++;
    else if (c.kind === "delete" && c.mode === "managed") destroy++;
    else if (c.kind === "replace") {
      add++;
      if (c.replaceOrder !== "create-then-forget") destroy++;
    }
  }
  return { import: imports, add, change, destroy };
}

/** Terraform's summary line, for renderers. */
export function summaryLine(summary: PlanSummary): string {
  const imports = summary.import > 0 ? `${summary.import} to import, ` : "";
  return `Plan: ${imports}${summary.add} to add, ${summary.change} to change, ${summary.destroy} to destroy.`;
}

/** Reviews a parsed plan: counts and risk findings next to the (already masked) changes. */
export function reviewPlan(plan: NormalizedPlan): PlanReview {
  return { ...plan, counts: countChanges(plan), summary: planSummary(plan), findings: findingsOf(plan) };
}
