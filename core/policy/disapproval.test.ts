import { describe, expect, it } from "vitest";
import type { ChangeContext } from "./context.ts";
import { evaluate } from "./evaluate.ts";
import { approve, at, fakeContext, ONE_APPROVAL, TUESDAY_10, withRules } from "./test/fake-context.ts";

// Who may hold a pull request up by requesting changes. Every case has @bob's counting approval, so the
// decision is "approved" unless the request for changes blocks it. Policies are built inside each test.

/** The decision's state when `user` requests changes, under ONE_APPROVAL plus `rules` (advisory, so they never block). */
function stateWhenRequesting(user: string, rules: string, overrides: Partial<ChangeContext> = {}): string {
  const request = approve(user, { state: "CHANGES_REQUESTED", submittedAt: at("2026-06-01T10:00:00Z") });
  const policy = withRules(`${ONE_APPROVAL}${rules}`);
  return evaluate(policy, fakeContext({ reviews: [approve("bob"), request], ...overrides }), TUESDAY_10)
    .state;
}

const advisory = (requires: string) => `  - name: extra
    enforcement: advisory
    requires: ${requires}
`;

/** The fake context's teams, with @contractor (not in the organization) added to `slug`. */
function contractorIn(slug: string): Partial<ChangeContext> {
  const teams = { ...fakeContext().teams };
  teams[slug] = [...(teams[slug] ?? []), "contractor"];
  return { teams };
}

describe("who may block by requesting changes", () => {
  it("a member of a team an approvals rule names, though outside the organization", () => {
    const rule = advisory("{ approvals: { count: 1, from: { teams: [security] } } }");
    expect(stateWhenRequesting("contractor", rule, contractorIn("sluice-dev/security"))).toBe("blocked");
    expect(stateWhenRequesting("contractor", rule, contractorIn("sluice-dev/sre"))).toBe("approved");
  });

  it("a member of a team distinct_teams lists, and of no other team", () => {
    const rule = advisory("{ distinct_teams: { count: 2, teams: [security, sre] } }");
    expect(stateWhenRequesting("contractor", rule, contractorIn("sluice-dev/sre"))).toBe("blocked");
    expect(stateWhenRequesting("contractor", rule, contractorIn("sluice-dev/platform"))).toBe("approved");
  });

  it("a member of any policy team when distinct_teams lists none", () => {
    const rule = advisory("{ distinct_teams: { count: 2 } }");
    expect(stateWhenRequesting("contractor", rule, contractorIn("sluice-dev/platform"))).toBe("blocked");
    expect(stateWhenRequesting("contractor", rule, contractorIn("sluice-dev/unlisted"))).toBe("approved");
  });

  it("a user named inside any and all", () => {
    const rule = advisory("{ any: [ { all: [ { approvals: { count: 1, from: { users: [Guest] } } } ] } ] }");
    expect(stateWhenRequesting("guest", rule)).toBe("blocked");
    expect(stateWhenRequesting("passer-by", rule)).toBe("approved");
  });

  it("a code owner only when a rule requires code owners", () => {
    const codeowners = "modules/ @guest\n";
    expect(stateWhenRequesting("guest", "", { codeowners })).toBe("approved");
    expect(stateWhenRequesting("guest", advisory("{ code_owners: true }"), { codeowners })).toBe("blocked");
  });

  it("a member of an owning team, however the team is spelt, and nobody outside it", () => {
    const rule = advisory("{ code_owners: true }");
    const storage = { teams: { ...fakeContext().teams, "sluice-dev/storage": ["Contractor"] } };
    for (const codeowners of ["modules/ @sluice-dev/storage\n", "modules/ @Sluice-Dev/Storage\n"]) {
      expect(stateWhenRequesting("contractor", rule, { ...storage, codeowners }), codeowners).toBe("blocked");
      expect(stateWhenRequesting("passer-by", rule, { ...storage, codeowners }), codeowners).toBe("approved");
    }
  });

  it("not someone an owner written without its @ seems to name", () => {
    // GitHub reads "@login", "@org/team" or an e-mail address; "guest" is none of them and names nobody.
    const rule = advisory("{ code_owners: true }");
    const codeowners = "modules/ guest guest@example.com\n";
    for (const user of ["guest", "uest"]) {
      expect(stateWhenRequesting(user, rule, { codeowners }), user).toBe("approved");
    }
  });
});
