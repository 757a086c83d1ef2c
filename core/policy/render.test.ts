import { describe, expect, it } from "vitest";
import type { Decision, RuleResult } from "./decision.ts";
import { renderJson, renderMarkdown } from "./render.ts";

const HEAD = "1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

/** A decision with nothing in it: no errors, approvals, rules, emergency or warnings. */
const bare = (overrides: Partial<Decision> = {}): Decision => ({
  state: "approved",
  summary: "Approved: nothing is needed.",
  policy: "change-control.yaml@abc1234",
  evaluatedAt: "2026-06-02T08:00:00.000Z",
  pullRequest: { author: "author", headSha: HEAD, baseBranch: "main" },
  plan: { state: "missing", message: "no plan for the head commit" },
  environments: [],
  approvals: [],
  notCounted: [],
  changesRequested: [],
  schedule: { state: "unrestricted", messages: [] },
  rules: [],
  overrides: [],
  unblock: [],
  warnings: [],
  errors: [],
  approvers: [],
  authors: ["author"],
  ...overrides,
});

const rule = (
  overrides: Partial<RuleResult> & Pick<RuleResult, "name" | "state" | "effect">,
): RuleResult => ({
  enforcement: "hard-mandatory",
  why: [],
  counted: [],
  notCounted: [],
  unblock: [],
  ...overrides,
});

describe("renderMarkdown", () => {
  it("renders a decision with nothing in it as its state, facts and empty approvals, no other section", () => {
    expect(renderMarkdown(bare())).toBe(
      [
        "## ✅ Change control: approved",
        "",
        "Approved: nothing is needed.",
        "",
        "### Facts",
        "",
        "- Head: `1111111` into `main`, author @author",
        "- Plan: missing: no plan for the head commit",
        "- Environments: none recognised",
        "- Schedule: unrestricted: ",
        "",
        "### Approvals",
        "",
        "- No approval counts yet.",
        "",
        "### Rules",
        "",
        "",
        "<sub>Policy `change-control.yaml@abc1234`, evaluated at 2026-06-02T08:00:00.000Z.</sub>",
        "",
      ].join("\n"),
    );
  });

  it("renders every section of a blocked decision in order: errors, unblock, facts, emergency, approvals, rules, warnings", () => {
    const d = bare({
      state: "blocked",
      summary: "Blocked: the policy has an error.",
      pullRequest: {
        repository: "sluice-dev/sluice",
        number: 7,
        author: "author",
        headSha: HEAD,
        baseBranch: "release",
      },
      plan: {
        state: "current",
        commit: HEAD,
        digest: "sha256:0123456789abcdef0123456789abcdef",
        message: "plan of the head commit",
      },
      environments: [
        { name: "prod", because: ["stack prod-platform", "file gitops/envs/prod/app.yaml"] },
        { name: "dev", because: ["stack dev-platform"] },
      ],
      schedule: { state: "open", messages: ["prod-hours is open", "no freeze"] },
      emergency: {
        label: "emergency",
        accepted: true,
        by: "erin",
        reason: "the queue is down",
        messages: ["approved by @dave", "applies outside the window"],
      },
      approvals: [
        { user: "bob", commitId: HEAD, basis: "given on the head commit" },
        { user: "carol", commitId: HEAD, basis: "plan unchanged since" },
      ],
      notCounted: [{ user: "author", reason: "@author's approval does not count: they opened it" }],
      changesRequested: [{ user: "dave", commitId: "2222222ccccccccccccccccccccccccccccccccc" }],
      rules: [
        rule({
          name: "two-approvals",
          state: "unsatisfied",
          effect: "blocked",
          why: ["touches prod"],
          counted: ["bob", "carol"],
          notCounted: [{ user: "author", reason: "@author opened the pull request" }],
          unblock: ["one more approval from security"],
        }),
        rule({
          name: "docs-only",
          enforcement: "advisory",
          state: "not-applicable",
          effect: "none",
          why: ["no file under docs/"],
        }),
        rule({
          name: "sre-review",
          enforcement: "soft-mandatory",
          state: "overridden",
          effect: "none",
          override: { by: "erin", reason: "sre is asleep" },
        }),
        rule({
          name: "cost-check",
          enforcement: "advisory",
          state: "unsatisfied",
          effect: "none",
          unblock: ["an approval from finance"],
        }),
        rule({ name: "plan-current", state: "satisfied", effect: "none" }),
      ],
      unblock: ["fix the policy", "get an approval from security"],
      warnings: ["@zed requested changes but cannot approve", "team x is not listed"],
      errors: ["change-control.yaml line 3: bad field", "glossary.md line 9: no owner"],
    });
    expect(renderMarkdown(d)).toBe(
      [
        "## ⛔ Change control for sluice-dev/sluice#7: blocked",
        "",
        "Blocked: the policy has an error.",
        "",
        "### Errors",
        "",
        "- change-control.yaml line 3: bad field",
        "- glossary.md line 9: no owner",
        "",
        "### What would unblock it",
        "",
        "- fix the policy",
        "- get an approval from security",
        "",
        "### Facts",
        "",
        "- Head: `1111111` into `release`, author @author",
        "- Plan: current: plan of the head commit (digest `sha256:0123456789ab`)",
        "- Environments: prod (stack prod-platform; file gitops/envs/prod/app.yaml), dev (stack dev-platform)",
        "- Schedule: open: prod-hours is open; no freeze",
        "",
        "### Emergency override",
        "",
        "- Label `emergency`: accepted, requested by @erin",
        "- Reason: the queue is down",
        "- approved by @dave",
        "- applies outside the window",
        "",
        "### Approvals",
        "",
        "- @bob counts: given on the head commit",
        "- @carol counts: plan unchanged since",
        "- @author's approval does not count: they opened it",
        "- @dave requested changes on `2222222`",
        "",
        "### Rules",
        "",
        "- **two-approvals** (hard-mandatory): unsatisfied",
        "  - applies: touches prod",
        "  - counted: @bob, @carol",
        "  - @author opened the pull request",
        "  - to satisfy: one more approval from security",
        "- **docs-only** (advisory): not applicable",
        "  - does not apply: no file under docs/",
        "- **sre-review** (soft-mandatory): overridden",
        "  - overridden by @erin: sre is asleep",
        "- **cost-check** (advisory): unsatisfied (advisory, does not block)",
        "  - would be satisfied by: an approval from finance",
        "- **plan-current** (hard-mandatory): satisfied",
        "",
        "### Warnings",
        "",
        "- @zed requested changes but cannot approve",
        "- team x is not listed",
        "",
        "<sub>Policy `change-control.yaml@abc1234`, evaluated at 2026-06-02T08:00:00.000Z.</sub>",
        "",
      ].join("\n"),
    );
  });

  it("marks a pending decision with an hourglass", () => {
    expect(renderMarkdown(bare({ state: "pending" })).split("\n")[0]).toBe("## ⏳ Change control: pending");
  });

  it("names the pull request only when both repository and number are known (number 0 included)", () => {
    const head = (pr: Partial<Decision["pullRequest"]>) =>
      renderMarkdown(bare({ pullRequest: { author: "a", headSha: HEAD, baseBranch: "main", ...pr } })).split(
        "\n",
      )[0];
    expect(head({ repository: "o/r" })).toBe("## ✅ Change control: approved");
    expect(head({ number: 3 })).toBe("## ✅ Change control: approved");
    expect(head({ repository: "o/r", number: 0 })).toBe("## ✅ Change control for o/r#0: approved");
  });

  it("says an emergency label was not accepted, without requester or reason when there are none", () => {
    const md = renderMarkdown(
      bare({ emergency: { label: "hotfix", accepted: false, messages: ["no reason given"] } }),
    );
    expect(md).toContain(
      [
        "### Emergency override",
        "",
        "- Label `hotfix`: not accepted",
        "- no reason given",
        "",
        "### Approvals",
      ].join("\n"),
    );
  });

  it("does not treat a blocking unsatisfied rule as advisory, nor a satisfied advisory one as unsatisfied", () => {
    const md = renderMarkdown(
      bare({
        rules: [
          rule({ name: "r1", state: "unsatisfied", effect: "pending", unblock: ["one approval"] }),
          rule({
            name: "r2",
            enforcement: "advisory",
            state: "satisfied",
            effect: "none",
            why: ["touches prod"],
          }),
        ],
      }),
    );
    expect(md).toContain(
      [
        "- **r1** (hard-mandatory): unsatisfied",
        "  - to satisfy: one approval",
        "- **r2** (advisory): satisfied",
        "  - applies: touches prod",
        "",
      ].join("\n"),
    );
  });
});

describe("renderJson", () => {
  it("is the decision as JSON indented by two spaces, ending in a newline", () => {
    const d = bare();
    const json = renderJson(d);
    expect(json.split("\n").slice(0, 3)).toEqual([
      "{",
      '  "state": "approved",',
      '  "summary": "Approved: nothing is needed.",',
    ]);
    expect(json.endsWith("\n}\n")).toBe(true);
    expect(JSON.parse(json)).toEqual(d);
  });
});
