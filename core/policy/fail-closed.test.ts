import { describe, expect, it } from "vitest";
import type { ChangeContext } from "./context.ts";
import { evaluate } from "./evaluate.ts";
import type { Policy } from "./policy.ts";
import { approve, fakeContext, HEAD, ONE_APPROVAL, TUESDAY_10, withRules } from "./test/fake-context.ts";

// A decision that could not be evaluated: blocked, with the error, and nothing that looks evaluated.
// Policies and contexts are built inside each test (see docs/testing.md, "Static mutants").

describe("a decision that could not be evaluated", () => {
  it("is blocked, says why in the summary and the unblock line, and claims no facts", () => {
    const d = evaluate(withRules(ONE_APPROVAL), fakeContext({ reviews: [approve("bob")] }), new Date("nope"));
    const error = "the evaluation time is not a valid date";
    expect(d).toStrictEqual({
      state: "blocked",
      summary: `Blocked: the policy could not be evaluated (${error}).`,
      policy: "test-policy.yaml",
      evaluatedAt: "invalid date",
      pullRequest: {
        repository: "sluice-dev/sluice",
        number: 7,
        author: "author",
        headSha: HEAD,
        baseBranch: "main",
      },
      plan: { state: "missing", message: "not evaluated" },
      environments: [],
      approvals: [],
      notCounted: [],
      changesRequested: [],
      schedule: { state: "closed", messages: ["not evaluated"] },
      rules: [],
      overrides: [],
      unblock: [`fix the evaluation error: ${error}`],
      warnings: [],
      errors: [error],
      approvers: [],
      authors: [],
    });
  });

  it("still gives a decision when neither the policy's file nor the pull request can be read", () => {
    const unreadable = {
      ...withRules(ONE_APPROVAL),
      file: {
        toString() {
          throw new Error("no file name");
        },
      },
    } as unknown as Policy;
    const d = evaluate(unreadable, null as unknown as ChangeContext, TUESDAY_10);
    expect(d.state).toBe("blocked");
    expect(d.policy).toBe("unknown");
    expect(d.evaluatedAt).toBe(TUESDAY_10.toISOString());
    expect(d.pullRequest).toStrictEqual({ author: "", headSha: "", baseBranch: "" });
    expect(d.errors).toHaveLength(1);
  });
});

describe("a policy that does not cover the change", () => {
  it("is blocked when only advisory rules apply: they never block, so they cannot stand for the policy", () => {
    const p = withRules(`  - name: adv
    enforcement: advisory
    requires: { approvals: { count: 1 } }
  - name: labelled
    if: { labels: [x] }
    requires: { approvals: { count: 1 } }
`);
    const d = evaluate(p, fakeContext({ reviews: [approve("bob")] }), TUESDAY_10);
    expect(d.rules.map((r) => r.state)).toEqual(["satisfied", "not-applicable"]);
    expect(d.state).toBe("blocked");
    expect(d.unblock).toEqual([
      "no mandatory rule of test-policy.yaml applies to this change: the policy must cover every change (add a rule without 'if')",
    ]);
  });
});

describe("the fields of an evaluated decision", () => {
  it("has no errors", () => {
    const d = evaluate(withRules(ONE_APPROVAL), fakeContext({ reviews: [approve("bob")] }), TUESDAY_10);
    expect(d.state).toBe("approved");
    expect(d.errors).toEqual([]);
  });

  it("leaves out the repository and number of a pull request that has none", () => {
    const { repository: _r, number: _n, ...local } = fakeContext({ reviews: [approve("bob")] });
    const d = evaluate(withRules(ONE_APPROVAL), local, TUESDAY_10);
    expect(d.pullRequest).toStrictEqual({ author: "author", headSha: HEAD, baseBranch: "main" });
  });

  it("gives each rule's description, and no description field for a rule without one", () => {
    const p = withRules(`  - name: described
    description: Every change needs a second pair of eyes
    requires: { approvals: { count: 1 } }
  - name: labelled
    if: { labels: [x] }
    requires: { approvals: { count: 1 } }
`);
    const d = evaluate(p, fakeContext({ reviews: [approve("bob")] }), TUESDAY_10);
    expect(d.rules[0]?.description).toBe("Every change needs a second pair of eyes");
    expect(d.rules[1]).toStrictEqual({
      name: "labelled",
      enforcement: "hard-mandatory",
      state: "not-applicable",
      effect: "none",
      why: ["has none of the labels 'x'"],
      counted: [],
      notCounted: [],
      unblock: [],
    });
  });
});
