import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parsePlan } from "../plan/parse.ts";
import { planCostFacts, pricingRegion } from "./plan-cost.ts";
import { parsePriceData } from "./prices.ts";

const PLAN_FILE = new URL("./test/rds-class-change.plan.json", import.meta.url);
const prices = parsePriceData(
  readFileSync(new URL("./aws-prices.json", import.meta.url), "utf8"),
  "core/cost/aws-prices.json",
);

describe("planCostFacts", () => {
  it("prices a plan's changes in its provider's region, as the policy's cost facts", () => {
    const text = readFileSync(PLAN_FILE, "utf8");
    const plan = parsePlan(text, "rds-class-change.plan.json");
    expect(pricingRegion(plan, text)).toBe("eu-west-1");
    // eu-west-1 Multi-AZ db.m7g.large → db.m7g.2xlarge: (1.50302 − 0.37464) × 730 hours.
    expect(planCostFacts(plan, text, prices)).toMatchObject({
      currency: "USD",
      diffTotalMonthlyCost: "823.7174",
    });
  });

  it("gives no cost (so cost conditions fail closed) for a plan it cannot place in a priced region", () => {
    const text = readFileSync(PLAN_FILE, "utf8").replaceAll("eu-west-1", "xx-nowhere-9");
    const plan = parsePlan(text, "elsewhere.plan.json");
    expect(pricingRegion(plan, text)).toBe("xx-nowhere-9");
    expect(planCostFacts(plan, text, prices)).toBeUndefined();
  });

  it("prices a plan that changes no AWS resource at zero, though it names no region", () => {
    const text = JSON.stringify({
      format_version: "1.2",
      terraform_version: "1.9.0",
      resource_changes: [
        {
          address: "helm_release.orders",
          mode: "managed",
          type: "helm_release",
          name: "orders",
          provider_name: "registry.terraform.io/hashicorp/helm",
          change: { actions: ["update"], before: { version: "1" }, after: { version: "2" } },
        },
      ],
    });
    const plan = parsePlan(text, "helm.plan.json");
    expect(planCostFacts(plan, text, prices)).toMatchObject({ diffTotalMonthlyCost: "0" });
  });
});
