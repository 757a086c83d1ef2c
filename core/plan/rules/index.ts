import type { RiskFinding, Severity } from "../findings.ts";
import type { NormalizedPlan } from "../types.ts";
import type { ChangeRule } from "./access.ts";
import { exposureRule } from "./exposure.ts";
import { iamChangeRule, policyRule } from "./iam.ts";
import { openIngressRule } from "./network.ts";
import { planWideFindings } from "./plan-wide.ts";
import { safeguardRule } from "./protection.ts";
import { destroyRule, unknownActionRule } from "./stateful.ts";

/** Every rule that looks at a single planned change. */
export const CHANGE_RULES: readonly ChangeRule[] = [
  unknownActionRule,
  destroyRule,
  iamChangeRule,
  policyRule,
  openIngressRule,
  safeguardRule,
  exposureRule,
];

export const SEVERITY_ORDER: readonly Severity[] = ["critical", "high", "medium", "low", "info"];

/** All findings of a plan, most severe first, then in plan order. */
export function findingsOf(plan: NormalizedPlan): RiskFinding[] {
  const out = planWideFindings(plan);
  for (const change of plan.changes) for (const rule of CHANGE_RULES) out.push(...rule(change));
  const rank = (f: RiskFinding) => SEVERITY_ORDER.indexOf(f.severity);
  return out
    .map((f, i) => ({ f, i }))
    .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
    .map(({ f }) => f);
}
