import { describe, expect, it } from "vitest";
import type { PlanCost } from "../plan/findings.ts";
import { evaluate } from "./evaluate.ts";
import { parsePolicy } from "./parse.ts";
import { fakeContext, TUESDAY_10 } from "./test/fake-context.ts";

const POLICY = (condition: string) => `version: 1
teams: { platform: sluice-dev/platform }
environments:
  prod: { stacks: ["prod-*"] }
  dev: { stacks: ["dev-*"] }
rules:
  - name: cost-jump
    if:
      environments: [prod]
      cost: ${condition}
    requires:
      approvals: { count: 1, from: { teams: [platform] } }
`;

const cost = (past: string, total: string): PlanCost => ({
  currency: "USD",
  pastTotalMonthlyCost: past,
  totalMonthlyCost: total,
  diffTotalMonthlyCost: "0",
});

function decide(condition: string, stacks: { name: string; cost?: PlanCost }[]) {
  const policy = parsePolicy(POLICY(condition), "change-control.yaml");
  if (!policy.ok) throw new Error(JSON.stringify(policy.errors));
  const context = fakeContext();
  const ctx = {
    ...context,
    plan: {
      commit: context.headSha,
      stacks: stacks.map((s) => ({
        name: s.name,
        facts: {
          digest: `d-${s.name}`,
          changes: [],
          findings: [],
          drift: [],
          errored: false,
          ...(s.cost && { cost: s.cost }),
        },
      })),
    },
  };
  const rule = evaluate(policy.value, ctx, TUESDAY_10).rules.find((r) => r.name === "cost-jump");
  return rule;
}

describe("the cost predicate", () => {
  it("applies when prod rises by more than the USD limit, summed over prod's stacks", () => {
    const r = decide("{ monthly_increase_over: 500 }", [
      { name: "prod-platform", cost: cost("100", "450") },
      { name: "prod-network", cost: cost("0", "200.01") },
      { name: "dev-platform", cost: cost("0", "0") },
    ]);
    expect(r?.state).toBe("unsatisfied");
    expect(r?.why.join(" ")).toContain("rises by +$550.01 a month");
  });

  it("does not apply at or under the limit, nor for another environment's rise", () => {
    expect(
      decide("{ monthly_increase_over: 500 }", [{ name: "prod-platform", cost: cost("100", "600") }])?.state,
    ).toBe("not-applicable");
    expect(
      decide("{ monthly_increase_over: 500 }", [
        { name: "prod-platform", cost: cost("0", "0") },
        { name: "dev-platform", cost: cost("0", "9000") },
      ])?.state,
    ).toBe("not-applicable");
  });

  it("has a percentage form; both forms together must both hold", () => {
    expect(
      decide("{ percent_increase_over: 20 }", [{ name: "prod-a", cost: cost("1000", "1201") }])?.state,
    ).toBe("unsatisfied");
    expect(
      decide("{ percent_increase_over: 20 }", [{ name: "prod-a", cost: cost("1000", "1200") }])?.state,
    ).toBe("not-applicable");
    expect(decide("{ percent_increase_over: 20 }", [{ name: "prod-a", cost: cost("0", "1") }])?.state).toBe(
      "unsatisfied",
    );
    expect(
      decide("{ percent_increase_over: 20, monthly_increase_over: 500 }", [
        { name: "prod-a", cost: cost("1000", "1300") },
      ])?.state,
    ).toBe("not-applicable");
  });

  it("fails closed when a prod stack was not priced", () => {
    const r = decide("{ monthly_increase_over: 500 }", [{ name: "prod-platform" }]);
    expect(r?.state).toBe("unsatisfied");
    expect(r?.why.join(" ")).toContain("cost of prod (stack prod-platform not priced) is unknown");
  });

  it("rejects a cost condition without a limit, or with a bad one", () => {
    for (const bad of [
      "{}",
      "{ monthly_increase_over: -1 }",
      "{ monthly_increase_over: '500' }",
      "{ over: 5 }",
    ]) {
      const policy = parsePolicy(POLICY(bad), "change-control.yaml");
      expect(policy.ok).toBe(false);
      if (!policy.ok) expect(policy.errors[0]?.path).toMatch(/^rules\[0\]\.if\.cost/);
    }
  });
});
