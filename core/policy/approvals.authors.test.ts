import { describe, expect, it } from "vitest";
import { checkApplier } from "./applier.ts";
import { byLogin, collectApprovals, sortReviews } from "./approvals.ts";
import type { ChangeContext, Review } from "./context.ts";
import { evaluate } from "./evaluate.ts";
import { approve, at, fakeContext, HEAD, ONE_APPROVAL, TUESDAY_10, withRules } from "./test/fake-context.ts";

function decide(overrides: Partial<ChangeContext>, extra = "") {
  return evaluate(withRules(ONE_APPROVAL, extra), fakeContext(overrides), TUESDAY_10);
}

const sha = (digit: string) => digit.repeat(40);

describe("the decision's authors", () => {
  it("holds the PR author, commit authors and committers, and resolved co-authors, sorted by login", () => {
    const d = decide({
      commits: [
        { sha: sha("a"), author: "Zed", committer: "carol", message: "x" },
        {
          sha: sha("b"),
          author: "alice",
          committer: "web-flow",
          message: "y\n\nCo-authored-by: D <dave@corp.example>",
        },
        { sha: sha("c"), author: "ALICE", committer: "ALICE", message: "z" },
      ],
      emails: { "dave@corp.example": "Dave" },
    });
    expect(d.authors).toEqual(["alice", "author", "carol", "Dave", "Zed"]);
    expect(d.warnings).toEqual([]);
  });

  it("leaves out ignored committers, and commits without a login", () => {
    const d = decide(
      {
        commits: [
          { sha: sha("a"), author: "ci-bot", committer: "web-flow", message: "x" },
          { sha: sha("b"), message: "y" },
        ],
      },
      "separation_of_duties:\n  ignored_committers: [ci-bot, web-flow]\n",
    );
    expect(d.authors).toEqual(["author"]);
  });

  it("checkApplier refuses a committer named by the decision's authors", () => {
    const d = decide({
      commits: [{ sha: HEAD, author: "author", committer: "carol", message: "x" }],
      reviews: [approve("bob")],
    });
    expect(d.authors).toEqual(["author", "carol"]);
    expect(
      checkApplier({
        applier: "Carol",
        author: d.pullRequest.author,
        approvers: d.approvers,
        commitAuthors: d.authors,
      }),
    ).toEqual({ allowed: false, reasons: ["@Carol authored or co-authored a commit of the pull request"] });
    expect(
      checkApplier({
        applier: "erin",
        author: d.pullRequest.author,
        approvers: d.approvers,
        commitAuthors: d.authors,
      }),
    ).toEqual({ allowed: true, reasons: ["@erin neither wrote nor approved the change"] });
  });

  it("checkApplier gives every reason that applies, and no commit authors means none", () => {
    expect(
      checkApplier({ applier: " bob ", author: "Bob", approvers: ["BOB"], commitAuthors: ["bob"] }),
    ).toEqual({
      allowed: false,
      reasons: [
        "@bob is the author of the pull request",
        "@bob approved the pull request",
        "@bob authored or co-authored a commit of the pull request",
      ],
    });
    expect(checkApplier({ applier: "bob", author: "author", approvers: [] }).allowed).toBe(true);
    expect(checkApplier({ applier: "", author: "author", approvers: [] })).toEqual({
      allowed: false,
      reasons: ["no applier given: an apply needs a named person"],
    });
  });
});

describe("why an approval does not count", () => {
  it("lists three commits and counts the rest, once per commit", () => {
    const commits = ["1", "2", "3", "4", "5"].map((d) => ({ sha: sha(d), author: "alice", message: "x" }));
    const d = decide({
      commits: [...commits, commits[0] as (typeof commits)[0]],
      reviews: [approve("alice")],
    });
    expect(d.notCounted.map((n) => n.reason)).toEqual([
      "@alice's approval does not count: they authored 1111111, 2222222, 3333333 and 2 more",
    ]);
  });

  it("three commits are listed in full", () => {
    const commits = ["1", "2", "3"].map((d) => ({ sha: sha(d), author: "alice", message: "x" }));
    const d = decide({ commits, reviews: [approve("alice")] });
    expect(d.notCounted[0]?.reason).toBe(
      "@alice's approval does not count: they authored 1111111, 2222222, 3333333",
    );
  });

  it("a commit authored and committed by the same person is named once, as authored", () => {
    const d = decide({
      commits: [
        { sha: sha("1"), author: "alice", committer: "alice", message: "x" },
        { sha: sha("2"), author: "bob", committer: "alice", message: "y" },
      ],
      reviews: [approve("alice")],
    });
    expect(d.notCounted[0]?.reason).toBe(
      "@alice's approval does not count: they authored 1111111; they committed 2222222",
    );
  });

  it("gives every reason, in a fixed order", () => {
    const d = decide(
      {
        author: "alice",
        lastPusher: "alice",
        commits: [
          {
            sha: sha("1"),
            author: "alice",
            committer: "alice",
            message: "x\n\nCo-authored-by: A <alice@users.noreply.github.com>",
          },
        ],
        reviews: [approve("alice", { planDigest: "sha256:older-plan-digest" })],
      },
      "separation_of_duties:\n  approver_outside_author_teams: true\n",
    );
    expect(d.notCounted[0]?.reason).toBe(
      "@alice's approval does not count: they opened the pull request; they authored 1111111; they co-authored 1111111; they pushed the head commit 1111111; they share @sluice-dev/platform with the author @alice, and the policy wants an approver from another team; it was given on plan sha256:older-plan-d (commit 1111111) and the plan has changed since",
    );
  });

  it("the author's teams are not held against approvers unless the policy asks", () => {
    expect(decide({ reviews: [approve("alice")] }).approvers).toEqual(["alice"]);
  });
});

describe("reviews in the same second", () => {
  const second = at("2026-06-01T10:00:00Z");
  const approved = approve("carol", { submittedAt: second });
  const requested = approve("carol", { submittedAt: second, state: "CHANGES_REQUESTED" });

  it("an approval and a change request by one person: the request stands, whatever the input order", () => {
    for (const reviews of [
      [approved, requested, approve("bob")],
      [requested, approved, approve("bob")],
    ]) {
      const d = decide({ reviews });
      expect(d.state).toBe("blocked");
      expect(d.approvers).toEqual(["bob"]);
      expect(d.unblock[0]).toContain("@carol requested changes on 1111111");
    }
  });

  it("sortReviews orders by time, then login, state, commit, plan digest, diff digest and login case", () => {
    const base = { commitId: HEAD, submittedAt: second, state: "APPROVED" as const };
    const reviews: Review[] = [
      { ...base, user: "bob", submittedAt: at("2026-06-01T10:00:01Z") },
      { ...base, user: "Bob" },
      { ...base, user: "bob", planDigest: "b" },
      { ...base, user: "bob", planDigest: "a" },
      { ...base, user: "bob", commitId: "0" },
      { ...base, user: "bob", state: "CHANGES_REQUESTED" },
      { ...base, user: "alice" },
      { ...base, user: "bob", planDigest: "A" },
      { ...base, user: "bob", planDigest: "a", diffDigest: "A" },
    ];
    const order = sortReviews(reviews).map((r) => reviews.indexOf(r));
    expect(order).toEqual([6, 4, 1, 7, 3, 8, 2, 5, 0]);
    expect(sortReviews([...reviews].reverse()).map((r) => reviews.indexOf(r))).toEqual(order);
  });
});

describe("more reasons", () => {
  it("ignored committers are matched whatever their case", () => {
    const d = decide(
      {
        commits: [{ sha: HEAD, author: "author", committer: "ci-bot", message: "x" }],
        reviews: [approve("ci-bot")],
      },
      "separation_of_duties:\n  ignored_committers: [CI-Bot]\n",
    );
    expect(d.approvers).toEqual(["ci-bot"]);
    expect(d.authors).toEqual(["author"]);
  });

  it("the last pusher is matched whatever the case", () => {
    const d = decide({ lastPusher: "BOB", reviews: [approve("bob")] });
    expect(d.notCounted.map((n) => n.reason)).toEqual([
      "@bob's approval does not count: they pushed the head commit 1111111",
    ]);
  });

  it("names every team the approver shares with the author", () => {
    const d = decide(
      {
        reviews: [approve("carol")],
        teams: {
          ...fakeContext().teams,
          "sluice-dev/security": ["author", "carol"],
          "sluice-dev/sre": ["author", "carol"],
        },
      },
      "separation_of_duties:\n  approver_outside_author_teams: true\n",
    );
    expect(d.notCounted[0]?.reason).toBe(
      "@carol's approval does not count: they share @sluice-dev/security, @sluice-dev/sre with the author @author, and the policy wants an approver from another team",
    );
  });

  it("without a current plan, an approval on the head commit counts and one on an earlier commit does not", () => {
    const old = "0000000bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    const d = decide({ plan: undefined, reviews: [approve("bob"), approve("carol", { commitId: old })] });
    expect(d.approvers).toEqual(["bob"]);
    expect(d.notCounted.map((n) => n.reason)).toEqual([
      "@carol's approval does not count: it was given on 0000000, before the latest push, and there is no current plan to show the change is the same",
    ]);
  });

  it("an approval on the head commit that recorded no plan digest does not count once there is a plan", () => {
    const { planDigest: _drop, ...review } = approve("bob");
    const d = decide({ reviews: [review] });
    expect(d.approvers).toEqual([]);
    expect(d.notCounted.map((n) => n.reason)).toEqual([
      `@bob's approval does not count: it was given on ${HEAD.slice(0, 7)} without a recorded plan digest: the reviewer never saw a plan`,
    ]);
    // Without a current plan there was nothing to see: the same approval counts.
    expect(decide({ plan: undefined, reviews: [review] }).approvers).toEqual(["bob"]);
  });

  it("names the old and new diff digests, shortened", () => {
    const old = "0000000bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    const d = decide({
      diffDigest: "patch:current-diff-digest",
      reviews: [approve("bob", { commitId: old, diffDigest: "patch:earlier-diff-digest" })],
    });
    expect(d.notCounted[0]?.reason).toBe(
      "@bob's approval does not count: it was given on 0000000 and a later push changed the code (diff patch:earlier-diff is now patch:current-diff)",
    );
  });
});

describe("warnings and the order of approvals", () => {
  it("unresolved co-authors are warned about once each, sorted", () => {
    const d = decide({
      commits: [
        { sha: sha("1"), author: "author", message: "x\n\nCo-authored-by: Zoe <zoe@elsewhere.example>" },
        {
          sha: sha("2"),
          author: "author",
          message:
            "y\n\nCo-authored-by: Ann <ann@elsewhere.example>\nCo-authored-by: Zoe <zoe@elsewhere.example>",
        },
      ],
      reviews: [approve("bob")],
    });
    expect(d.warnings).toEqual([
      "co-author Ann <ann@elsewhere.example> could not be matched to a GitHub login (add the address to the context's emails); approvals by a login equal to the name or address are not counted",
      "co-author Zoe <zoe@elsewhere.example> could not be matched to a GitHub login (add the address to the context's emails); approvals by a login equal to the name or address are not counted",
    ]);
  });

  it("approvals are counted in login order, whatever the review order", () => {
    const policy = withRules(ONE_APPROVAL);
    const context = fakeContext({ reviews: [approve("dave"), approve("Bob"), approve("carol")] });
    const authorship = { reasons: () => [], unresolvedCoAuthors: () => [] } as never;
    const set = collectApprovals(
      policy,
      context,
      { teamsOf: () => [], inTeam: () => false } as never,
      authorship,
      undefined,
    );
    expect(byLogin(set.counted).map((a) => a.user)).toEqual(["Bob", "carol", "dave"]);
    expect([...set.counted.keys()]).toEqual(["bob", "carol", "dave"]);
  });

  it("a dismissed review clears an earlier approval; a comment does not", () => {
    const first = approve("bob", { submittedAt: at("2026-06-01T09:00:00Z") });
    const dismissed = {
      ...approve("bob", { submittedAt: at("2026-06-01T09:30:00Z") }),
      state: "DISMISSED" as const,
    };
    const comment = {
      ...approve("carol", { submittedAt: at("2026-06-01T09:30:00Z") }),
      state: "COMMENTED" as const,
    };
    const carol = approve("carol", { submittedAt: at("2026-06-01T09:00:00Z") });
    expect(decide({ reviews: [first, dismissed] }).approvers).toEqual([]);
    expect(decide({ reviews: [carol, comment] }).approvers).toEqual(["carol"]);
  });
});
