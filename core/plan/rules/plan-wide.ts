import type { RiskFinding } from "../findings.ts";
import type { NormalizedPlan } from "../types.ts";

/** Findings about the plan as a whole: errored or incomplete plans, deferred changes, failed checks, drift. */
export function planWideFindings(plan: NormalizedPlan): RiskFinding[] {
  const out: RiskFinding[] = [];
  if (plan.errored) {
    out.push({
      rule: "plan-errored",
      severity: "critical",
      address: "",
      reason: "terraform reported errors while planning: this plan is partial and must not be applied.",
    });
  }
  if (!plan.complete) {
    out.push({
      rule: "plan-incomplete",
      severity: "high",
      address: "",
      reason: "the plan is incomplete: applying it leaves changes for a later plan (see deferred changes).",
    });
  }
  for (const deferred of plan.deferred) {
    out.push({
      rule: "plan-incomplete",
      severity: "medium",
      address: deferred.change.address,
      resourceType: deferred.change.type,
      reason: `change deferred to a later plan (${deferred.reason}).`,
    });
  }
  for (const check of plan.checks) {
    if (check.status === "fail" || check.status === "error") {
      out.push({
        rule: "check-failed",
        severity: "high",
        address: check.address,
        reason: `${check.kind || "check"} ${check.status === "fail" ? "failed" : "errored"}${check.problems.length ? `: ${check.problems.join("; ")}` : "."}`,
      });
    }
  }
  for (const drifted of plan.drift) {
    out.push({
      rule: "drift",
      severity: "medium",
      address: drifted.address,
      resourceType: drifted.type,
      reason: `changed outside Terraform (${drifted.actions.join(", ")}) since the last apply.`,
    });
  }
  return out;
}
