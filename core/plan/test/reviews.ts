/** Small hand-made reviews for exact-output renderer tests. */
import { CHANGE_KINDS, type RiskFinding } from "../findings.ts";
import type { PlanCounts, PlanReview, ResourceChange, ReviewKind } from "../types.ts";

const KINDS: readonly ReviewKind[] = [...CHANGE_KINDS, "unknown"];

/** Counts with every kind at 0, then `some`. */
export function counts(some: Partial<Record<ReviewKind, number>> = {}): PlanCounts {
  return { ...(Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<ReviewKind, number>), ...some };
}

/** A change to `address` ("module.m.aws_x.y" gives module "module.m"), an update of {} by default. */
export function change(address: string, more: Partial<ResourceChange> = {}): ResourceChange {
  const parts = address.split(".");
  const moduleAddress = address.startsWith("module.") ? parts.slice(0, 2).join(".") : "";
  const kind = more.kind ?? "update";
  return {
    address,
    moduleAddress,
    mode: "managed",
    type: parts.at(-2) ?? "",
    name: parts.at(-1) ?? "",
    actions: [kind === "delete" ? "delete" : kind === "create" ? "create" : "update"],
    kind,
    destructive: kind === "delete" || kind === "replace" || kind === "unknown",
    before: {},
    after: {},
    ...more,
  };
}

export function finding(
  severity: RiskFinding["severity"],
  rule: string,
  address: string,
  reason = "why",
): RiskFinding {
  return { severity, rule, address, reason };
}

/** A review with nothing in it but what `more` gives. */
export function reviewOf(more: Partial<PlanReview> = {}): PlanReview {
  return {
    source: "plan.json",
    formatVersion: "1.2",
    changes: [],
    drift: [],
    outputs: [],
    deferred: [],
    checks: [],
    errored: false,
    complete: true,
    applyable: true,
    notes: [],
    warnings: [],
    counts: counts(),
    summary: { import: 0, add: 0, change: 0, destroy: 0 },
    findings: [],
    ...more,
  };
}
