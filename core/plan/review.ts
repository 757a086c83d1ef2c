import { findingsOf } from "./rules/index.ts";
import type { NormalizedPlan, PlanCounts, PlanReview, ReviewKind } from "./types.ts";

/** Counts of planned changes per kind; each change counts once. */
export function countChanges(plan: NormalizedPlan): PlanCounts {
  const counts: Record<ReviewKind, number> = {
    create: 0,
    update: 0,
    delete: 0,
    replace: 0,
    read: 0,
    noop: 0,
    forget: 0,
    import: 0,
    move: 0,
    unknown: 0,
  };
  for (const change of plan.changes) counts[change.kind]++;
  return counts;
}

/** Reviews a parsed plan: counts and risk findings next to the (already masked) changes. */
export function reviewPlan(plan: NormalizedPlan): PlanReview {
  return { ...plan, counts: countChanges(plan), findings: findingsOf(plan) };
}
