import { describe, expect, it } from "vitest";
import type { ChangeContext } from "./context.ts";
import { evaluate } from "./evaluate.ts";
import {
  approve,
  at,
  DIGEST,
  fakeContext,
  HEAD,
  OLD,
  ONE_APPROVAL,
  TUESDAY_10,
  withRules,
} from "./test/fake-context.ts";

// The policy is parsed per call, not at load time (see evaluate.test.ts).
function decide(overrides: Partial<ChangeContext>, policy = withRules(ONE_APPROVAL)) {
  return evaluate(policy, fakeContext(overrides), TUESDAY_10);
}

describe("separation of duties", () => {
  it.each([
    [
      "the PR author",
      { reviews: [approve("author")] },
      "@author's approval does not count: they opened the pull request",
    ],
    [
      "a commit author",
      { commits: [{ sha: "3f2c1a9ffff", author: "alice", message: "x" }], reviews: [approve("alice")] },
      "@alice's approval does not count: they authored 3f2c1a9",
    ],
    [
      "a co-author named in a Co-authored-by trailer",
      {
        commits: [
          {
            sha: "3f2c1a9eeee",
            author: "author",
            message: "Fix\n\nCo-authored-by: Alice <123+alice@users.noreply.github.com>",
          },
        ],
        reviews: [approve("Alice")],
      },
      "@Alice's approval does not count: they co-authored 3f2c1a9",
    ],
    [
      "a co-author resolved through the emails map",
      {
        commits: [
          {
            sha: "3f2c1a9dddd",
            author: "author",
            message: "Fix\n\nCo-authored-by: A. Smith <a.smith@corp.example>",
          },
        ],
        emails: { "A.Smith@corp.example": "alice" },
        reviews: [approve("alice")],
      },
      "they co-authored 3f2c1a9",
    ],
    [
      "a committer",
      {
        commits: [{ sha: "3f2c1a9cccc", author: "author", committer: "bob", message: "x" }],
        reviews: [approve("bob")],
      },
      "@bob's approval does not count: they committed 3f2c1a9",
    ],
    [
      "the last pusher",
      { lastPusher: "bob", reviews: [approve("bob")] },
      "they pushed the head commit 1111111",
    ],
  ])("does not count an approval by %s", (_who, overrides, reason) => {
    const d = decide(overrides);
    expect(d.state).toBe("pending");
    expect(d.approvers).toEqual([]);
    expect(d.notCounted.map((n) => n.reason).join("\n")).toContain(reason);
  });

  it("does not treat ignored committers (web-flow by default) as commit authors", () => {
    const commits = [{ sha: HEAD, author: "author", committer: "ci-bot", message: "x" }];
    expect(decide({ commits, reviews: [approve("ci-bot")] }).approvers).toEqual([]);
    const ignoring = withRules(ONE_APPROVAL, "separation_of_duties:\n  ignored_committers: [ci-bot]\n");
    expect(decide({ commits, reviews: [approve("ci-bot")] }, ignoring).approvers).toEqual(["ci-bot"]);
  });

  it("warns about a co-author it cannot resolve and still disqualifies a matching login", () => {
    const d = decide({
      commits: [{ sha: HEAD, author: "author", message: "x\n\nCo-authored-by: bob <bob@elsewhere.example>" }],
      reviews: [approve("BOB")],
    });
    expect(d.approvers).toEqual([]);
    expect(d.warnings.join()).toContain("co-author bob <bob@elsewhere.example> could not be matched");
  });

  it("counts one person once, whatever the case of the login", () => {
    const policy = withRules(`  - name: two
    requires:
      approvals: { count: 2 }
`);
    const d = decide({ reviews: [approve("bob"), approve("BOB"), approve("Bob")] }, policy);
    expect(d.state).toBe("pending");
    expect(d.approvers).toHaveLength(1);
    expect(d.unblock).toContain("two: needs 1 more approval");
  });

  it("optionally refuses approvers from the author's team", () => {
    const policy = withRules(ONE_APPROVAL, "separation_of_duties:\n  approver_outside_author_teams: true\n");
    const d = decide({ reviews: [approve("alice")] }, policy);
    expect(d.notCounted[0]?.reason).toContain("they share @sluice-dev/platform with the author @author");
    expect(decide({ reviews: [approve("bob")] }, policy).state).toBe("approved");
  });
});

describe("freshness", () => {
  it("counts an approval on the head commit", () => {
    expect(decide({ reviews: [approve("bob")] }).approvals[0]?.basis).toBe("given on the head commit");
  });

  it("keeps an approval from an earlier commit when the plan and diff digests are unchanged (a rebase)", () => {
    const d = decide({ reviews: [approve("bob", { commitId: OLD })] });
    expect(d.state).toBe("approved");
    expect(d.approvals[0]?.basis).toContain(
      "the plan (digest sha256:plan-current) and the diff are unchanged since",
    );
  });

  it("voids an approval from an earlier commit when a push changed the code but not the plan", () => {
    const d = decide({ reviews: [approve("bob", { commitId: OLD, diffDigest: "patch:before" })] });
    expect(d.state).toBe("pending");
    expect(d.notCounted[0]?.reason).toContain("a later push changed the code");
  });

  it("voids an approval from an earlier commit when either diff digest is unknown", () => {
    const { diffDigest: _drop, ...review } = approve("bob", { commitId: OLD });
    expect(decide({ reviews: [review] }).notCounted[0]?.reason).toContain("without a recorded diff digest");
    const d = decide({ reviews: [approve("bob", { commitId: OLD })], diffDigest: undefined });
    expect(d.notCounted[0]?.reason).toContain("without the current diff digest");
    expect(d.state).toBe("pending");
  });

  it("counts an approval on the head commit whatever the diff digest", () => {
    expect(decide({ reviews: [approve("bob", { diffDigest: "patch:other" })] }).state).toBe("approved");
  });

  it("voids an approval from an earlier commit when the plan changed", () => {
    const d = decide({ reviews: [approve("bob", { commitId: OLD, planDigest: "sha256:older" })] });
    expect(d.state).toBe("pending");
    expect(d.notCounted[0]?.reason).toContain("the plan has changed since");
  });

  it("voids an approval from an earlier commit that recorded no digest", () => {
    const { planDigest: _drop, ...review } = approve("bob", { commitId: OLD });
    expect(decide({ reviews: [review] }).notCounted[0]?.reason).toContain("without a recorded plan digest");
  });

  it("voids an approval on the head commit when the plan was re-made with other changes", () => {
    expect(decide({ reviews: [approve("bob", { planDigest: "sha256:other" })] }).state).toBe("pending");
  });

  it("does not count an approval without a recorded plan digest, even on the head commit", () => {
    const d = decide({ reviews: [approve("bob", { planDigest: undefined })] });
    expect(d.state).toBe("pending");
    expect(d.notCounted[0]?.reason).toBe(
      "@bob's approval does not count: it was given on 1111111 without a recorded plan digest: the reviewer never saw a plan",
    );
  });

  it("the decision digests agree with the review's recorded digest", () => {
    expect(decide({ reviews: [approve("bob")] }).plan.digest).toBe(DIGEST);
  });
});

describe("changes requested", () => {
  const request = approve("carol", { state: "CHANGES_REQUESTED", submittedAt: at("2026-06-01T10:00:00Z") });

  it("blocks while it stands", () => {
    const d = decide({ reviews: [approve("bob"), request] });
    expect(d.state).toBe("blocked");
    expect(d.unblock[0]).toBe(
      "@carol requested changes on 1111111: needs a new review from @carol or the review dismissed",
    );
  });

  it("stops blocking once dismissed", () => {
    const dismissed = { ...request, state: "DISMISSED" as const };
    expect(decide({ reviews: [approve("bob"), dismissed] }).state).toBe("approved");
  });

  it("is superseded by a later approval of the same person, not by a later comment", () => {
    const later = approve("carol", { submittedAt: at("2026-06-01T11:00:00Z") });
    const comment = { ...later, state: "COMMENTED" as const };
    expect(decide({ reviews: [request, later] }).state).toBe("approved");
    expect(decide({ reviews: [approve("bob"), request, comment] }).state).toBe("blocked");
  });

  it("does not block when it comes from a bot or an outside commenter, and says so", () => {
    for (const user of ["renovate[bot]", "passer-by"]) {
      const outside = approve(user, { state: "CHANGES_REQUESTED", submittedAt: at("2026-06-01T10:00:00Z") });
      const d = decide({ reviews: [approve("bob"), outside] });
      expect(d.state, user).toBe("approved");
      expect(d.changesRequested).toEqual([]);
      expect(d.warnings.join("\n")).toContain(
        `@${user} requested changes but could not approve this pull request (not a member of @sluice-dev, nor named by a rule or as a code owner): it does not block`,
      );
    }
  });

  it("blocks when it comes from someone outside the organization whom a rule names or who owns the code", () => {
    const outside = approve("guest", { state: "CHANGES_REQUESTED", submittedAt: at("2026-06-01T10:00:00Z") });
    const named = withRules(`${ONE_APPROVAL}  - name: guest-signs-off
    enforcement: advisory
    requires: { approvals: { count: 1, from: { users: [Guest] } } }
`);
    expect(decide({ reviews: [approve("bob"), outside] }, named).state).toBe("blocked");
    const owned = withRules(`${ONE_APPROVAL}  - name: owners
    enforcement: advisory
    requires: { code_owners: true }
`);
    const codeowners = "modules/ @guest\n";
    expect(decide({ reviews: [approve("bob"), outside], codeowners }, owned).state).toBe("blocked");
    expect(decide({ reviews: [approve("bob"), outside], codeowners: "docs/ @guest\n" }, owned).state).toBe(
      "approved",
    );
  });

  it("an earlier approval does not supersede a later request", () => {
    const earlier = approve("carol", { submittedAt: at("2026-06-01T09:00:00Z") });
    expect(decide({ reviews: [request, earlier, approve("bob")] }).state).toBe("blocked");
  });
});
