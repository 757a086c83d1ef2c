import { describe, expect, it } from "vitest";
import type { ChangeContext } from "./context.ts";
import { evaluate } from "./evaluate.ts";
import { approve, fakeContext, TUESDAY_10, withRules } from "./test/fake-context.ts";

/** The result of one rule `r` with the given `requires`, for a pull request with these overrides. */
function rule(requires: string, overrides: Partial<ChangeContext> = {}) {
  const policy = withRules(`  - name: r
    requires: ${requires}
`);
  const r = evaluate(policy, fakeContext(overrides), TUESDAY_10).rules[0];
  if (!r) throw new Error("no rule result");
  return r;
}

const reviews = (...users: string[]) => users.map((u) => approve(u));
const files = (...paths: string[]) => paths.map((path) => ({ path, additions: 1, deletions: 0 }));
const NO_CODEOWNERS =
  "needs a CODEOWNERS file on the base branch: code-owner approval cannot be given without one";

describe("distinct_teams", () => {
  it("two approvers from the same team count for one team", () => {
    const r = rule("{ distinct_teams: { count: 2, teams: [security, platform] } }", {
      reviews: reviews("bob", "carol"),
    });
    expect(r.state).toBe("unsatisfied");
    expect(r.effect).toBe("pending");
    expect(r.counted).toEqual(["bob"]);
    expect(r.unblock).toEqual([
      "needs approvals from 1 more team of @sluice-dev/platform (have @sluice-dev/security via @bob; one person counts for one team)",
    ]);
  });

  it("an approver from a team the rule does not list counts for nothing", () => {
    const r = rule("{ distinct_teams: { count: 2, teams: [security, sre] } }", { reviews: reviews("alice") });
    expect(r.counted).toEqual([]);
    expect(r.unblock).toEqual([
      "needs approvals from 2 more teams of @sluice-dev/security or @sluice-dev/sre",
    ]);
  });

  it("moves a person to their other team to cover more teams", () => {
    // carol is in security and sre, bob only in security: carol must count for sre.
    const r = rule("{ distinct_teams: { count: 2, teams: [security, sre] } }", {
      reviews: reviews("carol", "bob"),
    });
    expect(r.state).toBe("satisfied");
    expect(r.counted).toEqual(["bob", "carol"]);
  });

  it("moves an approver already counted for one team to another, to make room", () => {
    // ann (security and sre) is matched first, to security; bob can only be security, so ann moves to sre.
    const r = rule("{ distinct_teams: { count: 2, teams: [sre, security] } }", {
      reviews: reviews("ann", "bob"),
      teams: { ...fakeContext().teams, "sluice-dev/security": ["ann", "bob"], "sluice-dev/sre": ["ann"] },
    });
    expect(r.state).toBe("satisfied");
    expect(r.counted).toEqual(["ann", "bob"]);
  });

  it("lists the teams it needs in team order, however the rule lists them", () => {
    const r = rule("{ distinct_teams: { count: 2, teams: [sre, security] } }", { reviews: reviews("alice") });
    expect(r.unblock).toEqual([
      "needs approvals from 2 more teams of @sluice-dev/security or @sluice-dev/sre",
    ]);
  });

  it("lists the teams it has in team order, not in the order it matched them", () => {
    const r = rule("{ distinct_teams: { count: 3, teams: [platform, security, sre] } }", {
      reviews: reviews("amy", "zoe"),
      teams: { ...fakeContext().teams, "sluice-dev/platform": ["zoe"], "sluice-dev/security": ["amy"] },
    });
    expect(r.unblock).toEqual([
      "needs approvals from 1 more team of @sluice-dev/sre (have @sluice-dev/platform via @zoe, @sluice-dev/security via @amy; one person counts for one team)",
    ]);
  });

  it("lists the teams it has, in team order, and every missing team", () => {
    const r = rule("{ distinct_teams: { count: 4 } }", { reviews: reviews("erin", "alice") });
    expect(r.unblock).toEqual([
      "needs approvals from 2 more teams of @sluice-dev/security or @sluice-dev/sre (have @sluice-dev/platform via @alice, @sluice-dev/sre-leads via @erin; one person counts for one team)",
    ]);
  });
});

describe("approvals", () => {
  it("names every source a restricted approval may come from, users sorted", () => {
    const r = rule(
      "{ approvals: { count: 2, from: { users: [zed, Amy], teams: [sre], organization: true } } }",
      {
        reviews: reviews("bob"),
      },
    );
    expect(r.counted).toEqual(["bob"]);
    expect(r.unblock).toEqual([
      "needs 1 more approval from @sluice-dev/sre, @Amy, @zed or a member of @sluice-dev",
    ]);
  });

  it("counts users case-insensitively, and exactly count approvals are enough", () => {
    const r = rule("{ approvals: { count: 2, from: { users: [BOB, dave] } } }", {
      reviews: reviews("Bob", "dave"),
    });
    expect(r.state).toBe("satisfied");
    expect(r.counted).toEqual(["Bob", "dave"]);
    expect(r.notCounted).toEqual([]);
  });

  it("counts a member of the organization when the organization may approve", () => {
    const r = rule("{ approvals: { count: 1, from: { organization: true } } }", { reviews: reviews("sam") });
    expect(r.state).toBe("satisfied");
    expect(r.counted).toEqual(["sam"]);
  });

  it("an open requirement names no source, and says how many are missing", () => {
    const r = rule("{ approvals: { count: 3 } }", { reviews: reviews("bob") });
    expect(r.unblock).toEqual(["needs 2 more approvals"]);
    expect(r.notCounted).toEqual([]);
  });
});

describe("all and any", () => {
  it("all with one impossible part blocks, and lists what every part needs", () => {
    const r = rule("{ all: [ { code_owners: true }, { approvals: { count: 1 } } ] }", {
      reviews: reviews("bob"),
    });
    expect(r.effect).toBe("blocked");
    expect(r.state).toBe("unsatisfied");
    expect(r.counted).toEqual(["bob"]);
    expect(r.unblock).toEqual([NO_CODEOWNERS]);
    const waiting = rule("{ all: [ { code_owners: true }, { approvals: { count: 2 } } ] }", {
      reviews: reviews("bob"),
    });
    expect(waiting.unblock).toEqual([NO_CODEOWNERS, "needs 1 more approval"]);
    expect(waiting.effect).toBe("blocked");
  });

  it("all met when every part is met, counting each person once", () => {
    const r = rule(
      "{ all: [ { approvals: { count: 1 } }, { approvals: { count: 1, from: { users: [BOB] } } } ] }",
      {
        reviews: reviews("bob"),
      },
    );
    expect(r.state).toBe("satisfied");
    expect(r.counted).toEqual(["bob"]);
  });

  it("all reports each approval that did not count once, sorted by reason", () => {
    const r = rule(
      "{ all: [ { approvals: { count: 1, from: { teams: [sre] } } }, { approvals: { count: 1, from: { teams: [sre] } } }, { approvals: { count: 1, from: { teams: [platform] } } } ] }",
      { reviews: reviews("bob") },
    );
    expect(r.notCounted.map((n) => n.reason)).toEqual([
      "@bob's approval does not count here: not @sluice-dev/platform",
      "@bob's approval does not count here: not @sluice-dev/sre",
    ]);
  });

  it("any whose options are all impossible blocks, and still shows every option", () => {
    const r = rule("{ any: [ { code_owners: true }, { all: [ { code_owners: true } ] } ] }", {
      reviews: reviews("bob"),
    });
    expect(r.effect).toBe("blocked");
    expect(r.unblock).toEqual([`one of: (${NO_CODEOWNERS}) or (${NO_CODEOWNERS})`]);
  });

  it("any with some impossible options waits, and shows only the options still open", () => {
    const r = rule(
      "{ any: [ { code_owners: true }, { approvals: { count: 1, from: { users: [zed] } } } ] }",
      {
        reviews: reviews("bob"),
      },
    );
    expect(r.effect).toBe("pending");
    expect(r.unblock).toEqual(["needs 1 more approval from @zed"]);
    expect(r.notCounted.map((n) => n.reason)).toEqual(["@bob's approval does not count here: not @zed"]);
  });

  it("any met by one option counts only the options met, and reports nothing as not counted", () => {
    const r = rule(
      "{ any: [ { approvals: { count: 1, from: { teams: [security] } } }, { approvals: { count: 2, from: { teams: [sre] } } } ] }",
      { reviews: reviews("bob", "dave") },
    );
    expect(r.state).toBe("satisfied");
    expect(r.effect).toBe("none");
    expect(r.counted).toEqual(["bob"]);
    expect(r.notCounted).toEqual([]);
    expect(r.unblock).toEqual([]);
  });

  it("a met any or distinct_teams inside all adds nothing to what all still needs, and does not block", () => {
    for (const met of ["{ any: [ { approvals: { count: 1 } } ] }", "{ distinct_teams: { count: 1 } }"]) {
      const r = rule(`{ all: [ ${met}, { approvals: { count: 1, from: { users: [zed] } } } ] }`, {
        reviews: reviews("bob"),
      });
      expect(r.effect, met).toBe("pending");
      expect(r.unblock, met).toEqual(["needs 1 more approval from @zed"]);
    }
  });

  it("any joins the needs of a compound option with and", () => {
    const r = rule(
      "{ any: [ { all: [ { approvals: { count: 1, from: { users: [zed] } } }, { approvals: { count: 1, from: { users: [amy] } } } ] }, { approvals: { count: 1, from: { users: [kim] } } } ] }",
    );
    expect(r.unblock).toEqual([
      "one of: (needs 1 more approval from @zed and needs 1 more approval from @amy) or (needs 1 more approval from @kim)",
    ]);
  });
});

describe("code owners", () => {
  const owned = (codeowners: string, paths: string[], ...users: string[]) =>
    rule("{ code_owners: true }", { codeowners, files: files(...paths), reviews: reviews(...users) });

  it("a single-user owner approves, whatever the case of the login", () => {
    const r = owned("/modules/ @Alice\n", ["modules/queue/queue.ts"], "alice");
    expect(r.state).toBe("satisfied");
    expect(r.counted).toEqual(["alice"]);
    const other = owned("/modules/ @alice\n", ["modules/queue/queue.ts"], "bob");
    expect(other.unblock).toEqual(["needs a code-owner approval from @alice for modules/queue/queue.ts"]);
    expect(other.effect).toBe("pending");
  });

  it("a line with several owners needs any one of them", () => {
    const codeowners = "/gitops/ @dave @sluice-dev/security @erin\n";
    for (const user of ["dave", "carol", "erin"]) {
      expect(owned(codeowners, ["gitops/a.yaml"], user).state, user).toBe("satisfied");
    }
    expect(owned(codeowners, ["gitops/a.yaml"], "alice").unblock).toEqual([
      "needs a code-owner approval from @dave, @sluice-dev/security or @erin for gitops/a.yaml",
    ]);
  });

  it("a changed file that no line matches needs no code owner", () => {
    const r = owned("/docs/ @alice\n", ["modules/queue/queue.ts"]);
    expect(r.state).toBe("satisfied");
    expect(r.counted).toEqual([]);
  });

  it("files owned only by unresolved e-mail addresses wait, grouped with a count, and each address is warned about", () => {
    const codeowners = "/docs/ owner@example.com other@example.com\n";
    const r = owned(codeowners, ["docs/b.md", "docs/a.md"], "alice");
    expect(r.effect).toBe("pending");
    expect(r.unblock).toEqual([
      "needs a code-owner approval from owner@example.com or other@example.com for docs/a.md and 1 more files",
    ]);
    const d = evaluate(
      withRules("  - name: r\n    requires: { code_owners: true }\n"),
      fakeContext({ codeowners, files: files("docs/b.md", "docs/a.md"), reviews: reviews("alice") }),
      TUESDAY_10,
    );
    for (const address of ["owner@example.com", "other@example.com"]) {
      expect(d.warnings).toContain(
        `CODEOWNERS owner ${address} is not matched to a GitHub login (add the address to the context's emails): nobody counts as that owner`,
      );
    }
  });

  it("an e-mail owner resolved through the emails map approves as that login, whatever the case of the address", () => {
    const codeowners = "/docs/ Owner@Example.com\n";
    const emails = { "owner@example.COM": "Bob" };
    const by = (user: string) =>
      rule("{ code_owners: true }", {
        codeowners,
        emails,
        files: files("docs/a.md"),
        reviews: reviews(user),
      });
    expect(by("bob").state).toBe("satisfied");
    expect(by("bob").counted).toEqual(["bob"]);
    expect(by("alice").unblock).toEqual([
      "needs a code-owner approval from @Bob (Owner@Example.com) for docs/a.md",
    ]);
  });

  it("files owned only by owners that are neither a handle nor an e-mail address block, grouped with a count", () => {
    const r = owned("/docs/ owner owner@example\n", ["docs/b.md", "docs/a.md"], "alice");
    expect(r.effect).toBe("blocked");
    expect(r.unblock).toEqual([
      "docs/a.md and 1 more files is owned only by owner, owner@example, which cannot approve on GitHub: fix CODEOWNERS",
    ]);
    // An address must be the whole owner, not a part of it.
    for (const owner of ["a@b@example.com", "owner@example.com@x"]) {
      expect(owned(`/docs/ ${owner}\n`, ["docs/a.md"], "alice").effect, owner).toBe("blocked");
    }
  });

  it("an e-mail owner beside a handle: either can approve, the unresolved address is only named", () => {
    const r = owned("/docs/ owner@example.com @bob\n", ["docs/a.md"], "alice");
    expect(r.effect).toBe("pending");
    expect(r.unblock).toEqual(["needs a code-owner approval from owner@example.com or @bob for docs/a.md"]);
    expect(owned("/docs/ owner@example.com @bob\n", ["docs/a.md"], "bob").state).toBe("satisfied");
    // Only the unresolved address is warned about, not the handle beside it.
    const d = evaluate(
      withRules("  - name: r\n    requires: { code_owners: true }\n"),
      fakeContext({
        codeowners: "/docs/ owner@example.com @bob @sluice-dev/security\n",
        files: files("docs/a.md"),
        reviews: reviews("alice"),
      }),
      TUESDAY_10,
    );
    expect(d.warnings.filter((w) => w.startsWith("CODEOWNERS owner"))).toEqual([
      "CODEOWNERS owner owner@example.com is not matched to a GitHub login (add the address to the context's emails): nobody counts as that owner",
    ]);
    // An unresolved address is nobody: a login spelled like it does not count as the owner.
    expect(owned("/docs/ owner@example.com @bob\n", ["docs/a.md"], "owner@example.com").state).toBe(
      "unsatisfied",
    );
  });

  it("groups files of the same owners from different lines, sorted by owners, naming the first file", () => {
    const codeowners = "/b/ @zed\n/a/ @zed\n/c/ @amy\n";
    const r = owned(codeowners, ["b/2.ts", "a/9.ts", "b/1.ts", "c/1.ts"]);
    expect(r.unblock).toEqual([
      "needs a code-owner approval from @amy for c/1.ts",
      "needs a code-owner approval from @zed for a/9.ts and 2 more files",
    ]);
  });

  it("names the alphabetically first file of a group", () => {
    expect(owned("/b/ @zed\n", ["b/2.ts", "b/1.ts"]).unblock).toEqual([
      "needs a code-owner approval from @zed for b/1.ts and 1 more files",
    ]);
  });

  it("names the first file of a group whatever the order of the changed files", () => {
    expect(owned("/b/ @zed\n", ["b/2.ts", "b/1.ts", "b/3.ts"]).unblock).toEqual([
      "needs a code-owner approval from @zed for b/1.ts and 2 more files",
    ]);
    expect(owned("/a/ @zed\n/b/ @zed\n", ["a/1.ts", "b/1.ts"]).unblock).toEqual([
      "needs a code-owner approval from @zed for a/1.ts and 1 more files",
    ]);
  });

  it("orders groups by their owner list as written, owners separated by a space", () => {
    expect(owned("/a/ @amy @zed\n/b/ @amy-x\n", ["a/1.ts", "b/1.ts"]).unblock).toEqual([
      "needs a code-owner approval from @amy or @zed for a/1.ts",
      "needs a code-owner approval from @amy-x for b/1.ts",
    ]);
  });

  it("a line without owners leaves its files unowned", () => {
    const r = owned("/docs/ @alice\n/docs/private/\n", ["docs/private/x.md"]);
    expect(r.state).toBe("satisfied");
  });

  it("counts every owner who approved, sorted case-insensitively", () => {
    const codeowners = "/a/ @Zed\n/b/ @amy\n/c/ @sluice-dev/security\n";
    const r = owned(codeowners, ["a/1.ts", "b/1.ts", "c/1.ts"], "zed", "Amy", "carol", "dave");
    expect(r.state).toBe("satisfied");
    expect(r.counted).toEqual(["Amy", "carol", "zed"]);
  });

  it("a team owner is a member of that team, not a user of that name", () => {
    const r = owned("/a/ @sluice-dev/sre\n", ["a/1.ts"], "sre");
    expect(r.state).toBe("unsatisfied");
  });
});
