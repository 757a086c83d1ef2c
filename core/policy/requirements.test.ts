import { describe, expect, it } from "vitest";
import type { ChangeContext } from "./context.ts";
import { evaluate } from "./evaluate.ts";
import { approve, fakeContext, TUESDAY_10, withRules } from "./test/fake-context.ts";

function rule(requires: string, overrides: Partial<ChangeContext>) {
  const policy = withRules(`  - name: r
    requires: ${requires}
`);
  const d = evaluate(policy, fakeContext(overrides), TUESDAY_10);
  const r = d.rules[0];
  if (!r) throw new Error("no rule result");
  return { state: r.state, counted: r.counted, unblock: r.unblock.join(" | "), effect: r.effect };
}

const reviews = (...users: string[]) => ({ reviews: users.map((u) => approve(u)) });

const CODEOWNERS = `
*                 @sluice-dev/platform
/gitops/envs/prod/ @dave @sluice-dev/sre
docs/             owner@example.com
`;

describe("requirements", () => {
  it.each<[string, string, Partial<ChangeContext>, boolean, string[], string]>([
    [
      "N approvals from anyone: met",
      "{ approvals: { count: 2 } }",
      reviews("bob", "carol"),
      true,
      ["bob", "carol"],
      "",
    ],
    [
      "N approvals from anyone: short",
      "{ approvals: { count: 2 } }",
      reviews("bob"),
      false,
      ["bob"],
      "needs 1 more approval",
    ],
    [
      "approvals from a team",
      "{ approvals: { count: 1, from: { teams: [security] } } }",
      reviews("dave"),
      false,
      [],
      "needs 1 more approval from @sluice-dev/security",
    ],
    [
      "approvals from a team: met",
      "{ approvals: { count: 1, from: { teams: [security] } } }",
      reviews("dave", "bob"),
      true,
      ["bob"],
      "",
    ],
    [
      "approvals from named users",
      "{ approvals: { count: 1, from: { users: [Dave] } } }",
      reviews("dave"),
      true,
      ["dave"],
      "",
    ],
    [
      "approvals from the organization",
      "{ approvals: { count: 1, from: { organization: true } } }",
      reviews("outsider"),
      false,
      [],
      "needs 1 more approval from a member of @sluice-dev",
    ],
    [
      "distinct teams: one person in two teams counts once",
      "{ distinct_teams: { count: 2, teams: [security, sre] } }",
      reviews("carol"),
      false,
      ["carol"],
      "needs approvals from 1 more team of",
    ],
    [
      "distinct teams: matched so both teams are covered",
      "{ distinct_teams: { count: 2, teams: [security, sre] } }",
      reviews("carol", "bob"),
      true,
      ["bob", "carol"],
      "",
    ],
    [
      "distinct teams from every declared team",
      "{ distinct_teams: { count: 3 } }",
      reviews("alice", "bob", "dave"),
      true,
      ["alice", "bob", "dave"],
      "",
    ],
    [
      "code owners: a team owner approves",
      "{ code_owners: true }",
      { ...reviews("alice"), codeowners: CODEOWNERS },
      true,
      ["alice"],
      "",
    ],
    [
      "code owners: the last matching line wins",
      "{ code_owners: true }",
      {
        ...reviews("alice"),
        codeowners: CODEOWNERS,
        files: [{ path: "gitops/envs/prod/app.yaml", additions: 1, deletions: 0 }],
      },
      false,
      [],
      "needs a code-owner approval from @dave or @sluice-dev/sre for gitops/envs/prod/app.yaml",
    ],
    [
      "code owners: an e-mail owner is resolved through the context's emails",
      "{ code_owners: true }",
      {
        ...reviews("alice", "bob"),
        codeowners: CODEOWNERS,
        emails: { "Owner@Example.com": "bob" },
        files: [{ path: "docs/a.md", additions: 1, deletions: 0 }],
      },
      true,
      ["bob"],
      "",
    ],
    [
      "code owners: an unresolved e-mail owner waits for the address to be mapped",
      "{ code_owners: true }",
      {
        ...reviews("alice", "bob"),
        codeowners: CODEOWNERS,
        files: [{ path: "docs/a.md", additions: 1, deletions: 0 }],
      },
      false,
      [],
      "needs a code-owner approval from owner@example.com for docs/a.md",
    ],
    [
      "code owners: an owner that is neither a handle nor an e-mail cannot approve",
      "{ code_owners: true }",
      {
        ...reviews("alice"),
        codeowners: "docs/ not-an-owner\n",
        files: [{ path: "docs/a.md", additions: 1, deletions: 0 }],
      },
      false,
      [],
      "docs/a.md is owned only by not-an-owner, which cannot approve on GitHub: fix CODEOWNERS",
    ],
    [
      "code owners: no CODEOWNERS file",
      "{ code_owners: true }",
      reviews("alice"),
      false,
      [],
      "needs a CODEOWNERS file",
    ],
    [
      "all: every part",
      "{ all: [ { approvals: { count: 1, from: { teams: [security] } } }, { approvals: { count: 1, from: { teams: [sre] } } } ] }",
      reviews("bob"),
      false,
      ["bob"],
      "needs 1 more approval from @sluice-dev/sre",
    ],
    [
      "any: one part is enough",
      "{ any: [ { approvals: { count: 1, from: { teams: [security] } } }, { approvals: { count: 1, from: { teams: [sre] } } } ] }",
      reviews("dave"),
      true,
      ["dave"],
      "",
    ],
    [
      "any: says every way out",
      "{ any: [ { approvals: { count: 1, from: { users: [zed] } } }, { approvals: { count: 2, from: { teams: [sre] } } } ] }",
      reviews("dave"),
      false,
      ["dave"],
      "one of: (needs 1 more approval from @zed) or (needs 1 more approval from @sluice-dev/sre)",
    ],
  ])("%s", (_name, requires, overrides, met, counted, unblock) => {
    const r = rule(requires, overrides);
    expect(r.state).toBe(met ? "satisfied" : "unsatisfied");
    expect(r.counted).toEqual(counted);
    if (unblock) expect(r.unblock).toContain(unblock);
  });

  it("a requirement no approval can meet blocks instead of waiting", () => {
    expect(rule("{ code_owners: true }", reviews("alice")).effect).toBe("blocked");
    expect(rule("{ approvals: { count: 1, from: { users: [zed] } } }", {}).effect).toBe("pending");
  });

  it("an unresolved e-mail owner is a warning and keeps the rule pending, never 'fix CODEOWNERS'", () => {
    const policy = withRules("  - name: r\n    requires: { code_owners: true }\n");
    const d = evaluate(
      policy,
      fakeContext({
        ...reviews("bob"),
        codeowners: CODEOWNERS,
        files: [{ path: "docs/a.md", additions: 1, deletions: 0 }],
      }),
      TUESDAY_10,
    );
    expect(d.state).toBe("pending");
    expect(d.rules[0]?.effect).toBe("pending");
    expect(d.unblock.join()).not.toContain("fix CODEOWNERS");
    expect(d.warnings).toContain(
      "CODEOWNERS owner owner@example.com is not matched to a GitHub login (add the address to the context's emails): nobody counts as that owner",
    );
  });

  it("says which approvals did not count for a restricted requirement", () => {
    const policy = withRules(
      "  - name: r\n    requires: { approvals: { count: 1, from: { teams: [security] } } }\n",
    );
    const d = evaluate(policy, fakeContext(reviews("dave")), TUESDAY_10);
    expect(d.rules[0]?.notCounted[0]?.reason).toBe(
      "@dave's approval does not count here: not @sluice-dev/security",
    );
  });
});
