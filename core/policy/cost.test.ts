import { describe, expect, it } from "vitest";
import type { PlanCost } from "../plan/findings.ts";
import { costCondition } from "./cost.ts";
import { evaluate } from "./evaluate.ts";
import { parsePolicy } from "./parse.ts";
import { fakeContext, TUESDAY_10 } from "./test/fake-context.ts";

const POLICY = (condition: string, environments: string | undefined = "[prod]") => `version: 1
teams: { platform: sluice-dev/platform }
environments:
  prod: { stacks: ["prod-*"] }
  dev: { stacks: ["dev-*"] }
rules:
  - name: cost-jump
    if:${environments ? `\n      environments: ${environments}` : ""}
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

function decide(condition: string, stacks: { name: string; cost?: PlanCost }[], environments?: string) {
  const policy = parsePolicy(POLICY(condition, environments), "change-control.yaml");
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

  it("says by how much, against which limit, in dollars and cents and as a percentage", () => {
    expect(
      decide("{ monthly_increase_over: 500 }", [{ name: "prod-a", cost: cost("100", "1334.5") }])?.why.at(-1),
    ).toBe("the cost of prod rises by +$1,234.50 a month, more than $500 a month");
    expect(
      decide("{ percent_increase_over: 20 }", [{ name: "prod-a", cost: cost("1000", "1201") }])?.why.at(-1),
    ).toBe("the cost of prod rises by +$201.00 a month (20.1%), more than 20%");
    expect(
      decide("{ percent_increase_over: 20, monthly_increase_over: 500 }", [
        { name: "prod-a", cost: cost("1000", "1300") },
      ])?.why,
    ).toEqual([
      "the cost does not rise more than $500 a month and more than 20%: prod +$300.00 a month (30.0%)",
    ]);
  });

  it("shows falls with a minus, no change as +$0.00, and rounds half a cent up", () => {
    const r = decide(
      "{ monthly_increase_over: 500 }",
      [
        { name: "prod-a", cost: cost("2000", "765.5") },
        { name: "dev-a", cost: cost("100.005", "100.01") },
      ],
      "[prod, dev]",
    );
    expect(r?.why).toEqual([
      "the cost does not rise more than $500 a month: prod -$1,234.50 a month; dev +$0.01 a month",
    ]);
    expect(
      decide("{ monthly_increase_over: 500 }", [{ name: "prod-a", cost: cost("12.5", "12.50") }])?.why,
    ).toEqual(["the cost does not rise more than $500 a month: prod +$0.00 a month"]);
  });

  it("counts the whole plan when the rule names no environment", () => {
    const stacks = [
      { name: "prod-a", cost: cost("0", "300") },
      { name: "dev-a", cost: cost("0", "300") },
    ];
    expect(decide("{ monthly_increase_over: 500 }", stacks, "")?.why).toEqual([
      "the cost of the plan rises by +$600.00 a month, more than $500 a month",
    ]);
  });

  it("treats a cost that is not a plain decimal number as not priced, listing such stacks by name", () => {
    for (const text of ["$100", "100 USD", "1e2", "100.0000000000001"]) {
      expect(
        decide("{ monthly_increase_over: 500 }", [{ name: "prod-a", cost: cost("0", text) }])?.why.at(-1),
        text,
      ).toBe("cost of prod (stack prod-a not priced) is unknown, so assumed to rise more than $500 a month");
    }
    expect(
      decide("{ monthly_increase_over: 500 }", [
        { name: "prod-b" },
        { name: "prod-a", cost: cost("-", "1") },
        { name: "prod-c", cost: cost("1", "1") },
      ])?.why.at(-1),
    ).toBe(
      "cost of prod (stack prod-a, prod-b not priced) is unknown, so assumed to rise more than $500 a month",
    );
  });

  it("says so when the plan has no stack of the rule's environments", () => {
    const none = { past: 0n, total: 0n, unpriced: [] };
    expect(
      costCondition({ monthlyIncreaseOver: 5 }, ["prod"], { plan: none, byEnvironment: new Map() }),
    ).toEqual({ result: false, why: "the plan touches none of the rule's environments' stacks" });
  });

  it("leaves out the percentage from nothing, and environments the plan does not touch", () => {
    expect(
      decide("{ percent_increase_over: 20 }", [{ name: "prod-a", cost: cost("0", "0") }], "[prod, dev]")?.why,
    ).toEqual(["the cost does not rise more than 20%: prod +$0.00 a month"]);
  });

  it("lists every environment whose cost is unknown", () => {
    expect(
      decide(
        "{ monthly_increase_over: 500 }",
        [{ name: "prod-a" }, { name: "dev-a" }],
        "[prod, dev]",
      )?.why.at(-1),
    ).toBe(
      "cost of prod (stack prod-a not priced), dev (stack dev-a not priced) is unknown, so assumed to rise more than $500 a month",
    );
  });

  it("assumes the condition holds without a current plan, and says so", () => {
    expect(costCondition({ monthlyIncreaseOver: 5 }, ["prod"], undefined)).toEqual({
      result: "unknown",
      why: "cost: no current plan to read, so assumed to apply",
    });
  });
});
