import { describe, expect, it } from "vitest";
import { checkApplier } from "./applier.ts";
import type { ChangeContext } from "./context.ts";
import { evaluate } from "./evaluate.ts";
import type { Policy } from "./policy.ts";
import { renderJson, renderMarkdown } from "./render.ts";
import {
  approve,
  fakeContext,
  HEAD,
  OLD,
  ONE_APPROVAL,
  plan,
  TUESDAY_10,
  withRules,
} from "./test/fake-context.ts";

const PROD = { files: [{ path: "gitops/envs/prod/app.yaml", additions: 3, deletions: 1 }] };
// Policies and decisions are built inside the tests, never at load time or in a describe body: code run while
// the file loads is "static" to Stryker, which must then rerun every test of the file for each of its mutants.
const scheduled = () =>
  withRules(
    ONE_APPROVAL,
    `change_windows:
  - { name: prod-hours, environments: [prod], time_zone: Europe/Amsterdam, days: [mon, tue, wed, thu], from: "09:00", to: "16:00" }
freezes:
  - { name: year-end, environments: [prod], time_zone: Europe/Amsterdam, from: "2026-12-18", to: "2027-01-04", reason: thin on-call }
emergency:
  label: emergency
  min_reason_length: 10
  requires: { approvals: { count: 1, from: { teams: [sre-leads] } } }
`,
  );

function decide(policy: Policy, overrides: Partial<ChangeContext>, now = TUESDAY_10) {
  return evaluate(policy, fakeContext(overrides), now);
}

describe("plan gate", () => {
  const policy = () => withRules(ONE_APPROVAL);
  const ok = { reviews: [approve("bob")] };

  it("approves with a current plan", () => {
    expect(decide(policy(), ok).state).toBe("approved");
  });

  it("is pending without a plan, even with approvals", () => {
    const d = decide(policy(), { ...ok, plan: undefined });
    expect(d.state).toBe("pending");
    expect(d.unblock[0]).toBe("no plan yet for the head commit 1111111: wait for the plan of 1111111");
  });

  it("is pending with a plan for another commit", () => {
    const d = decide(policy(), { ...ok, plan: plan([], [], { commit: OLD }) });
    expect(d.state).toBe("pending");
    expect(d.plan.state).toBe("stale");
  });

  it("blocks when the plan errored", () => {
    const p = plan([]);
    const errored = {
      ...p,
      stacks: p.stacks.map((st) => ({ ...st, facts: { ...st.facts, errored: true } })),
    };
    expect(decide(policy(), { ...ok, plan: errored }).state).toBe("blocked");
  });

  it("blocks when the plan is incomplete (deferred changes), even if not marked errored", () => {
    const p = plan([]);
    const incomplete = {
      ...p,
      stacks: p.stacks.map((st) => ({ ...st, facts: { ...st.facts, complete: false } })),
    };
    const d = decide(policy(), { ...ok, plan: incomplete });
    expect(d.state).toBe("blocked");
    expect(d.plan.message).toContain("dev-platform (incomplete)");
  });
});

describe("change windows, freezes and the emergency override", () => {
  const ok = { ...PROD, reviews: [approve("bob")] };
  const friday = new Date("2026-06-05T15:20:00Z");

  it("approves inside the window", () => {
    expect(decide(scheduled(), ok).schedule.state).toBe("open");
    expect(decide(scheduled(), ok).state).toBe("approved");
  });

  it("blocks outside the window and says when it is open, in the window's time zone", () => {
    const d = decide(scheduled(), ok, friday);
    expect(d.state).toBe("blocked");
    expect(d.unblock[0]).toContain(
      "Changes to prod may merge only in 'prod-hours' (Mon, Tue, Wed, Thu 09:00–16:00 Europe/Amsterdam); it is Fri 2026-06-05 17:20 Europe/Amsterdam now",
    );
  });

  it("respects the window's end, exclusive, across daylight saving time", () => {
    expect(decide(scheduled(), ok, new Date("2026-01-06T14:59:00Z")).schedule.state).toBe("open");
    expect(decide(scheduled(), ok, new Date("2026-01-06T15:00:00Z")).schedule.state).toBe("closed");
    expect(decide(scheduled(), ok, new Date("2026-06-02T13:59:00Z")).schedule.state).toBe("open");
    expect(decide(scheduled(), ok, new Date("2026-06-02T14:00:00Z")).schedule.state).toBe("closed");
  });

  it("does not restrict changes outside governed environments", () => {
    expect(decide(scheduled(), { reviews: [approve("bob")] }, friday).state).toBe("approved");
  });

  it("blocks during a freeze, on local dates", () => {
    const d = decide(scheduled(), ok, new Date("2026-12-17T23:30:00Z"));
    expect(d.schedule.state).toBe("frozen");
    expect(d.schedule.messages[0]).toContain(
      "freeze 'year-end' (2026-12-18 to 2027-01-04, Europe/Amsterdam) covers prod: thin on-call",
    );
  });

  it("an emergency needs the label, a written reason and the extra approvals, and is recorded", () => {
    const labelled = { ...ok, labels: ["emergency"] };
    const noReason = decide(scheduled(), { ...labelled, reviews: [approve("bob"), approve("erin")] }, friday);
    expect(noReason.state).toBe("blocked");
    expect(noReason.unblock.join()).toContain("needs a written reason");
    const noApproval = decide(
      scheduled(),
      { ...labelled, override: { by: "dave", reason: "Broken TLS cert in prod" } },
      friday,
    );
    expect(noApproval.unblock.join()).toContain("emergency needs 1 more approval from @sluice-dev/sre-leads");
    const d = decide(
      scheduled(),
      {
        ...labelled,
        reviews: [approve("bob"), approve("erin")],
        override: { by: "dave", reason: "Broken TLS cert in prod" },
      },
      friday,
    );
    expect(d.state).toBe("approved");
    expect(d.schedule.state).toBe("overridden");
    expect(d.emergency).toMatchObject({ accepted: true, by: "dave", reason: "Broken TLS cert in prod" });
  });
});

describe("emergency reason and midnight windows", () => {
  const friday = new Date("2026-06-05T15:20:00Z");
  const labelled = { ...PROD, labels: ["emergency"], reviews: [approve("bob"), approve("erin")] };

  it("a too-short emergency reason blocks (something must change), it does not wait", () => {
    const d = decide(scheduled(), { ...labelled, override: { by: "dave", reason: "fix" } }, friday);
    expect(d.state).toBe("blocked");
    expect(d.unblock).toContain("the written reason is 3 characters, needs at least 10");
  });

  it("a long enough reason still waits for the emergency approvals", () => {
    const d = decide(
      scheduled(),
      { ...labelled, reviews: [approve("bob")], override: { by: "dave", reason: "Broken TLS cert in prod" } },
      friday,
    );
    expect(d.state).toBe("pending");
  });

  it("a change window may end at 24:00", () => {
    const late = withRules(
      ONE_APPROVAL,
      `change_windows:
  - { name: evening, environments: [prod], time_zone: UTC, days: [tue], from: "18:00", to: "24:00" }
`,
    );
    const ok = { ...PROD, reviews: [approve("bob")] };
    expect(decide(late, ok, new Date("2026-06-02T23:59:00Z")).schedule.state).toBe("open");
    expect(decide(late, ok, new Date("2026-06-03T00:00:00Z")).schedule.state).toBe("closed");
    expect(decide(late, ok, new Date("2026-06-02T17:59:00Z")).schedule.state).toBe("closed");
  });
});

describe("enforcement levels", () => {
  const rules = (enforcement: string) =>
    withRules(`${ONE_APPROVAL}  - name: sec
    enforcement: ${enforcement}
    requires: { approvals: { count: 1, from: { teams: [security] } } }
`);
  const soft = () =>
    withRules(`${ONE_APPROVAL}  - name: sec
    enforcement: soft-mandatory
    override_teams: [sre]
    requires: { approvals: { count: 1, from: { teams: [security] } } }
`);
  const ok = { reviews: [approve("dave")] };

  it("advisory rules are reported but never block", () => {
    const d = decide(rules("advisory"), ok);
    expect(d.state).toBe("approved");
    expect(d.rules[1]).toMatchObject({ state: "unsatisfied", effect: "none" });
  });

  it("hard-mandatory rules keep the decision pending", () => {
    expect(decide(rules("hard-mandatory"), ok).state).toBe("pending");
  });

  it("soft-mandatory rules are overridden by a named team with a recorded reason", () => {
    const d = decide(soft(), { ...ok, override: { by: "carol", reason: "security reviewed offline" } });
    expect(d.state).toBe("approved");
    expect(d.overrides).toEqual([{ rule: "sec", by: "carol", reason: "security reviewed offline" }]);
  });

  it("an emergency override waives the schedule only; overriding a soft-mandatory rule is a separate, named act", () => {
    const scheduledSoft = withRules(
      `${ONE_APPROVAL}  - name: sec
    enforcement: soft-mandatory
    override_teams: [sre]
    requires: { approvals: { count: 1, from: { teams: [security] } } }
`,
      `emergency:
  label: emergency
  min_reason_length: 10
  requires: { approvals: { count: 1, from: { teams: [sre-leads] } } }
`,
    );
    const emergency = {
      reviews: [approve("dave"), approve("erin")],
      labels: ["emergency"],
      override: { by: "carol", reason: "Broken TLS cert in prod" },
    };
    const d = decide(scheduledSoft, emergency);
    expect(d.emergency?.accepted).toBe(true);
    expect(d.state).toBe("pending");
    expect(d.overrides).toEqual([]);
    expect(d.rules[1]).toMatchObject({ name: "sec", state: "unsatisfied", effect: "pending" });
    expect(d.warnings.join()).toContain(
      "the emergency override waives change windows and freezes only; it does not override 'sec'",
    );
    const named = decide(scheduledSoft, {
      ...emergency,
      override: { ...emergency.override, rules: ["sec"] },
    });
    expect(named.state).toBe("approved");
    expect(named.overrides).toEqual([{ rule: "sec", by: "carol", reason: "Broken TLS cert in prod" }]);
  });

  it("an override that names rules overrides only those", () => {
    const d = decide(soft(), { ...ok, override: { by: "carol", reason: "reviewed", rules: ["other"] } });
    expect(d.state).toBe("pending");
    expect(d.warnings.join()).toContain(
      "the override request names 'other', which is not a soft-mandatory rule",
    );
  });

  it("refuses an override from outside the teams, by an author, or without a reason", () => {
    for (const override of [
      { by: "bob", reason: "because" },
      { by: "author", reason: "because" },
      { by: "carol", reason: "  " },
    ]) {
      const context = {
        ...ok,
        override,
        teams: { ...fakeContext().teams, "sluice-dev/sre": ["dave", "carol", "author"] },
      };
      const d = decide(soft(), context);
      expect(d.state, JSON.stringify(override)).toBe("pending");
      expect(d.warnings.join()).toContain("does not override 'sec'");
    }
  });
});

describe("fail closed", () => {
  it("blocks when no mandatory rule applies", () => {
    const p = withRules("  - name: r\n    if: { labels: [x] }\n    requires: { approvals: { count: 1 } }\n");
    const d = decide(p, { reviews: [approve("bob")] });
    expect(d.state).toBe("blocked");
    expect(d.unblock[0]).toContain("no mandatory rule of test-policy.yaml applies");
  });

  it("an evaluation error is blocked, with the error", () => {
    const d = evaluate(withRules(ONE_APPROVAL), fakeContext({ reviews: [approve("bob")] }), new Date("nope"));
    expect(d.state).toBe("blocked");
    expect(d.errors).toEqual(["the evaluation time is not a valid date"]);
  });

  it("a broken context is blocked, not thrown", () => {
    const broken = { ...fakeContext(), reviews: null } as unknown as ChangeContext;
    expect(evaluate(withRules(ONE_APPROVAL), broken, TUESDAY_10).state).toBe("blocked");
  });
});

describe("rendering", () => {
  const decision = () =>
    decide(withRules(ONE_APPROVAL), {
      reviews: [approve("bob"), approve("author")],
      commits: [{ sha: HEAD, author: "author", message: "x" }],
    });

  it("markdown leads with the state and explains who counted and who did not", () => {
    const md = renderMarkdown(decision());
    expect(md.split("\n")[0]).toBe("## ✅ Change control for sluice-dev/sluice#7: approved");
    expect(md).toContain("- @bob counts: given on the head commit");
    expect(md).toContain(
      "- @author's approval does not count: they opened the pull request; they authored 1111111",
    );
  });

  it("JSON is the decision itself", () => {
    const d = decision();
    expect(JSON.parse(renderJson(d))).toEqual(JSON.parse(JSON.stringify(d)));
  });
});

describe("checkApplier", () => {
  it.each([
    [{ applier: "erin", author: "author", approvers: ["bob"] }, true, "neither wrote nor approved"],
    [
      { applier: "Author", author: "author", approvers: ["bob"] },
      false,
      "@Author is the author of the pull request",
    ],
    [{ applier: "BOB", author: "author", approvers: ["bob"] }, false, "@BOB approved the pull request"],
    [
      { applier: "alice", author: "author", approvers: [], commitAuthors: ["alice"] },
      false,
      "co-authored a commit",
    ],
    [{ applier: " ", author: "author", approvers: [] }, false, "needs a named person"],
  ])("%j", (check, allowed, reason) => {
    const v = checkApplier(check);
    expect(v.allowed).toBe(allowed);
    expect(v.reasons.join()).toContain(reason);
  });

  it("refuses a co-author named by the decision's authors", () => {
    const d = decide(withRules(ONE_APPROVAL), {
      reviews: [approve("bob")],
      commits: [
        {
          sha: HEAD,
          author: "author",
          committer: "web-flow",
          message: "x\n\nCo-authored-by: E <erin@users.noreply.github.com>",
        },
      ],
    });
    expect(d.authors).toEqual(["author", "erin"]);
    const v = checkApplier({
      applier: "Erin",
      author: d.pullRequest.author,
      approvers: d.approvers,
      commitAuthors: d.authors,
    });
    expect(v).toEqual({
      allowed: false,
      reasons: ["@Erin authored or co-authored a commit of the pull request"],
    });
    expect(
      checkApplier({ applier: "dave", author: "author", approvers: d.approvers, commitAuthors: d.authors })
        .allowed,
    ).toBe(true);
  });
});
