import { describe, expect, it } from "vitest";
import { evaluate } from "./evaluate.ts";
import { Roster } from "./people.ts";
import { fakeContext, ONE_APPROVAL, policy, TUESDAY_10, withRules } from "./test/fake-context.ts";

// Team names out of alphabetical order, so that sorting shows.
const TEAMS = `version: 1
teams:
  zeta: sluice-dev/zeta
  alpha: sluice-dev/alpha
  mid: sluice-dev/mid
rules:
${ONE_APPROVAL}`;

describe("Roster", () => {
  it("names the policy teams a login is in, sorted, whatever the case", () => {
    const roster = new Roster(
      policy(TEAMS),
      fakeContext({
        teams: { "sluice-dev/ZETA": ["Ann"], "sluice-dev/alpha": ["ann", "bob"], "sluice-dev/mid": [] },
      }),
    );
    expect(roster.teamsOf("ANN")).toEqual(["alpha", "zeta"]);
    expect(roster.teamsOf("bob")).toEqual(["alpha"]);
    expect(roster.teamsOf("carol")).toEqual([]);
  });

  it("names the policy teams the context lists no members for, sorted", () => {
    const roster = new Roster(policy(TEAMS), fakeContext({ teams: { "Sluice-Dev/Mid": ["ann"] } }));
    expect(roster.unlistedTeams()).toEqual(["alpha", "zeta"]);
  });

  it("has the decision warn about a team the context lists no members for", () => {
    const d = evaluate(
      withRules(ONE_APPROVAL),
      fakeContext({ teams: { "sluice-dev/platform": ["author"], "sluice-dev/security": ["bob"] } }),
      TUESDAY_10,
    );
    expect(d.warnings).toEqual([
      "the context lists no members for @sluice-dev/sre-leads: nobody counts as a member",
      "the context lists no members for @sluice-dev/sre: nobody counts as a member",
    ]);
  });
});
