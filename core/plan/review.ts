import { CHANGE_KINDS } from "./findings.ts";
import { findingsOf } from "./rules/index.ts";
import type { NormalizedPlan, PlanCounts, PlanReview, ReviewKind } from "./types.ts";

/** Every kind a change can be classified as, in the order counts list them. */
const REVIEW_KINDS: readonly ReviewKind[] = [...CHANGE_KINDS, "unknown"];

/** Counts of planned changes per kind; each change counts once. */
export function countChanges(plan: NormalizedPlan): PlanCounts {
  const counts = Object.fromEntries(REVIEW_KINDS.map((kind) => [kind, 0])) as Record<ReviewKind, number>;
  for (const change of plan.changes) counts[change.kind]++;
  return counts;
}

/** Reviews a parsed plan: counts and risk findings next to the (already masked) changes. */
export function reviewPlan(plan: NormalizedPlan): PlanReview {
  return { ...plan, counts: countChanges(plan), findings: findingsOf(plan) };
}
