import { describe, expect, it } from "vitest";
import type { ChangeContext } from "./context.ts";
import { evaluate } from "./evaluate.ts";
import type { Policy } from "./policy.ts";
import { approve, fakeContext, ONE_APPROVAL, TUESDAY_10, withRules } from "./test/fake-context.ts";

// Override requests: which rules they may override, and what the decision says when they may not.
// Policies and contexts are built inside each test (see docs/testing.md, "Static mutants").

/** ONE_APPROVAL plus a rule "sec" needing a security approval, with the given enforcement. */
const withSec = (enforcement: string, overrideTeams = "[sre]", extra = "") =>
  withRules(
    `${ONE_APPROVAL}  - name: sec
    enforcement: ${enforcement}
${enforcement === "soft-mandatory" ? `    override_teams: ${overrideTeams}\n` : ""}    requires: { approvals: { count: 1, from: { teams: [security] } } }
`,
    extra,
  );

const EMERGENCY = `emergency:
  label: emergency
  min_reason_length: 10
  requires: { approvals: { count: 1, from: { teams: [sre-leads] } } }
`;

function decide(policy: Policy, overrides: Partial<ChangeContext>) {
  return evaluate(policy, fakeContext({ reviews: [approve("dave")], ...overrides }), TUESDAY_10);
}

describe("override requests", () => {
  it("an override naming rules warns about each named rule that is not soft-mandatory, and only those", () => {
    const d = decide(withSec("soft-mandatory"), {
      override: { by: "carol", reason: "reviewed offline", rules: ["sec", "one"] },
    });
    expect(d.state).toBe("approved");
    expect(d.overrides).toEqual([{ rule: "sec", by: "carol", reason: "reviewed offline" }]);
    expect(d.warnings).toEqual([
      "the override request names 'one', which is not a soft-mandatory rule of test-policy.yaml",
    ]);
  });

  it("an overridden rule records who and why, and needs nothing more", () => {
    const d = decide(withSec("soft-mandatory"), { override: { by: "carol", reason: "  reviewed offline " } });
    expect(d.rules[1]).toStrictEqual({
      name: "sec",
      enforcement: "soft-mandatory",
      state: "overridden",
      effect: "none",
      why: ["every pull request (the rule has no conditions)"],
      counted: [],
      notCounted: [
        { user: "dave", reason: "@dave's approval does not count here: not @sluice-dev/security" },
      ],
      unblock: [],
      override: { by: "carol", reason: "reviewed offline" },
    });
  });

  it("a hard-mandatory rule cannot be overridden, and an override request is not reported against it", () => {
    for (const override of [
      { by: "carol", reason: "reviewed offline" },
      { by: "carol", reason: "reviewed offline", rules: ["sec"] },
    ]) {
      const d = decide(withSec("hard-mandatory"), { override });
      expect(d.state, JSON.stringify(override)).toBe("pending");
      expect(d.overrides).toEqual([]);
      expect(d.rules[1]).toMatchObject({ name: "sec", state: "unsatisfied", effect: "pending" });
      expect(d.warnings.filter((w) => w.includes("does not override"))).toEqual([]);
    }
  });

  it("under the emergency label, a hard-mandatory rule gets no advice to name it in override.rules", () => {
    for (const override of [undefined, { by: "carol", reason: "Broken TLS cert in prod" }]) {
      const d = decide(withSec("hard-mandatory", undefined, EMERGENCY), {
        reviews: [approve("dave"), approve("erin")],
        labels: ["emergency"],
        ...(override && { override }),
      });
      expect(d.state, JSON.stringify(override)).toBe("pending");
      expect(d.warnings.filter((w) => w.includes("'sec'"))).toEqual([]);
    }
  });

  it("without the emergency label, an override naming other rules says nothing about the emergency", () => {
    const d = decide(withSec("soft-mandatory"), {
      override: { by: "carol", reason: "reviewed offline", rules: ["one"] },
    });
    expect(d.state).toBe("pending");
    expect(d.overrides).toEqual([]);
    expect(d.warnings.filter((w) => w.includes("emergency"))).toEqual([]);
  });

  it("a member of any one of the override teams may override", () => {
    // dave is in sre, not in security.
    const d = decide(withSec("soft-mandatory", "[sre, security]"), {
      override: { by: "dave", reason: "reviewed offline" },
    });
    expect(d.state).toBe("approved");
    expect(d.overrides).toEqual([{ rule: "sec", by: "dave", reason: "reviewed offline" }]);
  });

  it("a refused override says which teams could have overridden, or which authorship stands in the way", () => {
    const outsider = decide(withSec("soft-mandatory", "[sre, security]"), {
      override: { by: "erin", reason: "reviewed offline" },
    });
    expect(outsider.warnings).toContain(
      "the override request by @erin does not override 'sec': @erin is not in @sluice-dev/sre, @sluice-dev/security",
    );
    const author = decide(withSec("soft-mandatory"), {
      override: { by: "author", reason: "reviewed offline" },
      teams: { ...fakeContext().teams, "sluice-dev/sre": ["dave", "author"] },
    });
    expect(author.warnings).toContain(
      "the override request by @author does not override 'sec': an author cannot override their own change (they opened the pull request; they authored 1111111)",
    );
    expect(author.state).toBe("pending");
  });
});
