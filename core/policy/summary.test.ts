import { describe, expect, it } from "vitest";
import type { ChangeContext } from "./context.ts";
import { evaluate } from "./evaluate.ts";
import type { Policy } from "./policy.ts";
import { approve, fakeContext, ONE_APPROVAL, plan, TUESDAY_10, withRules } from "./test/fake-context.ts";

// The one-sentence summary that leads the check run, and the unblock lines behind it.
// Policies and contexts are built inside each test (see docs/testing.md, "Static mutants").

const SEC = `  - name: sec
    enforcement: soft-mandatory
    override_teams: [sre]
    requires: { approvals: { count: 1, from: { teams: [security] } } }
`;

function decide(policy: Policy, overrides: Partial<ChangeContext>) {
  return evaluate(policy, fakeContext(overrides), TUESDAY_10);
}

/** The head commit's plan, errored. */
function erroredPlan() {
  const p = plan([]);
  return { ...p, stacks: p.stacks.map((st) => ({ ...st, facts: { ...st.facts, errored: true } })) };
}

describe("the decision's summary", () => {
  it("approved: counts the satisfied and overridden rules, not the others, and names who approved", () => {
    const p = withRules(`${ONE_APPROVAL}${SEC}  - name: adv
    enforcement: advisory
    requires: { approvals: { count: 1, from: { teams: [security] } } }
  - name: labelled
    if: { labels: [x] }
    requires: { approvals: { count: 1 } }
`);
    const d = decide(p, {
      reviews: [approve("sam"), approve("dave")],
      override: { by: "carol", reason: "reviewed offline" },
    });
    expect(d.rules.map((r) => r.state)).toEqual(["satisfied", "overridden", "unsatisfied", "not-applicable"]);
    expect(d.state).toBe("approved");
    expect(d.summary).toBe("Approved: 2 applicable rule(s) satisfied; approvals counted from @dave, @sam.");
  });

  it("approved without any approval: no list of approvers", () => {
    const d = decide(withRules(SEC), { override: { by: "carol", reason: "reviewed offline" } });
    expect(d.state).toBe("approved");
    expect(d.summary).toBe("Approved: 1 applicable rule(s) satisfied.");
  });

  it("pending: the one thing to do", () => {
    const d = decide(withRules(ONE_APPROVAL), {});
    expect(d.unblock).toEqual(["one: needs 1 more approval"]);
    expect(d.summary).toBe("Pending: one: needs 1 more approval.");
  });

  it("blocked: the first thing to do, and how many more there are", () => {
    const d = decide(withRules(ONE_APPROVAL), { plan: erroredPlan() });
    const errored =
      "the plan errored for dev-platform: it cannot be approved until it runs cleanly and completely; fix it and push";
    expect(d.state).toBe("blocked");
    expect(d.unblock).toEqual([errored, "one: needs 1 more approval"]);
    expect(d.summary).toBe(`Blocked: ${errored} (and 1 more).`);
  });
});
