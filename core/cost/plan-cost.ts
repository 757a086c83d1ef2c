import type { PlanCost } from "../plan/findings.ts";
import type { NormalizedPlan } from "../plan/types.ts";
import { costFacts, diffPlan, planRegion } from "./diff.ts";
import type { PriceBook } from "./prices.ts";
import type { Usage } from "./usage.ts";

/** The `region` attribute of a resource's values, when it is a literal string. */
export function valuesRegion(value: unknown): string | undefined {
  const region = (value as { region?: unknown } | null)?.region;
  return typeof region === "string" ? region : undefined;
}

/** The region a plan's resources are priced in: its aws provider's, else the first a resource names. */
export function pricingRegion(plan: NormalizedPlan, text: string): string | undefined {
  return (
    planRegion(text) ?? plan.changes.map((c) => valuesRegion(c.after) ?? valuesRegion(c.before)).find(Boolean)
  );
}

/**
 * The cost block of a plan's facts, as the policy engine reads it. Undefined when the plan changes AWS
 * resources it cannot place in a priced region: cost conditions then fail closed. A plan that changes no
 * AWS resource (say only Helm releases) costs nothing to price, whatever its region.
 */
export function planCostFacts(
  plan: NormalizedPlan,
  text: string,
  prices: PriceBook,
  usage?: Usage,
): PlanCost | undefined {
  const touchesAws = plan.changes.some((c) => c.type.startsWith("aws_"));
  const region = pricingRegion(plan, text) ?? (touchesAws ? undefined : prices.regions[0]);
  if (!region || !prices.regions.includes(region)) return undefined;
  return costFacts(diffPlan(plan, prices, { region, ...(usage && { usage }) }));
}
