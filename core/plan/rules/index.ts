import { type RiskFinding, SEVERITIES } from "../findings.ts";
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

/** All findings of a plan, most severe first, then in plan order. */
export function findingsOf(plan: NormalizedPlan): RiskFinding[] {
  const out = planWideFindings(plan);
  for (const change of plan.changes) {
    // Most rules find nothing for most changes: a loop over an empty list costs less than its spread.
    for (const rule of CHANGE_RULES) for (const f of rule(change)) out.push(f);
  }
  // Array.prototype.sort is stable: findings of one severity keep plan order.
  return out
    .map((f) => ({ f, rank: SEVERITIES.indexOf(f.severity) }))
    .sort((a, b) => a.rank - b.rank)
    .map(({ f }) => f);
}
